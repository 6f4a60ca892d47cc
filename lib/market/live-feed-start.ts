/**
 * Starting the live feed with the app (instrumentation.ts) when a DNSE service account is configured:
 * - DNSE_USERNAME + DNSE_PASSWORD: the feed signs in itself (POST {DNSE_USER_SERVICE_URL}/api/auth
 *   → { token }), reads the investor id from /me, and signs in again before each token expires; or
 * - DNSE_INVESTOR_ID + DNSE_TOKEN: a token obtained elsewhere; the feed runs until it expires (~8 h)
 *   and says so in the log ahead of time.
 * The watch list is QUANTFLOW_WATCHLIST (stocks in market_symbols; DNSE documents 1-minute OHLC topics
 * for stocks and derivatives only, so indices are left out, with a log line). Nothing configured: no feed.
 */
import { env, type Env } from "../env";
import { dnseLogin, fetchDnseInvestor } from "./dnse-user";

export { dnseLogin } from "./dnse-user";
import { startLiveFeed, type LiveFeed } from "./live-feed";
import type { ConnectionSource } from "./ingest";
import type { Queryable } from "./queryable";

export async function startConfiguredLiveFeed(db: ConnectionSource & Queryable, e: Env = env(), log: (line: string) => void = console.log): Promise<LiveFeed | undefined> {
  const login = e.DNSE_USERNAME && e.DNSE_PASSWORD ? { username: e.DNSE_USERNAME, password: e.DNSE_PASSWORD } : undefined;
  if (!login && !(e.DNSE_INVESTOR_ID && e.DNSE_TOKEN)) return undefined;
  const token = login ? await dnseLogin(e.DNSE_USER_SERVICE_URL, login.username, login.password) : e.DNSE_TOKEN!;
  let investorId = e.DNSE_INVESTOR_ID;
  if (!investorId) {
    const me = await fetchDnseInvestor(e.DNSE_USER_SERVICE_URL, token);
    if (!me.ok) throw new Error(`DNSE live feed: ${me.message}`);
    investorId = me.investor.investorId;
  }
  const { rows } = await db.query("SELECT symbol, kind FROM market_symbols WHERE symbol = ANY($1::text[])", [e.QUANTFLOW_WATCHLIST]);
  const kinds = new Map(rows.map((r) => [r.symbol as string, r.kind as string]));
  const symbols = e.QUANTFLOW_WATCHLIST.filter((s) => kinds.get(s) === "stock").map((symbol) => ({ symbol, instrument: "stock" as const }));
  const left = e.QUANTFLOW_WATCHLIST.filter((s) => kinds.get(s) !== "stock");
  if (left.length > 0) log(`[live-feed] not following ${left.join(", ")}: not stocks of QuantFlow's symbol list (DNSE has 1-minute OHLC topics for stocks).`);
  if (symbols.length === 0) return undefined;
  return startLiveFeed(db, {
    url: e.DNSE_MQTT_URL,
    investorId,
    token,
    symbols,
    refreshToken: login ? () => dnseLogin(e.DNSE_USER_SERVICE_URL, login.username, login.password) : undefined,
    log,
  });
}
