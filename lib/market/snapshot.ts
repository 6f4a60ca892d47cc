/**
 * The market snapshot of the app shell's strip (the seed's Redis cache, database-schema-design.md):
 * key `market:snapshot:{market}`, TTL 60 s, payload vn_index, dxy, foreign_net_flow,
 * market_liquidity, timestamp, plus market and vn_index_change_pct. Computed from the database on a
 * miss:
 * - vn_index: VNINDEX's last close; the change against the previous session's close;
 * - market_liquidity: the latest session's traded value of the market's stocks, Σ close × volume over
 *   their 1-minute bars (a stock without 1-minute bars that day counts its end-of-day bar), in VND;
 * - dxy and foreign_net_flow: QuantFlow has no source for them yet, so null rather than made up.
 * vn_index is VNINDEX for every market (the seed names only it); the liquidity is the market's own.
 */
import Decimal from "decimal.js";
import { z } from "zod";
import type { Cache } from "../cache";
import { toVnIso } from "../time";
import { lastCloseBefore } from "./candles";
import type { Queryable } from "./queryable";
import type { ExchangeCode } from "./types";

export const SNAPSHOT_MARKETS = ["HOSE", "HNX", "UPCOM"] as const satisfies readonly ExchangeCode[];
export const SNAPSHOT_TTL_SECONDS = 60;
export const snapshotKey = (market: ExchangeCode) => `market:snapshot:${market}`;

const snapshotSchema = z.object({
  market: z.enum(SNAPSHOT_MARKETS),
  vn_index: z.number().nullable(),
  vn_index_change_pct: z.number().nullable(),
  dxy: z.number().nullable(),
  foreign_net_flow: z.number().nullable(),
  market_liquidity: z.number().nullable(),
  /** As of: the latest bar the figures come from, ISO 8601 in Vietnam time (+07:00). */
  timestamp: z.string(),
});
export type MarketSnapshot = z.infer<typeof snapshotSchema>;
export type SnapshotSource = "redis" | "memory" | "database";

/** The latest session's traded value of the market's stocks, and the instant of its latest bar. */
async function liquidity(db: Queryable, market: ExchangeCode, now: Date): Promise<{ value: Decimal; latest: Date } | undefined> {
  const sql = 
    `WITH stocks AS (SELECT symbol FROM market_symbols WHERE kind = 'stock' AND exchange = $1),
     latest AS (
       SELECT max(x.t) AS t FROM stocks s CROSS JOIN LATERAL (
         (SELECT time AS t FROM market_candles WHERE symbol = s.symbol AND time >= $2 ORDER BY time DESC LIMIT 1)
         UNION ALL
         (SELECT time AS t FROM market_candles_eod WHERE symbol = s.symbol AND time >= $2 ORDER BY time DESC LIMIT 1)) AS x),
     session AS (SELECT t, date_bin('1 day', t, '2000-01-02 17:00+00') AS d FROM latest)
     SELECT session.t AS latest, sum(v.value)::text AS value
       FROM session CROSS JOIN stocks s CROSS JOIN LATERAL (
         SELECT COALESCE(
           (SELECT sum(close::numeric * volume) FROM market_candles
             WHERE symbol = s.symbol AND time >= session.d AND time < session.d + interval '1 day'),
           (SELECT close::numeric * volume FROM market_candles_eod WHERE symbol = s.symbol AND time = session.d)) AS value) AS v
      WHERE session.t IS NOT NULL
      GROUP BY session.t`;
  // The last month first (PostgreSQL then skips older weekly partitions), everything if it is empty.
  let { rows } = await db.query(sql, [market, new Date(now.getTime() - 31 * 86_400_000)]);
  if (rows.length === 0) ({ rows } = await db.query(sql, [market, "-infinity"]));
  const row = rows[0] as { latest: Date; value: string | null } | undefined;
  // numeric arrives as text: decimal.js keeps it exact (float would not, past 2^53).
  return row && { value: new Decimal(row.value ?? 0), latest: row.latest };
}

/** The snapshot computed from the database now. */
export async function computeSnapshot(db: Queryable, market: ExchangeCode, now: () => Date = () => new Date()): Promise<MarketSnapshot> {
  // Bars are never stamped more than a day ahead (candle-validation.ts), so this is "the latest".
  const horizon = new Date(now().getTime() + 2 * 86_400_000);
  const [last, traded] = await Promise.all([lastCloseBefore(db, "VNINDEX", horizon), liquidity(db, market, now())]);
  let change: number | null = null;
  if (last) {
    const dayStart = new Date(Date.parse(`${toVnIso(last.time).slice(0, 10)}T00:00:00+07:00`));
    const previous = await lastCloseBefore(db, "VNINDEX", dayStart);
    if (previous && previous.close > 0) {
      change = new Decimal(last.close).minus(previous.close).div(previous.close).times(100).toDecimalPlaces(2).toNumber();
    }
  }
  const asOf = [last?.time, traded?.latest].filter((t): t is Date => !!t).sort((a, b) => b.getTime() - a.getTime())[0];
  return {
    market,
    vn_index: last ? new Decimal(last.close).toDecimalPlaces(2).toNumber() : null,
    vn_index_change_pct: change,
    dxy: null,
    foreign_net_flow: null,
    market_liquidity: traded ? traded.value.toDecimalPlaces(0).toNumber() : null,
    timestamp: toVnIso(asOf ?? now()),
  };
}

/** The snapshot from the cache when it has a fresh one, else computed and cached for 60 s. */
export async function getSnapshot(
  db: Queryable,
  cache: Cache,
  market: ExchangeCode,
): Promise<MarketSnapshot & { source: SnapshotSource }> {
  const key = snapshotKey(market);
  const cached = await cache.get(key);
  if (cached !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(cached);
    } catch {
      json = undefined;
    }
    // Something else wrote the key (or an older shape): recompute rather than serve it.
    const parsed = snapshotSchema.safeParse(json);
    if (parsed.success && parsed.data.market === market) return { ...parsed.data, source: cache.kind };
  }
  const snapshot = await computeSnapshot(db, market);
  await cache.set(key, JSON.stringify(snapshot), SNAPSHOT_TTL_SECONDS);
  return { ...snapshot, source: "database" };
}
