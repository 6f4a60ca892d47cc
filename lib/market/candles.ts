/**
 * Reading candles for the chart: 1-minute bars from market_candles, 5 and 15 minutes aggregated from
 * them on the fly (date_bin with the rollup's origin, so a 15-minute bar never straddles an hour of
 * market_candles_1h), 1 hour and 1 day as market_candles_1h and market_candles_1d give them, read through
 * market_candles_1h_range() and market_candles_1d_range() (drizzle/0003_candle_reads.*.sql), which
 * plan only the window's weekly partitions where the views would plan them all.
 *
 * One round trip: the symbol, the bars, hasMore and the previous close for an intraday stock's price
 * limits come back together.
 *
 * A window is [from, to): a bar is returned when its start is in it, and always whole. Without `from`,
 * the `limit` bars before `to` (paging backwards: `to` = the oldest bar the chart holds).
 */
import { nextTradingDay, vnMidnightUtc } from "./calendar";
import { priceLimits, type Exchange } from "./rules";
import type { Queryable } from "./queryable";
import { dayReference, previousSession, type PreviousSession, type ReferenceBasis } from "./reference";
import { UnknownSymbolError, unitOf, type PriceUnit } from "./symbols";
import type { ExchangeCode, SymbolKind } from "./types";
import { toVnDate, toVnIso } from "../time";

export const CANDLE_RESOLUTIONS = ["1m", "5m", "15m", "30m", "1h", "4h", "1D", "1W", "1M"] as const;
export type CandleResolution = (typeof CANDLE_RESOLUTIONS)[number];
/** Bars of a day or longer: stamped 00:00 in Vietnam, built on the daily rollup (end-of-day bars count). */
export const DAILY_OR_LONGER: ReadonlySet<CandleResolution> = new Set(["1D", "1W", "1M"]);
export const MAX_CANDLE_LIMIT = 5000;

export interface CandleBar {
  time: Date;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface CandleQuery {
  symbol: string;
  resolution: CandleResolution;
  from?: Date;
  /** Exclusive; default: the end of tomorrow (everything stored). */
  to?: Date;
  limit: number;
}

export interface DayPriceLimits {
  /** The Vietnamese trading day they apply to, 'YYYY-MM-DD'. */
  date: string;
  reference: number;
  ceiling: number;
  floor: number;
  /** How the reference was obtained (lib/market/reference.ts): UPCOM's is an average price. */
  basis: ReferenceBasis;
  /**
   * Always "computed": QuantFlow derives the reference from stored bars, as DNSE's data carries none,
   * so an ex-rights day's adjusted reference is not reflected.
   */
  source: "computed";
}

export interface CandleSeries {
  symbol: string;
  resolution: CandleResolution;
  exchange: ExchangeCode | null;
  kind: SymbolKind;
  unit: PriceUnit;
  /** Ascending. */
  candles: CandleBar[];
  /** Older bars exist before the first one returned (or before the window, when none was). */
  hasMore: boolean;
  priceLimits: DayPriceLimits | null;
}

export class CandleRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "CandleRangeError";
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Timescale's time_bucket origin, which date_bin uses throughout drizzle/0001_timeseries.*.sql. */
const ORIGIN_MS = Date.UTC(2000, 0, 3);
const BUCKET_MINUTES: Record<"5m" | "15m" | "30m", number> = { "5m": 5, "15m": 15, "30m": 30 };
const VN_OFFSET_MS = 7 * 3_600_000;

function alignDown(t: number, stepMs: number, originMs = ORIGIN_MS): number {
  return t - ((((t - originMs) % stepMs) + stepMs) % stepMs);
}

type RolledUp = "4h" | "1W" | "1M";

/**
 * Resolutions rolled up from a rollup's rows, bucketed in Vietnamese time:
 * - 4h from the hours, on a 09:00 (GMT+7) origin: the morning session (09:00–11:30) is one bar, the
 *   afternoon (13:00–15:00, ATC included) the next; the hours are whole, so no hour straddles a bar.
 * - 1W from the days, weeks starting Monday 00:00 GMT+7 (2000-01-03 was a Monday).
 * - 1M from the days, calendar months of GMT+7, computed on UTC wall time shifted by 7 h so the
 *   session's TimeZone setting plays no part (Vietnam keeps no daylight saving).
 * `perBucket` is the most source rows one bucket can hold: reading the newest n × perBucket rows
 * covers n whole buckets (see rowsQuery).
 */
const ROLLUPS: Record<RolledUp, { source: string; bucket: (column: string) => string; perBucket: number }> = {
  "4h": { source: "market_candles_1h_range", bucket: (c) => `date_bin('4 hours', ${c}, '2000-01-03 02:00+00')`, perBucket: 4 },
  "1W": { source: "market_candles_1d_range", bucket: (c) => `date_bin('7 days', ${c}, '2000-01-02 17:00+00')`, perBucket: 7 },
  "1M": {
    source: "market_candles_1d_range",
    bucket: (c) => `(date_trunc('month', (${c} AT TIME ZONE 'UTC') + interval '7 hours') - interval '7 hours') AT TIME ZONE 'UTC'`,
    perBucket: 31,
  },
};
const FOUR_HOURS_ORIGIN_MS = Date.UTC(2000, 0, 3, 2);
const MONDAY_ORIGIN_MS = Date.UTC(2000, 0, 2, 17);

/** The start of the bucket of `resolution` holding instant `t` (the same buckets as ROLLUPS' SQL). */
function rolledBucketStart(t: number, resolution: RolledUp): number {
  if (resolution === "4h") return alignDown(t, 4 * 3_600_000, FOUR_HOURS_ORIGIN_MS);
  if (resolution === "1W") return alignDown(t, 7 * DAY_MS, MONDAY_ORIGIN_MS);
  const wall = new Date(t + VN_OFFSET_MS);
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), 1) - VN_OFFSET_MS;
}

