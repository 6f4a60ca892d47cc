/**
 * DNSE's live candles over MQTT (mqtt 5): subscribes, QoS 1 as DNSE's sample client does
 * (manhngodh/dnse-trading-bot, backend/mqtt.py @ 0bdf0c96d3cdce3d88c2197afa4ef9e363d52ab4), to
 * `plaintext/quotes/krx/mdds/v2/ohlc/{stock|derivative}/1/{symbol}` and
 * `plaintext/quotes/krx/mdds/v2/ohlc/index/1/{indexName}` (VNINDEX, VN30, HNX30, HNX, UPCOM) for a watch
 * list and upserts the 1-minute bars as they arrive. Source of the topics, the index names and the
 * broker's settings: DNSE's "LightSpeed API_KRX" documentation, Market Data § 2.1 "Môi trường" and
 * § 2.2 "KRX Topics", copied in manhngodh/dnse-trading-bot, "DNSE documents/dnse_docmuments.md" @
 * 6137f5609113256afa7e8b0dd4195404d152e08d: host datafeed-lts-krx.dnse.com.vn, port 443, path /wss,
 * client id `dnse-price-json-mqtt-ws-sub-<investorId>-<random>`, username = investorId (from /me),
 * password = the JWT (from /auth). A message is JSON like
 * {"symbol":"FPT","time":"1780541940","open":76.6,…,"volume":"12900","lastUpdated":…}: numbers may come
 * as strings, time in epoch seconds, stock prices in thousand VND, index prices in points. The field
 * list of the OHLC message is in DNSE's attached spreadsheet (not public): an index message naming
 * itself by `indexName` instead of `symbol` is read too.
 *
 * - Each message is zod-checked and checked with the candle rules; a bad one is logged (topic and
 *   reason, never credentials) and dropped; the feed goes on. A bar outside the sanity bounds
 *   (bar-bounds.ts: an implausible price, a stock beyond the day's limits) is refused by the write:
 *   it is dropped with a log line naming it and the rest of its batch is stored.
 * - DNSE re-sends the forming minute as it changes: messages are coalesced per (symbol, minute) and
 *   written every ~1 s in one batch (the last version wins). A failed write keeps the batch for the next.
 * - New minutes show in market_candles_1h/1d at once (real-time aggregation); refreshAggregates runs
 *   every few minutes so that completed hours are materialised.
 * - Reconnects with exponential backoff (1 s doubling to 60 s). The token is renewed before it expires:
 *   at its `exp`, or, without one, DNSE's documented lifetime (8 hours) from its `iat`, or from when it
 *   was obtained. When it cannot be renewed, the feed stops at expiry with a message (log and onStop),
 *   rather than reconnecting forever with an expired token. The broker refusing the credentials, or a
 *   TLS handshake failing, stops it the same way, in words (for TLS: the host and the certificate's
 *   issuer, and DNSE_MQTT_CA_FILE for pinning a CA; verification is never turned off).
 */
import { randomBytes } from "node:crypto";
import tls from "node:tls";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { z } from "zod";
import { minuteBarSchema } from "./candle-validation";
import { toStoredPrice } from "./dnse-chart";
import { BarBoundsError, ingestCandles, refreshAggregates, type ConnectionSource } from "./ingest";
import type { CandleRow } from "./types";

export type LiveInstrument = "stock" | "derivative" | "index";
/** `name`: the symbol, or for an index DNSE's index name (dnseIndexName). */
export const liveTopic = (instrument: LiveInstrument, name: string) => `plaintext/quotes/krx/mdds/v2/ohlc/${instrument}/1/${name}`;
const TOPIC = /^plaintext\/quotes\/krx\/mdds\/v2\/ohlc\/(stock|derivative|index)\/1\/([A-Za-z0-9._-]+)$/;

