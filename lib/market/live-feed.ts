/**
 * DNSE's live candles over MQTT (mqtt 5): subscribes to
 * `plaintext/quotes/krx/mdds/v2/ohlc/{stock|derivative}/1/{symbol}` for a watch list and upserts the
 * 1-minute bars as they arrive. DNSE's broker: MQTT over WebSocket, username = investorId, password =
 * the JWT, client id `dnse-price-json-mqtt-ws-sub-<investorId>-<random>` (ARCHITECTURE.md). A message
 * is JSON like {"symbol":"FPT","time":"1780541940","open":76.6,…,"volume":"12900","lastUpdated":…}:
 * numbers may come as strings, time in epoch seconds, stock prices in thousand VND.
 *
 * - Each message is zod-checked and checked with the candle rules; a bad one is logged (topic and
 *   reason, never credentials) and dropped; the feed goes on. A bar outside the sanity bounds
 *   (bar-bounds.ts: an implausible price, a stock beyond the day's limits) is refused by the write:
 *   it is dropped with a log line naming it and the rest of its batch is stored.
 * - DNSE re-sends the forming minute as it changes: messages are coalesced per (symbol, minute) and
 *   written every ~1 s in one batch (the last version wins). A failed write keeps the batch for the next.
 * - New minutes show in market_candles_1h/1d at once (real-time aggregation); refreshAggregates runs
 *   every few minutes so that completed hours are materialised.
 * - Reconnects with exponential backoff (1 s doubling to 60 s); re-authenticates before the JWT's
 *   `exp` when given a token refresher, and otherwise warns that the token is about to expire.
 */
import { randomBytes } from "node:crypto";
import mqtt, { type MqttClient } from "mqtt";
import { z } from "zod";
import { minuteBarSchema } from "./candle-validation";
import { toStoredPrice } from "./dnse-chart";
import { BarBoundsError, ingestCandles, refreshAggregates, type ConnectionSource } from "./ingest";
import type { CandleRow } from "./types";

export type LiveInstrument = "stock" | "derivative";
export const liveTopic = (instrument: LiveInstrument, symbol: string) => `plaintext/quotes/krx/mdds/v2/ohlc/${instrument}/1/${symbol}`;
const TOPIC = /^plaintext\/quotes\/krx\/mdds\/v2\/ohlc\/(stock|derivative)\/1\/([A-Z0-9._-]+)$/;

export interface LiveFeedConfig {
  url: string;
  investorId: string;
  token: string;
  symbols: { symbol: string; instrument: LiveInstrument }[];
  /** Fetches a fresh token (a service account's login); called before the current one expires. */
  refreshToken?: () => Promise<string>;
  flushMs?: number;
  refreshAggregatesMs?: number;
  minReconnectMs?: number;
  maxReconnectMs?: number;
  /** How long before the token's exp to renew it. */
  tokenLeadMs?: number;
  log?: (line: string) => void;
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const num = (name: string) =>
  z.union([z.number(), z.string().trim().regex(NUMERIC).transform(Number)], { error: (i) => `${name} is ${JSON.stringify(i.input)}, not a number` });

const messageSchema = z.looseObject({
  symbol: z.string({ error: "symbol is missing" }),
  time: num("time"),
  open: num("open"),
  high: num("high"),
  low: num("low"),
  close: num("close"),
  volume: num("volume"),
});

/** The bar a message carries, or why it is refused. */
export function parseLiveMessage(topic: string, payload: Buffer | string): { ok: true; bar: CandleRow } | { ok: false; reason: string } {
  const match = TOPIC.exec(topic);
  if (!match) return { ok: false, reason: "not a 1-minute OHLC topic" };
  const [, instrument, topicSymbol] = match as unknown as [string, LiveInstrument, string];
  let json: unknown;
  try {
    json = JSON.parse(payload.toString());
  } catch {
    return { ok: false, reason: "payload is not JSON" };
  }
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => i.message).join("; ") };
  const m = parsed.data;
  if (m.symbol !== topicSymbol) return { ok: false, reason: `symbol ${JSON.stringify(m.symbol)} does not match the topic's ${topicSymbol}` };
  // Epoch seconds; a value in milliseconds is accepted too.
  const seconds = m.time > 1e11 ? m.time / 1000 : m.time;
  const bar = minuteBarSchema.safeParse({
    time: new Date(seconds * 1000),
    symbol: m.symbol,
    open: toStoredPrice(instrument, m.open),
    high: toStoredPrice(instrument, m.high),
    low: toStoredPrice(instrument, m.low),
    close: toStoredPrice(instrument, m.close),
    volume: m.volume,
  });
  if (!bar.success) return { ok: false, reason: bar.error.issues.map((i) => i.message).join("; ") };
  return { ok: true, bar: bar.data };
}

