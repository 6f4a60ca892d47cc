/**
 * The live feed against the real Mosquitto (MQTT_URL, e.g. mqtt://127.0.0.1:1883; skipped without it)
 * and the real PostgreSQL (a database of this file's own): DNSE-format messages become bars, malformed
 * ones are dropped without stopping the feed, a cut connection comes back, and the token is renewed
 * before it expires.
 */
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { eventually } from "@/test/eventually";
import { DNSE_TOKEN_LIFETIME_MS, dnseIndexName, jwtExpiry, liveTopic, parseLiveMessage, startLiveFeed, tokenExpiry, type LiveFeed } from "./live-feed";

const MQTT_URL = process.env.MQTT_URL;
if (!MQTT_URL) console.log("[live-feed.test] MQTT_URL is not set: the Mosquitto tests are skipped.");

const fakeJwt = (expSeconds: number) =>
  `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ exp: expSeconds })).toString("base64url")}.sig`;

// A message as DNSE sends it (captured shape: numbers as strings in places, time in epoch seconds).
const message = (symbol: string, iso: string, close: number, volume = 12900) =>
  JSON.stringify({ time: String(Date.parse(iso) / 1000), open: 25.95, high: 26.1, low: 25.9, close, volume: String(volume), symbol, lastUpdated: String(Date.parse(iso) / 1000 + 52) });