/** The start of the bucket after the one holding `t`. */
function rolledBucketEnd(t: number, resolution: RolledUp): number {
  const start = rolledBucketStart(t, resolution);
  if (resolution === "4h") return start + 4 * 3_600_000;
  if (resolution === "1W") return start + 7 * DAY_MS;
  const wall = new Date(start + VN_OFFSET_MS);
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 1) - VN_OFFSET_MS;
}

type Row = { t: Date; open: number; high: number; low: number; close: number; volume: string | number };

function toBar(r: Row): CandleBar {
  return { time: r.t, open: r.open, high: r.high, low: r.low, close: r.close, volume: Number(r.volume) };
}

const AGG = `(array_agg(open ORDER BY time))[1] AS open, max(high) AS high, min(low) AS low,
             (array_agg(close ORDER BY time DESC))[1] AS close, sum(volume)::bigint AS volume`;

/** One resolution's bars as SQL: newest first, at most `$4` rows; `$1` is the symbol. */
interface RowsQuery {
  sql: string;
  params: unknown[];
  /**
   * The same window as one row (`bars`: JSON text newest first, `n`, `oldest`, `newest`), where a function
   * gives it whole (1D: market_candles_1d_series, from the stored text of past days); else fetchSeries
   * aggregates `sql`'s rows.
   */
  series?: string;
}

