/**
 * The live feed against a real Mosquitto set up with DNSE's authentication (test/mosquitto-dnse.ts):
 * MQTT over a TLS WebSocket on /wss with a certificate generated for the test (its CA handed to the
 * feed as DNSE_MQTT_CA_FILE would), username = investor id and password = token from a password file.
 * A right token receives the captured payloads at QoS 1; a wrong one is refused in words and the feed
 * stops; an untrusted certificate stops it naming the host and the issuer; a token that cannot be
 * renewed stops it at expiry. Skipped, saying why, where Mosquitto (or openssl) is missing.
 */
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mosquittoMissing, startDnseBroker, type DnseBroker } from "@/test/mosquitto-dnse";
import { eventually as eventuallyWithin } from "@/test/eventually";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { liveTopic, startLiveFeed, type LiveFeed, type LiveFeedConfig } from "./live-feed";
import { readMqttCa } from "./live-feed-start";

const missing = mosquittoMissing();
if (missing) console.log(`[live-feed-dnse-auth.test] skipped: ${missing}.`);

const INVESTOR = "0001000115";
const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
/** A JWT as DNSE's sign-in gives (HS256, iat, no exp: nothing says DNSE's carries one). */
const TOKEN = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: INVESTOR, iat: Math.floor(Date.now() / 1000) })}.c2lnbmF0dXJlLW9mLWRuc2U`;

// Payloads in the shape captured from DNSE's feed (numbers as strings in places, time in epoch
// seconds, stock prices in thousand VND, index prices in points).
const stockMessage = (symbol: string, iso: string, close: number) =>
  JSON.stringify({ time: String(Date.parse(iso) / 1000), open: 25.95, high: 26.1, low: 25.9, close, volume: "12900", symbol, lastUpdated: String(Date.parse(iso) / 1000 + 52) });
const indexMessage = (name: string, iso: string, close: number) =>
  JSON.stringify({ time: String(Date.parse(iso) / 1000), open: 1340.5, high: 1342.25, low: 1339.75, close, volume: "1250300.5", symbol: name, lastUpdated: String(Date.parse(iso) / 1000 + 40) });

/** The broker reloads and TLS handshakes of this file take longer than a plain connection: 8 s. */
const eventually = <T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 8_000) => eventuallyWithin(read, ok, ms);

describe.skipIf(!!missing)("the live feed on a Mosquitto with DNSE's authentication (wss /wss, TLS, password file)", () => {
  const db = scratchDatabaseForFile("live_feed_dnse_auth");
  let broker: DnseBroker;
  const feeds: LiveFeed[] = [];
  const start = (config: Partial<LiveFeedConfig>, lines: string[], stops: string[]) => {
    const feed = startLiveFeed(db.pool, {
      url: broker.wssUrl,
      investorId: INVESTOR,
      token: TOKEN,
      ca: broker.caPem,
      symbols: [],
      flushMs: 100,
      minReconnectMs: 100,
      log: (l) => lines.push(l),
      onStop: (r) => stops.push(r),
      ...config,
    });
    feeds.push(feed);
    return feed;
  };

  beforeAll(async () => {
    broker = await startDnseBroker({ investorId: INVESTOR, token: TOKEN });
  }, 30_000);
  afterAll(async () => {
    for (const f of feeds) await f.stop();
    await broker?.stop();
  });

  it("signs in with the investor id and token, follows a stock and an index at QoS 1, and stores the captured payloads", async () => {
    const lines: string[] = [];
    const stops: string[] = [];
    const feed = start({ symbols: [{ symbol: "HPG", instrument: "stock" }, { symbol: "HNX-INDEX", instrument: "index" }] }, lines, stops);
    await eventually(() => feed.stats.grantedQos, (q) => q.length === 2);
    expect(feed.stats.grantedQos).toEqual([1, 1]);
    expect(feed.mqttClient!.options.path).toBe("/wss");
    // The broker saw DNSE's client id, the investor id as username, MQTT 5.
    expect(broker.log()).toMatch(new RegExp(`as dnse-price-json-mqtt-ws-sub-${INVESTOR}-[0-9a-f]{8} \\(p5, c1, k60, u'${INVESTOR}'\\)`));

    const publisher = await mqtt.connectAsync(broker.mqttUrl, { username: INVESTOR, password: TOKEN });
    try {
      const send = (topic: string, payload: string) => publisher.publishAsync(topic, payload, { qos: 1 });
      await send(liveTopic("stock", "HPG"), stockMessage("HPG", "2025-03-04T02:15:00Z", 26.05));
      // HNX-Index is "HNX" on DNSE's index topic; stored under QuantFlow's symbol, in points.
      await send(liveTopic("index", "HNX"), indexMessage("HNX", "2025-03-04T02:15:00Z", 1341.5));
      await send(liveTopic("index", "HNX"), "{not json");
    } finally {
      await publisher.endAsync();
    }
    const rows = await eventually(
      async () => (await db.pool.query("SELECT symbol, time, close, volume FROM market_candles ORDER BY symbol")).rows,
      (r) => r.length === 2,
    );
    expect(rows).toEqual([
      { symbol: "HNX-INDEX", time: new Date("2025-03-04T02:15:00Z"), close: 1341.5, volume: "1250301" },
      { symbol: "HPG", time: new Date("2025-03-04T02:15:00Z"), close: 26_050, volume: "12900" },
    ]);
    await eventually(() => feed.stats.dropped, (n) => n === 1);
    expect(lines).toContain(`[live-feed] dropped a message on ${liveTopic("index", "HNX")}: payload is not JSON`);
    // No expiry in the token: DNSE's documented 8 hours from its iat.
    expect(lines.some((l) => /the DNSE token carries no expiry: assuming DNSE's documented lifetime, until .* \(from its issue time\)/.test(l))).toBe(true);
    expect(lines.join("\n")).not.toContain(TOKEN);
    expect(stops).toEqual([]);
  });

  it("is refused with a clear message for a wrong token, and stops rather than reconnecting", async () => {
    const lines: string[] = [];
    const stops: string[] = [];
    const feed = start({ token: `${TOKEN}x`, symbols: [{ symbol: "HPG", instrument: "stock" }] }, lines, stops);
    await eventually(() => stops.length, (n) => n > 0);
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatch(
      new RegExp(`^DNSE's broker at 127\\.0\\.0\\.1:\\d+ refused the sign-in of investor ${INVESTOR} \\(MQTT reason 13[45]: (bad user name or password|not authorized)\\)\\. The token may have expired or the investor id may be wrong: set a fresh DNSE_TOKEN`),
    );
    expect(feed.stoppedReason).toBe(stops[0]);
    expect(feed.stats.connects).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(feed.mqttClient!.connected).toBe(false);
    expect(feed.mqttClient!.disconnecting || feed.mqttClient!.disconnected).toBe(true);
    expect(stops).toHaveLength(1);
    expect(lines.join("\n")).not.toContain(TOKEN);
  });

  it("keeps certificate verification on: without the pinned CA it stops naming the host, the issuer and DNSE_MQTT_CA_FILE", async () => {
    const lines: string[] = [];
    const stops: string[] = [];
    const feed = start({ ca: undefined, symbols: [{ symbol: "HPG", instrument: "stock" }] }, lines, stops);
    await eventually(() => stops.length, (n) => n > 0);
    const port = new URL(broker.wssUrl).port;
    expect(stops[0]).toMatch(
      new RegExp(
        `^The TLS handshake with DNSE's broker 127\\.0\\.0\\.1:${port} failed: its certificate, issued by "${broker.issuer}, QuantFlow tests", is not trusted \\(.*; [A-Z_]+\\)\\. QuantFlow verifies the broker's certificate\\. If this is DNSE's broker and you trust that issuer, save its CA certificate \\(PEM\\) in a file and point DNSE_MQTT_CA_FILE to it\\.$`,
      ),
    );
    expect(feed.stats.connects).toBe(0);
    // DNSE_MQTT_CA_FILE: the generated CA's file is what the feed is handed; a wrong path says so.
    expect(readMqttCa(broker.caFile)).toBe(broker.caPem);
    expect(() => readMqttCa("/nonexistent/ca.pem")).toThrow("DNSE_MQTT_CA_FILE /nonexistent/ca.pem cannot be read (ENOENT).");
    expect(() => readMqttCa(__filename)).toThrow(/holds no PEM certificate/);
  });

  it("renews a token without exp before its assumed lifetime ends, and stops at expiry when renewal fails", async () => {
    const lines: string[] = [];
    const stops: string[] = [];
    let renewals = 0;
    const bare = TOKEN.replace(/\.[^.]+\./, `.${part({ sub: INVESTOR })}.`); // no iat, no exp
    await broker.setToken(bare);
    // Obtained now, lifetime 5 s, renewed 3 s before: the renewal comes 2 s in, once connected.
    const renewing = start(
      {
        token: bare,
        tokenLifetimeMs: 5_000,
        tokenLeadMs: 3_000,
        symbols: [{ symbol: "HPG", instrument: "stock" }],
        // DNSE's sign-in gives a new token, which its broker then takes (here: the password file changed).
        refreshToken: async () => {
          renewals++;
          const renewed = `${part({ alg: "HS256" })}.${part({ sub: INVESTOR, exp: Math.floor(Date.now() / 1000) + 3600 })}.c2lnbmF0dXJl`;
          await broker.setToken(renewed);
          return renewed;
        },
      },
      lines,
      stops,
    );
    expect(await eventually(() => renewing.stats.connects, (n) => n >= 1)).toBe(1);
    expect(renewals).toBe(0);
    await eventually(() => renewals, (n) => n >= 1);
    expect(renewals).toBe(1);
    await eventually(() => renewing.stats.connects, (n) => n >= 2);
    expect(renewing.stats.tokenRenewals).toBe(1);
    expect(await eventually(() => renewing.mqttClient!.connected, (c) => c), `the feed's log:\n${lines.join("\n")}`).toBe(true);
    expect(stops).toEqual([]);
    expect(lines.some((l) => /assuming DNSE's documented lifetime, until .* \(from its receipt\)/.test(l))).toBe(true);

    await broker.setToken(bare);
    const failLines: string[] = [];
    const failStops: string[] = [];
    const failing = start(
      {
        tokenLifetimeMs: 1_500,
        tokenLeadMs: 1_200,
        tokenRetryMs: 200,
        tokenObtainedAt: Date.now(),
        token: bare,
        symbols: [{ symbol: "HPG", instrument: "stock" }],
        refreshToken: async () => {
          throw new Error("DNSE refused the sign-in of feed (HTTP 401: Invalid username or password)");
        },
      },
      failLines,
      failStops,
    );
    await eventually(() => failStops.length, (n) => n > 0, 5_000);
    expect(failStops).toEqual([
      expect.stringMatching(/^renewing the DNSE token failed \(DNSE refused the sign-in of feed \(HTTP 401: Invalid username or password\)\) and the token expired at .*Z\. Check DNSE_USERNAME, DNSE_PASSWORD and DNSE_USER_SERVICE_URL, then restart\.$/),
    ]);
    expect(failLines.some((l) => l.startsWith("[live-feed] renewing the DNSE token failed: DNSE refused the sign-in of feed"))).toBe(true);
    expect(failing.mqttClient!.connected).toBe(false);

    // A token obtained elsewhere, with nothing to renew it: stopped at expiry, saying so.
    const lone: string[] = [];
    // (Pointed at a closed port: what matters is the clock, not the broker.)
    start({ url: "wss://127.0.0.1:1/wss", tokenLifetimeMs: 800, tokenLeadMs: 500, token: bare, symbols: [{ symbol: "HPG", instrument: "stock" }] }, [], lone);
    await eventually(() => lone.length, (n) => n > 0, 5_000);
    expect(lone[0]).toMatch(/^the DNSE token expired at .*Z and nothing can renew it: configure DNSE_USERNAME and DNSE_PASSWORD, or set a fresh DNSE_TOKEN and restart\.$/);
  });
});
