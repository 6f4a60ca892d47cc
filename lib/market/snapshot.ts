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
import { cachedJson } from "../cached-json";
import { toVnIso } from "../time";
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

interface SnapshotRow {
  vn_close: number | null;
  vn_at: Date | null;
  vn_previous: number | null;
  latest: Date | null;
  /** numeric as text: decimal.js keeps it exact (float would not, past 2^53). */
  value: string | null;
}

/**
 * The snapshot computed from the database now, in one statement (market_snapshot(),
 * drizzle/0016_candle_speed.*.sql): VNINDEX's last close and the last close before its day, and the
 * market's latest session with its traded value read from the daily and hourly rollups' value column
 * (native shape), so a cold cache costs a few index probes rather than a day of 1-minute bars.
 */
export async function computeSnapshot(db: Queryable, market: ExchangeCode, now: () => Date = () => new Date()): Promise<MarketSnapshot> {
  const { rows } = await db.query("SELECT vn_close, vn_at, vn_previous, latest, value::text AS value FROM market_snapshot($1, $2)", [market, now()]);
  // Always one row; none only from a stand-in that knows nothing.
  const row = (rows[0] as unknown as SnapshotRow | undefined) ?? { vn_close: null, vn_at: null, vn_previous: null, latest: null, value: null };
  let change: number | null = null;
  if (row.vn_close !== null && row.vn_previous !== null && row.vn_previous > 0) {
    change = new Decimal(row.vn_close).minus(row.vn_previous).div(row.vn_previous).times(100).toDecimalPlaces(2).toNumber();
  }
  const asOf = [row.vn_at, row.latest].filter((t): t is Date => !!t).sort((a, b) => b.getTime() - a.getTime())[0];
  return {
    market,
    vn_index: row.vn_close !== null ? new Decimal(row.vn_close).toDecimalPlaces(2).toNumber() : null,
    vn_index_change_pct: change,
    dxy: null,
    foreign_net_flow: null,
    market_liquidity: row.latest ? new Decimal(row.value ?? 0).toDecimalPlaces(0).toNumber() : null,
    timestamp: toVnIso(asOf ?? now()),
  };
}

/** The snapshot from the cache when it has a fresh one, else computed and cached for 60 s. */
export async function getSnapshot(
  db: Queryable,
  cache: Cache,
  market: ExchangeCode,
): Promise<MarketSnapshot & { source: SnapshotSource }> {
  const { value, source } = await cachedJson(cache, snapshotKey(market), SNAPSHOT_TTL_SECONDS, snapshotSchema, () => computeSnapshot(db, market), (s) => s.market === market);
  return { ...value, source };
}