/** The bars of a window, newest first, at most limit + 1 rows (the extra one says "there is more"). */
function rowsQuery(q: Required<Omit<CandleQuery, "from">> & { from: Date | null }): RowsQuery {
  const from: Date | string = q.from ?? "-infinity";
  const take = q.limit + 1;
  switch (q.resolution) {
    case "1m":
      return {
        sql: `SELECT time AS t, open, high, low, close, volume FROM market_candles
               WHERE symbol = $1 AND time >= $2 AND time < $3 ORDER BY time DESC LIMIT $4`,
        params: [q.symbol, from, q.to, take],
      };
    case "5m":
    case "15m":
    case "30m": {
      const stepMs = BUCKET_MINUTES[q.resolution] * MINUTE_MS;
      // Whole buckets only: from the bucket holding `from` to the end of the one holding `to`'s last
      // instant; then only buckets starting in [from, to).
      const lo = q.from ? new Date(alignDown(q.from.getTime(), stepMs)) : from;
      const hi = new Date(alignDown(q.to.getTime() - 1, stepMs) + stepMs);
      const interval = `${BUCKET_MINUTES[q.resolution]} minutes`;
      // Without `from`, the aggregation would cover the symbol's whole history: `take` buckets hold at
      // most take × k one-minute bars, so the bar that many back starts early enough.
      const lower = q.from
        ? "$2::timestamptz"
        : `COALESCE((SELECT date_bin($5::interval, time, '2000-01-03 00:00+00') FROM market_candles
                      WHERE symbol = $1 AND time < $3 ORDER BY time DESC OFFSET $8 LIMIT 1), $2::timestamptz)`;
      const params: unknown[] = [q.symbol, lo, hi, take, interval, from, q.to];
      if (!q.from) params.push(take * BUCKET_MINUTES[q.resolution] - 1);
      return {
        sql: `SELECT * FROM (
                SELECT date_bin($5::interval, time, '2000-01-03 00:00+00') AS t, ${AGG}
                  FROM market_candles
                 WHERE symbol = $1 AND time < $3 AND time >= ${lower}
                 GROUP BY 1) AS b
               WHERE t >= $6 AND t < $7
               ORDER BY t DESC LIMIT $4`,
        params,
      };
    }
    case "1h":
      // The view's rows through a function that plans only the window's partitions
      // (drizzle/0003_candle_reads.*.sql).
      return {
        sql: `SELECT bucket AS t, open, high, low, close, volume FROM market_candles_1h_range($1, $2, $3, $4)`,
        params: [q.symbol, from, q.to, take],
      };
    case "1D":
      // The view's rows through a function (drizzle/0003_candle_reads.*.sql); the chart's read in one row,
      // with the JSON text stored for past days in the native shape (drizzle/0021_daily_bars.*.sql).
      return {
        sql: `SELECT bucket AS t, open, high, low, close, volume FROM market_candles_1d_range($1, $2, $3, $4)`,
        params: [q.symbol, from, q.to, take],
        series: `SELECT bars AS json, n, oldest, newest FROM market_candles_1d_series($1, $2, $3, $4)`,
      };
    case "4h":
    case "1W":
    case "1M": {
      const { source, bucket, perBucket } = ROLLUPS[q.resolution];
      // Whole buckets: the source rows from the start of the bucket holding `from` to the end of the
      // one holding `to`'s last instant, then only buckets starting in [from, to). Without `from`, the
      // newest take × perBucket source rows: when that many came, every bucket but perhaps the oldest
      // is whole, and there are at least `take` of them, so the oldest (possibly partial) one is
      // either beyond the `take` returned or whole; when fewer came, the window was read whole.
      const lo = q.from ? new Date(rolledBucketStart(q.from.getTime(), q.resolution)) : from;
      const hi = new Date(rolledBucketEnd(q.to.getTime() - 1, q.resolution));
      return {
        sql: `SELECT * FROM (
                SELECT ${bucket("bucket")} AS t, (array_agg(open ORDER BY bucket))[1] AS open, max(high) AS high, min(low) AS low,
                       (array_agg(close ORDER BY bucket DESC))[1] AS close, sum(volume)::bigint AS volume
                  FROM ${source}($1, $2, $3, $5::integer)
                 GROUP BY 1) AS b
               WHERE t >= $6 AND t < $7
               ORDER BY t DESC LIMIT $4`,
        params: [q.symbol, lo, hi, take, q.from ? null : take * perBucket, from, q.to],
      };
    }
  }
}

/**
 * The bars of one symbol's window at `resolution`, ascending, at most `limit` (the newest), without
 * the symbol's facts, hasMore or limits: the bucketing alone, as queryCandles reads it (the
 * Timescale/native parity test compares it on both shapes).
 */
export async function readBuckets(db: Queryable, query: Required<Omit<CandleQuery, "from">> & { from?: Date }): Promise<CandleBar[]> {
  const rows = rowsQuery({ ...query, from: query.from ?? null });
  const { rows: out } = await db.query(rows.sql, rows.params);
  return (out as unknown as Row[]).slice(0, query.limit).reverse().map(toBar);
}