/** DNSE's index names (KRX Topics: VN30, VNINDEX, HNX30, HNX, UPCOM) by the names QuantFlow may use. */
const INDEX_NAMES: Record<string, string> = {
  VNINDEX: "VNINDEX",
  "VN-INDEX": "VNINDEX",
  VN30: "VN30",
  HNX30: "HNX30",
  HNX: "HNX",
  "HNX-INDEX": "HNX",
  HNXINDEX: "HNX",
  UPCOM: "UPCOM",
  "UPCOM-INDEX": "UPCOM",
  UPCOMINDEX: "UPCOM",
};

/** DNSE's index name for a QuantFlow index symbol, or undefined when DNSE has no OHLC topic for it. */
export function dnseIndexName(symbol: string): string | undefined {
  return INDEX_NAMES[symbol.toUpperCase()];
}

/** DNSE's documented token lifetime ("JWT token (có hiệu lực trong 8 tiếng)", § 2.1 a). */
export const DNSE_TOKEN_LIFETIME_MS = 8 * 3600_000;

export interface LiveFeedConfig {
  url: string;
  investorId: string;
  token: string;
  symbols: { symbol: string; instrument: LiveInstrument }[];
  /** Fetches a fresh token (a service account's login); called before the current one expires. */
  refreshToken?: () => Promise<string>;
  /** When `token` was obtained (ms): the lifetime counts from it when the JWT has neither exp nor iat. */
  tokenObtainedAt?: number;
  /** The token's lifetime when it has no `exp` (DNSE documents 8 hours). */
  tokenLifetimeMs?: number;
  /** Certificate authorities (PEM) trusted for the broker instead of the system's (DNSE_MQTT_CA_FILE). */
  ca?: string | Buffer;
  /** Told once, in words, when the feed stops by itself (expired token, refused credentials, TLS). */
  onStop?: (reason: string) => void;
  flushMs?: number;
  refreshAggregatesMs?: number;
  minReconnectMs?: number;
  maxReconnectMs?: number;
  /** How long before the token's expiry to renew it. */
  tokenLeadMs?: number;
  /** How soon a failed renewal is tried again (while the token still holds). */
  tokenRetryMs?: number;
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

const indexNameSchema = z.looseObject({ indexName: z.string() });

/**
 * The bar a message carries, or why it is refused. `symbolOf` maps an index topic's DNSE name to
 * QuantFlow's symbol (the name itself by default).
 */
export function parseLiveMessage(
  topic: string,
  payload: Buffer | string,
  symbolOf: (instrument: LiveInstrument, name: string) => string = (_i, name) => name,
): { ok: true; bar: CandleRow } | { ok: false; reason: string } {
  const match = TOPIC.exec(topic);
  if (!match) return { ok: false, reason: "not a 1-minute OHLC topic" };
  const [, instrument, topicName] = match as unknown as [string, LiveInstrument, string];
  let json: unknown;
  try {
    json = JSON.parse(payload.toString());
  } catch {
    return { ok: false, reason: "payload is not JSON" };
  }
  // An index message may name itself by indexName: read it as the symbol.
  if (instrument === "index" && typeof json === "object" && json !== null && !("symbol" in json)) {
    const named = indexNameSchema.safeParse(json);
    if (named.success) json = { ...named.data, symbol: named.data.indexName };
  }
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => i.message).join("; ") };
  const m = parsed.data;
  if (m.symbol !== topicName) return { ok: false, reason: `symbol ${JSON.stringify(m.symbol)} does not match the topic's ${topicName}` };
  // Epoch seconds; a value in milliseconds is accepted too.
  const seconds = m.time > 1e11 ? m.time / 1000 : m.time;
  const bar = minuteBarSchema.safeParse({
    time: new Date(seconds * 1000),
    symbol: symbolOf(instrument, m.symbol),
    open: toStoredPrice(instrument, m.open),
    high: toStoredPrice(instrument, m.high),
    low: toStoredPrice(instrument, m.low),
    close: toStoredPrice(instrument, m.close),
    // An index's volume may come with decimals (a sum of lots): whole shares are stored.
    volume: instrument === "index" ? Math.round(m.volume) : m.volume,
  });
  if (!bar.success) return { ok: false, reason: bar.error.issues.map((i) => i.message).join("; ") };
  return { ok: true, bar: bar.data };
}