/** The `exp` claim of a JWT in milliseconds (not verified: only to know when to renew it). */
export function jwtExpiry(token: string): number | undefined {
  const part = token.split(".")[1];
  if (!part) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export interface LiveFeedStats {
  received: number;
  dropped: number;
  stored: number;
  connects: number;
  tokenRenewals: number;
}

const MAX_PENDING = 50_000;

export class LiveFeed {
  readonly stats: LiveFeedStats = { received: 0, dropped: 0, stored: 0, connects: 0, tokenRenewals: 0 };
  private client: MqttClient | undefined;
  private pending = new Map<string, CandleRow>();
  private flushTimer: NodeJS.Timeout | undefined;
  private tokenTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private lastRefresh = Date.now();
  private writtenSinceRefresh = false;
  private token: string;
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: ConnectionSource,
    private readonly config: LiveFeedConfig,
  ) {
    this.token = config.token;
    this.log = config.log ?? ((line) => console.log(line));
  }

  /** The MQTT client (tests use it to cut the connection). */
  get mqttClient(): MqttClient | undefined {
    return this.client;
  }

  start(): void {
    const min = this.config.minReconnectMs ?? 1_000;
    const max = this.config.maxReconnectMs ?? 60_000;
    const client = mqtt.connect(this.config.url, {
      clientId: `dnse-price-json-mqtt-ws-sub-${this.config.investorId}-${randomBytes(4).toString("hex")}`,
      username: this.config.investorId,
      password: this.token,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: min,
      connectTimeout: 10_000,
      keepalive: 60,
    });
    this.client = client;
    client.on("connect", () => {
      this.stats.connects++;
      client.options.reconnectPeriod = min;
      this.log(`[live-feed] connected to ${new URL(this.config.url).host}; subscribing to ${this.config.symbols.length} symbols`);
      const topics = this.config.symbols.map((s) => liveTopic(s.instrument, s.symbol));
      client.subscribe(topics, { qos: 0 }, (error) => {
        if (error) this.log(`[live-feed] subscribe failed: ${error.message}`);
      });
    });
    // mqtt reads reconnectPeriod when it schedules the next attempt: doubling it here backs off.
    client.on("close", () => {
      if (this.stopped) return;
      const next = Math.min(max, Math.max(min, (client.options.reconnectPeriod ?? min) * 2));
      client.options.reconnectPeriod = next;
    });
    client.on("error", (error) => this.log(`[live-feed] ${error.message}`));
    client.on("message", (topic, payload) => this.onMessage(topic, payload));
    this.flushTimer = setInterval(() => void this.flush(), this.config.flushMs ?? 1_000);
    this.scheduleTokenRenewal();
  }

  private onMessage(topic: string, payload: Buffer): void {
    this.stats.received++;
    const result = parseLiveMessage(topic, payload);
    if (!result.ok) {
      this.stats.dropped++;
      this.log(`[live-feed] dropped a message on ${topic}: ${result.reason}`);
      return;
    }
    const key = `${result.bar.symbol}|${result.bar.time.getTime()}`;
    this.pending.delete(key); // re-inserted last: the newest version of a minute wins
    this.pending.set(key, result.bar);
  }

  /** Writes what has arrived since the last flush (one batch, one transaction). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return this.maybeRefresh();
      const batch = this.pending;
      this.pending = new Map();
      try {
        const bars = [...batch.values()];
        // Replacing the forming minute is the feed's normal business: not logged as a change.
        const write = (rows: CandleRow[]) => ingestCandles(this.db, rows, { source: "live-feed", logChanges: false });
        try {
          await write(bars);
        } catch (error) {
          if (!(error instanceof BarBoundsError)) throw error;
          const refused = new Set(error.refused);
          for (const issue of error.issues.slice(0, 5)) this.log(`[live-feed] dropped a bar outside sanity bounds: ${issue.message}`);
          if (refused.size > 5) this.log(`[live-feed] ... and ${refused.size - 5} more bars outside sanity bounds dropped`);
          this.stats.dropped += refused.size;
          const kept = bars.filter((_, i) => !refused.has(i));
          for (const [k, v] of batch) if (!kept.includes(v)) batch.delete(k);
          // The rest once more: a bar judged against a refused one of the same batch is judged again.
          if (kept.length > 0) await write(kept);
        }
        this.stats.stored += batch.size;
        this.writtenSinceRefresh = batch.size > 0 || this.writtenSinceRefresh;
      } catch (error) {
        this.log(`[live-feed] storing ${batch.size} bars failed (kept for the next try): ${(error as Error).message}`);
        // Newer messages that arrived meanwhile win over the kept ones.
        for (const [k, v] of batch) if (!this.pending.has(k) && this.pending.size < MAX_PENDING) this.pending.set(k, v);
      }
      await this.maybeRefresh();
    });
    return this.flushing;
  }

  private async maybeRefresh(): Promise<void> {
    if (!this.writtenSinceRefresh || Date.now() - this.lastRefresh < (this.config.refreshAggregatesMs ?? 300_000)) return;
    try {
      await refreshAggregates(this.db);
      this.lastRefresh = Date.now();
      this.writtenSinceRefresh = false;
    } catch (error) {
      this.log(`[live-feed] refreshing the aggregates failed: ${(error as Error).message}`);
    }
  }

  private scheduleTokenRenewal(): void {
    clearTimeout(this.tokenTimer);
    const exp = jwtExpiry(this.token);
    if (exp === undefined || this.stopped) return;
    const lead = this.config.tokenLeadMs ?? 10 * 60_000;
    const delay = Math.max(0, Math.min(exp - lead - Date.now(), 2 ** 31 - 1));
    this.tokenTimer = setTimeout(() => void this.renewToken(exp), delay);
    this.tokenTimer.unref?.();
  }

  private async renewToken(exp: number): Promise<void> {
    if (this.stopped) return;
    if (!this.config.refreshToken) {
      this.log(`[live-feed] the DNSE token expires at ${new Date(exp).toISOString()} and nothing can renew it: configure DNSE_USERNAME and DNSE_PASSWORD, or replace DNSE_TOKEN before then.`);
      return;
    }
    try {
      this.token = await this.config.refreshToken();
      this.stats.tokenRenewals++;
      const client = this.client;
      if (client) {
        // The next connection authenticates with the new token; reconnect now rather than at expiry.
        client.options.password = this.token;
        client.end(true, {}, () => {
          if (!this.stopped) client.reconnect();
        });
      }
      this.log("[live-feed] renewed the DNSE token and reconnected");
    } catch (error) {
      this.log(`[live-feed] renewing the DNSE token failed: ${(error as Error).message}; retrying in a minute`);
      this.tokenTimer = setTimeout(() => void this.renewToken(exp), 60_000);
      this.tokenTimer.unref?.();
      return;
    }
    this.scheduleTokenRenewal();
  }

  /** Stops: unsubscribes, writes what is pending, closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.flushTimer);
    clearTimeout(this.tokenTimer);
    await new Promise<void>((resolve) => (this.client ? this.client.end(false, {}, () => resolve()) : resolve()));
    await this.flush();
  }
}

export function startLiveFeed(db: ConnectionSource, config: LiveFeedConfig): LiveFeed {
  const feed = new LiveFeed(db, config);
  feed.start();
  return feed;
}