interface SeriesRow {
  symbol: string;
  kind: SymbolKind;
  exchange: ExchangeCode | null;
  /** JSON text, newest first: [[epoch ms, open, high, low, close, volume], …]; null for an empty window. */
  bars: string | null;
  older: boolean;
  /** The last close before the newest bar's Vietnamese day, when asked for and a stock's. */
  previous_close: number | null;
}

/**
 * The symbol, the window's bars and whether older bars exist, in one round trip and one row (none for
 * an unknown symbol). The bars come as the text of one JSON array: a year of hours is 1,250 of them,
 * and one value costs the server and the client less than as many rows; spelled with string_agg of
 * market_candles_bar_json, about three times quicker than json_agg(json_build_array(…)) here, and
 * stored with 1D's past days in the native shape (drizzle/0021_daily_bars.native.sql), whose one-row
 * read (market_candles_1d_series) fetchSeries takes as it is. The numbers are PostgreSQL's own float8
 * text, the shortest form that reads back as the same double (what the rows would carry), and always
 * finite (ingest refuses anything else), so valid JSON. "Older" is looked up only when the window did
 * not hold more than `limit` bars: before the oldest bar returned, or before the window's start when
 * none was (market_candles_exist_before probes only the partitions before that instant). With
 * `withPreviousClose`, a stock's last close before the day of the newest bar (00:00 in Vietnam: the
 * date_bin origin 17:00 UTC) comes along, for the day's price limits.
 */
async function fetchSeries(
  db: Queryable,
  q: Required<Omit<CandleQuery, "from">> & { from: Date | null },
  withPreviousClose: boolean,
): Promise<SeriesRow | undefined> {
  const rows = rowsQuery(q);
  const n = rows.params.length;
  const { rows: out } = await db.query(
    `WITH agg AS (${
      rows.series ??
      // One pass over the bars: their JSON newest first, as they come (the sort finds them in order), how
      // many, the oldest and the newest.
      `SELECT '[' || string_agg(market_candles_bar_json(t, open, high, low, close, volume), ',' ORDER BY t DESC) || ']' AS json,
              count(*) AS n, min(t) AS oldest, max(t) AS newest
         FROM (${rows.sql}) AS bars`
    })
     SELECT s.symbol, s.kind, s.exchange, agg.json AS bars,
            CASE WHEN agg.n > $${n + 1} THEN true
                 ELSE market_candles_exist_before($1, COALESCE(agg.oldest, $${n + 2}::timestamptz), $${n + 3})
            END AS older,
            CASE WHEN $${n + 4} AND s.kind = 'stock' AND s.exchange IS NOT NULL AND agg.n > 0 THEN
                 (SELECT l.close FROM market_candles_last_close_before($1, date_bin('1 day', agg.newest, '2000-01-02 17:00+00')) AS l)
            END AS previous_close
       FROM market_symbols s CROSS JOIN agg
      WHERE s.symbol = $1`,
    [...rows.params, q.limit, q.from ?? q.to, DAILY_OR_LONGER.has(q.resolution), withPreviousClose],
  );
  return out[0] as unknown as SeriesRow | undefined;
}

/**
 * The last close of `symbol` before `before`: its latest 1-minute bar or its latest end-of-day bar,
 * whichever is later (an end-of-day bar counts as the end of its day). market_candles_last_close_before
 * looks in the last month first, which lets PostgreSQL skip the older weekly partitions; then, if that
 * found nothing, everywhere.
 */
export async function lastCloseBefore(db: Queryable, symbol: string, before: Date): Promise<{ close: number; time: Date } | undefined> {
  const { rows } = await db.query("SELECT close, at FROM market_candles_last_close_before($1, $2)", [symbol, before]);
  const row = rows[0] as { close: number; at: Date } | undefined;
  return row && { close: row.close, time: row.at };
}

/**
 * The day's reference, ceiling and floor for the trading day `day`: the reference per exchange
 * (reference.ts: the previous close, UPCOM's previous VWAP) on the tick grid; the limits follow the
 * exchange's rules (rules.ts).
 */
function dayLimits(exchange: Exchange, day: string, previous: PreviousSession | undefined): DayPriceLimits | null {
  if (!previous || !(previous.close > 0)) return null;
  const { reference, basis } = dayReference(exchange, previous);
  return { date: day, ...priceLimits(exchange, reference), basis, source: "computed" };
}