describe("parseLiveMessage", () => {
  const topic = liveTopic("stock", "HPG");
  it("reads DNSE's message into a bar in VND", () => {
    expect(parseLiveMessage(topic, message("HPG", "2025-03-04T02:15:00Z", 26.05))).toEqual({
      ok: true,
      bar: { time: new Date("2025-03-04T02:15:00Z"), symbol: "HPG", open: 25_950, high: 26_100, low: 25_900, close: 26_050, volume: 12_900 },
    });
    const derivative = parseLiveMessage(liveTopic("derivative", "VN30F1M"), JSON.stringify({ symbol: "VN30F1M", time: 1741054500, open: 1320.5, high: 1321, low: 1320, close: 1320.7, volume: 100 }));
    expect(derivative).toMatchObject({ ok: true, bar: { close: 1320.7 } });
  });

  it.each([
    ["not JSON", "{oops", /payload is not JSON/],
    ["a price that is not a number", JSON.stringify({ symbol: "HPG", time: 1741054500, open: "abc", high: 1, low: 1, close: 1, volume: 1 }), /open is "abc", not a number/],
    ["another symbol than the topic's", message("HSG", "2025-03-04T02:15:00Z", 26.05), /does not match the topic's HPG/],
    ["a bar breaking the rules", JSON.stringify({ symbol: "HPG", time: 1741054500, open: 26, high: 25, low: 25.5, close: 26, volume: 1 }), /high 25000 is below low 25500/],
    ["a time inside a minute", JSON.stringify({ symbol: "HPG", time: 1741054530, open: 26, high: 26, low: 26, close: 26, volume: 1 }), /is not the start of a minute/],
  ])("refuses %s", (_label, payload, reason) => {
    const result = parseLiveMessage(topic, payload);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it("reads a JWT's expiry", () => {
    expect(jwtExpiry(fakeJwt(1_800_000_000))).toBe(1_800_000_000_000);
    expect(jwtExpiry("not-a-jwt")).toBeUndefined();
  });

  it("without exp, assumes DNSE's documented 8 hours from iat, else from when the token was obtained", () => {
    const jwt = (claims: object) => `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
    expect(DNSE_TOKEN_LIFETIME_MS).toBe(8 * 3600_000);
    expect(tokenExpiry(fakeJwt(1_800_000_000), 5)).toEqual({ at: 1_800_000_000_000, from: "exp" });
    expect(tokenExpiry(jwt({ iat: 1_700_000_000 }), 5)).toEqual({ at: 1_700_000_000_000 + 8 * 3600_000, from: "iat" });
    expect(tokenExpiry(jwt({ sub: "x" }), 1_000)).toEqual({ at: 1_000 + 8 * 3600_000, from: "obtained" });
    expect(tokenExpiry("opaque-token", 1_000, 60_000)).toEqual({ at: 61_000, from: "obtained" });
  });

  it("follows DNSE's index names (VNINDEX, VN30, HNX, HNX30, UPCOM) and reads index bars in points", () => {
    expect(["VNINDEX", "VN30", "HNX-INDEX", "HNXINDEX", "HNX30", "UPCOM", "VN100"].map(dnseIndexName)).toEqual(["VNINDEX", "VN30", "HNX", "HNX", "HNX30", "UPCOM", undefined]);
    expect(liveTopic("index", "VN30")).toBe("plaintext/quotes/krx/mdds/v2/ohlc/index/1/VN30");
    const t = String(Date.parse("2025-03-04T02:15:00Z") / 1000);
    const payload = { time: t, open: 1340.5, high: 1342.25, low: 1339.75, close: 1341.5, volume: "1250300.5" };
    expect(parseLiveMessage(liveTopic("index", "HNX"), JSON.stringify({ ...payload, symbol: "HNX" }), () => "HNX-INDEX")).toEqual({
      ok: true,
      bar: { time: new Date("2025-03-04T02:15:00Z"), symbol: "HNX-INDEX", open: 1340.5, high: 1342.25, low: 1339.75, close: 1341.5, volume: 1_250_301 },
    });
    // An index message naming itself by indexName is read as well; another index's is refused.
    expect(parseLiveMessage(liveTopic("index", "VN30"), JSON.stringify({ ...payload, indexName: "VN30" }))).toMatchObject({ ok: true, bar: { symbol: "VN30" } });
    expect(parseLiveMessage(liveTopic("index", "VN30"), JSON.stringify({ ...payload, indexName: "VNINDEX" }))).toEqual({ ok: false, reason: 'symbol "VNINDEX" does not match the topic\'s VN30' });
    expect(parseLiveMessage(liveTopic("index", "VN30"), JSON.stringify(payload))).toEqual({ ok: false, reason: "symbol is missing" });
  });
});

describe.skipIf(!MQTT_URL)("the live feed on Mosquitto (MQTT_URL)", () => {
  const db = scratchDatabaseForFile("live_feed");
  let feed: LiveFeed;
  let publisher: mqtt.MqttClient;
  const lines: string[] = [];
  let renewals = 0;
  // Unique symbols per run: the shared broker may carry other runs' messages.
  const suffix = Math.random().toString(36).slice(2, 6).toUpperCase();
  const A = `T${suffix}A`;
  const B = `T${suffix}B`;

  const bars = async (symbol: string) =>
    (await db.pool.query("SELECT time, close, volume FROM market_candles WHERE symbol = $1 ORDER BY time", [symbol])).rows;
  const publish = (symbol: string, payload: string) =>
    new Promise<void>((resolve, reject) => publisher.publish(liveTopic("stock", symbol), payload, { qos: 1 }, (e) => (e ? reject(e) : resolve())));

  beforeAll(async () => {
    publisher = await mqtt.connectAsync(MQTT_URL!);
    feed = startLiveFeed(db.pool, {
      url: MQTT_URL!,
      investorId: "0001000115",
      // Expires in 3 s; renewed 2.5 s before: the renewal happens half a second in.
      token: fakeJwt(Math.floor(Date.now() / 1000) + 3),
      tokenLeadMs: 2_500,
      refreshToken: async () => {
        renewals++;
        return fakeJwt(Math.floor(Date.now() / 1000) + 3600);
      },
      symbols: [
        { symbol: A, instrument: "stock" },
        { symbol: B, instrument: "stock" },
      ],
      flushMs: 100,
      minReconnectMs: 100,
      log: (line) => lines.push(line),
    });
    // The token is renewed half a second in, which reconnects: publish only after that settled.
    await eventually(async () => feed.stats.connects, (n) => n >= 2, 10_000);
    await new Promise((r) => setTimeout(r, 300)); // subscriptions acknowledged
  });
  afterAll(async () => {
    await feed?.stop();
    await publisher?.endAsync();
  });

  it("stores DNSE-format messages as 1-minute bars in VND, the last version of a minute winning", async () => {
    await publish(A, message(A, "2025-03-04T02:15:00Z", 25.95, 100));
    await publish(A, message(A, "2025-03-04T02:15:00Z", 26.05, 300)); // the same minute, updated
    await publish(A, message(A, "2025-03-04T02:16:00Z", 26.1));
    const stored = await eventually(() => bars(A), (r) => r.length === 2 && r[0].volume === "300");
    expect(stored).toEqual([
      { time: new Date("2025-03-04T02:15:00Z"), close: 26_050, volume: "300" },
      { time: new Date("2025-03-04T02:16:00Z"), close: 26_100, volume: "12900" },
    ]);
  });

  it("drops malformed messages with a log line and keeps going", async () => {
    const dropped = feed.stats.dropped;
    await publish(B, "{not json");
    await publish(B, JSON.stringify({ symbol: B, time: 1741054500, open: 26, high: 25, low: 25.5, close: 26, volume: 1 }));
    await publish(B, message(B, "2025-03-04T02:20:00Z", 26));
    expect(await eventually(() => bars(B), (r) => r.length === 1)).toHaveLength(1);
    expect(feed.stats.dropped - dropped).toBe(2);
    expect(lines.filter((l) => l.startsWith(`[live-feed] dropped a message on ${liveTopic("stock", B)}`))).toHaveLength(2);
    expect(lines.join("\n")).not.toContain("eyJ"); // no token in the logs
  });

  it("drops a bar outside the sanity bounds with a log line, stores the rest of its batch, and keeps going", async () => {
    const dropped = feed.stats.dropped;
    // 1e300 thousand VND: a valid bar by the candle rules, far outside any plausible price.
    const absurd = JSON.stringify({ symbol: B, time: String(Date.parse("2025-03-04T02:22:00Z") / 1000), open: 1e300, high: 1e300, low: 1e300, close: 1e300, volume: "100" });
    await publish(B, message(B, "2025-03-04T02:21:00Z", 26));
    await publish(B, absurd);
    const stored = await eventually(() => bars(B), (r) => r.length === 2);
    expect(stored.map((r) => r.time)).toEqual([new Date("2025-03-04T02:20:00Z"), new Date("2025-03-04T02:21:00Z")]);
    await eventually(async () => feed.stats.dropped, (n) => n > dropped);
    expect(feed.stats.dropped - dropped).toBe(1);
    expect(lines.some((l) => l.startsWith("[live-feed] dropped a bar outside sanity bounds:") && l.includes(`${B} 2025-03-04T09:22:00+07:00`) && l.includes("plausible range"))).toBe(true);
    await publish(B, message(B, "2025-03-04T02:23:00Z", 26));
    expect(await eventually(() => bars(B), (r) => r.length === 3)).toHaveLength(3);
  });

  it("reconnects after the connection is cut, resubscribes, and goes on storing", async () => {
    const connects = feed.stats.connects;
    feed.mqttClient!.stream.destroy();
    await eventually(async () => feed.stats.connects, (n) => n > connects, 10_000);
    expect(feed.stats.connects).toBeGreaterThan(connects);
    await new Promise((r) => setTimeout(r, 300));
    await publish(A, message(A, "2025-03-04T02:30:00Z", 26.05));
    expect(await eventually(() => bars(A), (r) => r.length === 3)).toHaveLength(3);
  });

  it("renewed the token before it expired and reconnected with it", async () => {
    await eventually(async () => renewals, (n) => n >= 1);
    expect(renewals).toBe(1);
    expect(feed.stats.tokenRenewals).toBe(1);
    expect(lines).toContain("[live-feed] renewed the DNSE token and reconnected");
    expect(feed.mqttClient!.options.password).not.toBe(undefined);
  });
});
