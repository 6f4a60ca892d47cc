/**
 * Starting the live feed with the app (instrumentation.ts) when a DNSE service account is configured:
 * - DNSE_USERNAME + DNSE_PASSWORD: the feed signs in itself (POST {DNSE_USER_SERVICE_URL}/api/auth
 *   → { token }), reads the investor id from GET {DNSE_USER_SERVICE_URL}/api/me, and signs in again
 *   before each token expires; or
 * - DNSE_INVESTOR_ID + DNSE_TOKEN: a token obtained elsewhere; the feed runs until it expires (~8 h),
 *   says so in the log ahead of time, and stops then.
 * The watch list is QUANTFLOW_WATCHLIST: stocks of market_symbols on DNSE's stock OHLC topic, indices
 * DNSE names (VNINDEX, VN30, HNX-Index as HNX, HNX30, UPCOM) on its index OHLC topic; the rest is left
 * out with a log line. DNSE_MQTT_CA_FILE, when set, is read here: a file that cannot be read stops the
 * start with a message naming it. Nothing configured: no feed.
 */
import { readFileSync } from "node:fs";
import { env, type Env } from "../env";
import { dnseLogin, fetchDnseInvestor } from "./dnse-user";
import { dnseIndexName, startLiveFeed, type LiveFeed, type LiveInstrument } from "./live-feed";
import type { ConnectionSource } from "./ingest";
import type { Queryable } from "./queryable";

export { dnseLogin } from "./dnse-user";

/** The PEM of DNSE_MQTT_CA_FILE, or a clear error. */
export function readMqttCa(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`DNSE_MQTT_CA_FILE ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new Error(`DNSE_MQTT_CA_FILE ${path} holds no PEM certificate ("-----BEGIN CERTIFICATE-----").`);
  return pem;
}

export async function startConfiguredLiveFeed(
  db: ConnectionSource & Queryable,
  e: Env = env(),
  log: (line: string) => void = console.log,
  onStop: (reason: string) => void = (reason) => console.error(`[live-feed] NOTICE: the DNSE live feed has stopped: ${reason}`),
): Promise<LiveFeed | undefined> {
  const login = e.DNSE_USERNAME && e.DNSE_PASSWORD ? { username: e.DNSE_USERNAME, password: e.DNSE_PASSWORD } : undefined;
  if (!login && !(e.DNSE_INVESTOR_ID && e.DNSE_TOKEN)) return undefined;
  const ca = e.DNSE_MQTT_CA_FILE ? readMqttCa(e.DNSE_MQTT_CA_FILE) : undefined;
  const tokenObtainedAt = Date.now();
  const token = login ? await dnseLogin(e.DNSE_USER_SERVICE_URL, login.username, login.password) : e.DNSE_TOKEN!;
  let investorId = e.DNSE_INVESTOR_ID;
  if (!investorId) {
    const me = await fetchDnseInvestor(e.DNSE_USER_SERVICE_URL, token);
    if (!me.ok) throw new Error(`DNSE live feed: ${me.message}`);
    investorId = me.investor.investorId;
  }
  const { rows } = await db.query("SELECT symbol, kind FROM market_symbols WHERE symbol = ANY($1::text[])", [e.QUANTFLOW_WATCHLIST]);
  const kinds = new Map(rows.map((r) => [r.symbol as string, r.kind as string]));
  const symbols: { symbol: string; instrument: LiveInstrument }[] = [];
  const left: string[] = [];
  for (const symbol of e.QUANTFLOW_WATCHLIST) {
    const kind = kinds.get(symbol);
    if (kind === "stock") symbols.push({ symbol, instrument: "stock" });
    else if (kind === "index" && dnseIndexName(symbol)) symbols.push({ symbol, instrument: "index" });
    else left.push(symbol);
  }
  if (left.length > 0) {
    log(`[live-feed] not following ${left.join(", ")}: neither stocks of QuantFlow's symbol list nor indices DNSE has OHLC topics for (VNINDEX, VN30, HNX, HNX30, UPCOM).`);
  }
  if (symbols.length === 0) return undefined;
  return startLiveFeed(db, {
    url: e.DNSE_MQTT_URL,
    investorId,
    token,
    tokenObtainedAt,
    ca,
    symbols,
    refreshToken: login ? () => dnseLogin(e.DNSE_USER_SERVICE_URL, login.username, login.password) : undefined,
    onStop,
    log,
  });
}