/** Candles of one symbol at one resolution. Throws UnknownSymbolError or CandleRangeError. */
export async function queryCandles(db: Queryable, query: CandleQuery): Promise<CandleSeries> {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_CANDLE_LIMIT) {
    throw new CandleRangeError(`limit must be a whole number from 1 to ${MAX_CANDLE_LIMIT}, got ${query.limit}`);
  }
  const to = query.to ?? new Date(alignDown(Date.now(), DAY_MS) + 2 * DAY_MS);
  if (query.from && query.from.getTime() >= to.getTime()) {
    throw new CandleRangeError(`from (${toVnIso(query.from)}) must be before to (${toVnIso(to)})`);
  }
  // A stock's limits: for the day of the newest bar, or on 1D for the next session.
  const info = await fetchSeries(db, { ...query, from: query.from ?? null, to }, !DAILY_OR_LONGER.has(query.resolution));
  if (!info) throw new UnknownSymbolError(query.symbol);
  // At most limit + 1 bars, newest first: the oldest one, when there, only said "there is more".
  const bars = info.bars === null ? [] : (JSON.parse(info.bars) as [number, number, number, number, number, number][]);
  const candles = bars.slice(0, query.limit).reverse().map(([t, open, high, low, close, volume]) => ({
    time: new Date(t),
    open,
    high,
    low,
    close,
    volume,
  }));
  const hasMore = info.older;

  const last = candles.at(-1);
  // The session whose limits the chart shows, and its reference's close where the read already holds it:
  // on 1D the session after the newest bar, whose close is that session's last close (the official bar's
  // where stored, else its last minute's); intraday the newest bar's session, with the close fetched
  // beside the bars. Weekly and monthly bars span many sessions: no one session's limits belong on them.
  const exchange = info.kind === "stock" ? info.exchange : null;
  const session =
    !exchange || !last
      ? null
      : query.resolution === "1D"
        ? { day: nextTradingDay(toVnDate(last.time)), close: last.close }
        : DAILY_OR_LONGER.has(query.resolution)
          ? null
          : { day: toVnDate(last.time), close: info.previous_close };
  let limits: DayPriceLimits | null = null;
  if (exchange && session) {
    // UPCOM's reference is an average over the previous session: one more query, for UPCOM only.
    const previous =
      exchange === "UPCOM"
        ? await previousSession(db, info.symbol, vnMidnightUtc(session.day))
        : session.close === null
          ? undefined
          : { close: session.close, minutes: null, daily: null };
    limits = dayLimits(exchange, session.day, previous);
  }
  return {
    symbol: info.symbol,
    resolution: query.resolution,
    exchange: info.exchange,
    kind: info.kind,
    unit: unitOf(info.kind, info.symbol),
    candles,
    hasMore,
    priceLimits: limits,
  };
}

/**
 * The baseline the benchmark compares against: the same window aggregated from the 1-minute bars
 * every time (what reading without the rollups would cost).
 */
export async function rawAggregateCandles(db: Queryable, query: Required<CandleQuery>): Promise<CandleBar[]> {
  const bucket =
    query.resolution === "1D"
      ? `date_bin('1 day', time, '2000-01-02 17:00+00')`
      : query.resolution === "4h" || query.resolution === "1W" || query.resolution === "1M"
        ? ROLLUPS[query.resolution].bucket("time")
        : `date_bin('${{ "1m": "1 minute", "5m": "5 minutes", "15m": "15 minutes", "30m": "30 minutes", "1h": "1 hour" }[query.resolution]}', time, '2000-01-03 00:00+00')`;
  const { rows } = await db.query(
    `SELECT * FROM (
       SELECT ${bucket} AS t, ${AGG} FROM market_candles
        WHERE symbol = $1 AND time >= $2 AND time < $3 GROUP BY 1 ORDER BY 1 DESC LIMIT $4) AS b
     ORDER BY t`,
    [query.symbol, query.from, query.to, query.limit],
  );
  return (rows as unknown as Row[]).map(toBar);
}