function jwtClaims(token: string): Record<string, unknown> | undefined {
  const part = token.split(".")[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The `exp` claim of a JWT in milliseconds (not verified: only to know when to renew it). */
export function jwtExpiry(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === "number" ? exp * 1000 : undefined;
}

/**
 * When a token expires (ms) and how that is known: its `exp`; else DNSE's documented lifetime from its
 * `iat`; else that lifetime from when it was obtained.
 */
export function tokenExpiry(token: string, obtainedAt: number, lifetimeMs = DNSE_TOKEN_LIFETIME_MS): { at: number; from: "exp" | "iat" | "obtained" } {
  const claims = jwtClaims(token);
  if (typeof claims?.exp === "number") return { at: claims.exp * 1000, from: "exp" };
  if (typeof claims?.iat === "number") return { at: claims.iat * 1000 + lifetimeMs, from: "iat" };
  return { at: obtainedAt + lifetimeMs, from: "obtained" };
}

/** Node's codes for a certificate the client does not trust (or that does not fit the host). */
const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

export function isTlsVerificationError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && TLS_CODES.has(code);
}

/** The issuer of the certificate a host presents, read without trusting it (only to name it). */
export function certificateIssuer(host: string, port: number, timeoutMs = 5_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, servername: /^[\d.]+$|:/.test(host) ? undefined : host, rejectUnauthorized: false });
    const done = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once("error", () => done(undefined));
    socket.once("secureConnect", () => {
      const issuer = socket.getPeerCertificate()?.issuer as Record<string, string | string[]> | undefined;
      const name = issuer && [issuer.CN, issuer.O].flat().filter(Boolean).join(", ");
      done(name || undefined);
    });
  });
}

/** MQTT 5 reason codes (and MQTT 3's return codes) that mean "these credentials are refused". */
const AUTH_REFUSED: Record<number, string> = { 4: "bad user name or password", 5: "not authorized", 134: "bad user name or password", 135: "not authorized" };

export interface LiveFeedStats {
  received: number;
  dropped: number;
  stored: number;
  connects: number;
  tokenRenewals: number;
  /** The QoS the broker granted the subscriptions (DNSE's sample asks for 1). */
  grantedQos: number[];
}

const MAX_PENDING = 50_000;

export class LiveFeed {
  readonly stats: LiveFeedStats = { received: 0, dropped: 0, stored: 0, connects: 0, tokenRenewals: 0, grantedQos: [] };
  /** Why the feed stopped by itself; undefined while it runs (or after stop()). */
  stoppedReason: string | undefined;
  private client: MqttClient | undefined;
  private pending = new Map<string, CandleRow>();
  private flushTimer: NodeJS.Timeout | undefined;
  private tokenTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private lastRefresh = Date.now();
  private writtenSinceRefresh = false;
  private token: string;
  private tokenObtainedAt: number;
  /** When the current token expires (ms), as scheduleTokenRenewal worked it out. */
  private expiresAt = 0;
  private renewedAfterRefusal = false;
  private readonly symbolByTopicName = new Map<string, string>();
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: ConnectionSource,
    private readonly config: LiveFeedConfig,
  ) {
    this.token = config.token;
    this.tokenObtainedAt = config.tokenObtainedAt ?? Date.now();
    this.log = config.log ?? ((line) => console.log(line));
    for (const s of config.symbols) this.symbolByTopicName.set(`${s.instrument}/${this.topicName(s)}`, s.symbol);
  }

  private topicName(s: { symbol: string; instrument: LiveInstrument }): string {
    return s.instrument === "index" ? (dnseIndexName(s.symbol) ?? s.symbol) : s.symbol;
  }

  /** The MQTT client (tests use it to cut the connection). */
  get mqttClient(): MqttClient | undefined {
    return this.client;
  }

  start(): void {
    this.openClient();
    this.flushTimer = setInterval(() => void this.flush(), this.config.flushMs ?? 1_000);
    this.scheduleTokenRenewal();
  }

  /** A new MQTT client (its own client id) signing in with the current token. */
  private openClient(): void {
    const min = this.config.minReconnectMs ?? 1_000;
    const max = this.config.maxReconnectMs ?? 60_000;
    const options: IClientOptions = {
      clientId: `dnse-price-json-mqtt-ws-sub-${this.config.investorId}-${randomBytes(4).toString("hex")}`,
      username: this.config.investorId,
      password: this.token,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: min,
      connectTimeout: 10_000,
      keepalive: 60,
      // Verification stays on; a pinned CA replaces the system's list, never switches it off.
      rejectUnauthorized: true,
      ...(this.config.ca ? { ca: this.config.ca } : {}),
    };
    const client = mqtt.connect(this.config.url, options);
    this.client = client;
    client.on("connect", () => {
      this.stats.connects++;
      this.renewedAfterRefusal = false;
      client.options.reconnectPeriod = min;
      this.log(`[live-feed] connected to ${new URL(this.config.url).host}; subscribing to ${this.config.symbols.length} symbols`);
      const topics = this.config.symbols.map((s) => liveTopic(s.instrument, this.topicName(s)));
      client.subscribe(topics, { qos: 1 }, (error, granted) => {
        if (error) this.log(`[live-feed] subscribe failed: ${error.message}`);
        else this.stats.grantedQos = (granted ?? []).map((g) => g.qos);
      });
    });
    // mqtt reads reconnectPeriod when it schedules the next attempt: doubling it here backs off.
    client.on("close", () => {
      if (this.stopped) return;
      const next = Math.min(max, Math.max(min, (client.options.reconnectPeriod ?? min) * 2));
      client.options.reconnectPeriod = next;
    });
    client.on("error", (error) => void this.onError(error));
    client.on("message", (topic, payload) => this.onMessage(topic, payload));
  }

  private async onError(error: Error & { code?: unknown }): Promise<void> {
    if (this.stopped) return;
    const url = new URL(this.config.url);
    const code = typeof error.code === "number" ? error.code : undefined;
    if (code !== undefined && AUTH_REFUSED[code]) {
      // A token DNSE no longer takes: one fresh sign-in, if the feed can sign in, before giving up.
      if (this.config.refreshToken && !this.renewedAfterRefusal) {
        this.renewedAfterRefusal = true;
        this.log(`[live-feed] DNSE's broker refused the token (${AUTH_REFUSED[code]}); signing in again`);
        return this.renewToken();
      }
      return this.fail(
        `DNSE's broker at ${url.host} refused the sign-in of investor ${this.config.investorId} (MQTT reason ${code}: ${AUTH_REFUSED[code]}). ` +
          `The token may have expired or the investor id may be wrong: ${this.config.refreshToken ? "check DNSE_USERNAME and DNSE_PASSWORD" : "set a fresh DNSE_TOKEN (or DNSE_USERNAME and DNSE_PASSWORD)"}.`,
      );
    }
    if (isTlsVerificationError(error)) {
      const port = Number(url.port) || (url.protocol === "wss:" || url.protocol === "mqtts:" ? (url.protocol === "wss:" ? 443 : 8883) : 80);
      const issuer = await certificateIssuer(url.hostname, port);
      return this.fail(
        `The TLS handshake with DNSE's broker ${url.hostname}:${port} failed: its certificate${issuer ? `, issued by "${issuer}",` : ""} is not trusted (${error.message}; ${String(error.code)}). ` +
          `QuantFlow verifies the broker's certificate${this.config.ca ? " against DNSE_MQTT_CA_FILE" : ""}. If this is DNSE's broker and you trust that issuer, save its CA certificate (PEM) in a file and point DNSE_MQTT_CA_FILE to it.`,
      );
    }
    this.log(`[live-feed] ${error.message}`);
  }

  /** Stops the feed by itself: says why once (log and onStop) and never reconnects. */
  private async fail(reason: string): Promise<void> {
    if (this.stopped) return;
    this.stoppedReason = reason;
    this.log(`[live-feed] stopped: ${reason}`);
    try {
      this.config.onStop?.(reason);
    } catch (error) {
      this.log(`[live-feed] telling of the stop failed: ${(error as Error).message}`);
    }
    await this.stop();
    this.stoppedReason = reason;
  }

  private onMessage(topic: string, payload: Buffer): void {
    this.stats.received++;
    const result = parseLiveMessage(topic, payload, (instrument, name) => this.symbolByTopicName.get(`${instrument}/${name}`) ?? name);
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
    if (this.stopped) return;
    const expiry = tokenExpiry(this.token, this.tokenObtainedAt, this.config.tokenLifetimeMs);
    if (expiry.from !== "exp") {
      this.log(`[live-feed] the DNSE token carries no expiry: assuming DNSE's documented lifetime, until ${new Date(expiry.at).toISOString()} (from its ${expiry.from === "iat" ? "issue time" : "receipt"})`);
    }
    const lead = this.config.tokenLeadMs ?? 10 * 60_000;
    this.expiresAt = expiry.at;
    // A fresh token already inside the lead (a lifetime shorter than it) is not renewed in a tight loop.
    const floor = this.stats.tokenRenewals > 0 ? Math.min(this.config.tokenRetryMs ?? 60_000, Math.max(0, expiry.at - Date.now()) / 2) : 0;
    this.setTokenTimer(() => void this.renewToken(), Math.max(floor, expiry.at - lead - Date.now()));
  }

  private setTokenTimer(run: () => void, delayMs: number): void {
    clearTimeout(this.tokenTimer);
    this.tokenTimer = setTimeout(run, Math.max(0, Math.min(delayMs, 2 ** 31 - 1)));
    this.tokenTimer.unref?.();
  }

  private async renewToken(): Promise<void> {
    if (this.stopped) return;
    const exp = this.expiresAt;
    if (!this.config.refreshToken) {
      this.log(`[live-feed] the DNSE token expires at ${new Date(exp).toISOString()} and nothing can renew it: configure DNSE_USERNAME and DNSE_PASSWORD, or replace DNSE_TOKEN before then.`);
      this.setTokenTimer(
        () => void this.fail(`the DNSE token expired at ${new Date(exp).toISOString()} and nothing can renew it: configure DNSE_USERNAME and DNSE_PASSWORD, or set a fresh DNSE_TOKEN and restart.`),
        exp - Date.now(),
      );
      return;
    }
    try {
      this.token = await this.config.refreshToken();
      this.tokenObtainedAt = Date.now();
      this.stats.tokenRenewals++;
      const old = this.client;
      if (old && !this.stopped) {
        // A fresh client signs in with the new token now rather than at expiry. Reconnecting the old one
        // (end, then reconnect) could leave its own reconnect timer racing the new stream: two
        // connections of one client id, each taking the session over from the other.
        old.removeAllListeners();
        old.on("error", () => {}); // the abandoned connection's last words are not the feed's
        old.end(true);
        this.openClient();
      }
      this.log("[live-feed] renewed the DNSE token and reconnected");
    } catch (error) {
      const message = (error as Error).message;
      const retryMs = this.config.tokenRetryMs ?? 60_000;
      if (Date.now() + retryMs < exp) {
        this.log(`[live-feed] renewing the DNSE token failed: ${message}; retrying in ${Math.round(retryMs / 1000)} s (it expires at ${new Date(exp).toISOString()})`);
        this.setTokenTimer(() => void this.renewToken(), retryMs);
      } else {
        // No reconnecting forever with an expired token.
        this.setTokenTimer(
          () => void this.fail(`renewing the DNSE token failed (${message}) and the token expired at ${new Date(exp).toISOString()}. Check DNSE_USERNAME, DNSE_PASSWORD and DNSE_USER_SERVICE_URL, then restart.`),
          exp - Date.now(),
        );
      }
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
