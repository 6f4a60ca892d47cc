/**
 * The last bars of many symbols in one statement, or a few side by side (issue 14): what a workflow's Candles node asks for
 * (a hundred symbols at once), where queryCandles (candles.ts) serves the chart one symbol and one
 * page at a time. The same bars as queryCandles gives symbol by symbol:
 * - 1m: market_candles, newest first per symbol (a LATERAL index scan each);
 * - 5m/15m: aggregated on the fly with the same buckets as candles.ts;
 * - 1h and 1D: market_candles_1h_many / market_candles_1d_many (drizzle/0016_candle_speed.*.sql), the
 *   rollups' rows of every symbol, planned once.
 * A lookback is a number of bars per symbol, or a number of trading days (the bars of the sessions
 * since the start of the day `days - 1` sessions before the latest one, lib/market/calendar.ts); it is
 * not capped by the chart's page size: `maxBars` (the caller's memory budget) is. Past it, nothing is
 * sent: the database counts one bar more than allowed and answers only the count.
 */
import { isTradingDay, previousTradingDay, vnDateOf, vnMidnightUtc } from "./calendar";
import type { CandleBar, CandleResolution } from "./candles";
import type { Queryable } from "./queryable";
import { UnknownSymbolError } from "./symbols";
import { tradingDaysBack } from "./universe-closes";

export type CandleLookback = { bars: number } | { days: number };

export interface ManyCandlesQuery {
  symbols: readonly string[];
  resolution: CandleResolution;
  lookback: CandleLookback;
  /** Exclusive end; default: the end of tomorrow (everything stored), as queryCandles. */
  to?: Date;
  /** The instant "today" is taken from for a lookback in days (default now). */
  now?: Date;
}

/** The read would bring more than `maxBars` bars: nothing was read into memory. */
export class TooManyBarsError extends Error {
  constructor(
    readonly atLeast: number,
    readonly maxBars: number,
  ) {
    super(`the read would bring at least ${atLeast.toLocaleString("en-US")} bars, more than the ${maxBars.toLocaleString("en-US")} allowed`);
    this.name = "TooManyBarsError";
  }
}

export const SET_BASED_RESOLUTIONS = ["1m", "5m", "15m", "1h", "1D"] as const satisfies readonly CandleResolution[];
type SetBasedResolution = (typeof SET_BASED_RESOLUTIONS)[number];

const DAY_MS = 86_400_000;
const BUCKET_MINUTES = { "5m": 5, "15m": 15 } as const;

/** The bars of every symbol as rows (symbol, bucket, OHLCV): $1 symbols, $2 from, $3 to, $4 bars per symbol (NULL: all). */
function source(resolution: SetBasedResolution): string {
  switch (resolution) {
    case "1h":
      return "SELECT symbol, bucket, open, high, low, close, volume FROM market_candles_1h_many($1::text[], $2, $3, $4)";
    case "1D":
      return "SELECT symbol, bucket, open, high, low, close, volume FROM market_candles_1d_many($1::text[], $2, $3, $4)";
    case "1m":
      return `SELECT s.symbol, c.time AS bucket, c.open, c.high, c.low, c.close, c.volume
                FROM unnest($1::text[]) AS s(symbol)
               CROSS JOIN LATERAL (
                     SELECT m.time, m.open, m.high, m.low, m.close, m.volume FROM market_candles m
                      WHERE m.symbol = s.symbol AND m.time >= $2 AND m.time < $3
                      ORDER BY m.time DESC LIMIT $4) AS c`;
    case "5m":
    case "15m": {
      const k = BUCKET_MINUTES[resolution];
      const bin = `date_bin('${k} minutes', m.time, '2000-01-03 00:00+00')`;
      // Without a start, `limit` buckets hold at most limit × k minutes: the bucket of the bar that
      // many back bounds the aggregation (as candles.ts does for one symbol). Buckets starting before
      // `from` are dropped whole; those starting in [from, to) are read whole (to the bucket's end).
      return `SELECT s.symbol, b.t AS bucket, b.open, b.high, b.low, b.close, b.volume
                FROM unnest($1::text[]) AS s(symbol)
               CROSS JOIN LATERAL (
                     SELECT ${bin} AS t, (array_agg(m.open ORDER BY m.time))[1] AS open, max(m.high) AS high,
                            min(m.low) AS low, (array_agg(m.close ORDER BY m.time DESC))[1] AS close, sum(m.volume)::bigint AS volume
                       FROM market_candles m
                      WHERE m.symbol = s.symbol
                        AND m.time >= CASE WHEN $4::int IS NULL OR isfinite($2::timestamptz)
                                           THEN date_bin('${k} minutes', $2::timestamptz, '2000-01-03 00:00+00')
                                           ELSE COALESCE((SELECT ${bin} FROM market_candles m
                                                           WHERE m.symbol = s.symbol AND m.time < $3
                                                           ORDER BY m.time DESC OFFSET $4::int * ${k} - 1 LIMIT 1), '-infinity') END
                        AND m.time < date_bin('${k} minutes', $3::timestamptz - interval '1 microsecond', '2000-01-03 00:00+00') + interval '${k} minutes'
                      GROUP BY 1
                     HAVING ${bin} >= $2 AND ${bin} < $3
                      ORDER BY 1 DESC LIMIT $4) AS b`;
    }
  }
}

function isSetBased(resolution: CandleResolution): resolution is SetBasedResolution {
  return (SET_BASED_RESOLUTIONS as readonly string[]).includes(resolution);
}

/** The window a lookback asks for: [from, to) and the bars per symbol (null: all of the window). */
export function lookbackWindow(lookback: CandleLookback, now: Date, to?: Date): { from: Date | "-infinity"; to: Date; limit: number | null } {
  const end = to ?? new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + 2 * DAY_MS);
  if ("bars" in lookback) {
    if (!Number.isInteger(lookback.bars) || lookback.bars < 1) throw new RangeError(`a lookback is at least one bar, got ${lookback.bars}`);
    return { from: "-infinity", to: end, limit: lookback.bars };
  }
  if (!Number.isInteger(lookback.days) || lookback.days < 1) throw new RangeError(`a lookback is at least one day, got ${lookback.days}`);
  const today = vnDateOf(now);
  const last = isTradingDay(today) ? today : previousTradingDay(today);
  return { from: vnMidnightUtc(tradingDaysBack(last, lookback.days - 1)), to: end, limit: null };
}

/** Fewest symbols a statement of a split read holds: below this, one statement is as quick. */
const MIN_SYMBOLS_PER_STATEMENT = 5;

export interface ReadManyOptions {
  /** The caller's memory budget in bars: past it, nothing is sent (TooManyBarsError). */
  maxBars?: number;
  /**
   * Statements run side by side, each over a contiguous share of the symbols (a pool's connections; a
   * single client or transaction: 1). The database builds each symbol's bars on one backend per
   * statement, so on two cores two to four statements halve a hundred-symbol read (bench:workflows).
   */
  statements?: number;
}

interface Chunk {
  rows: Record<string, unknown>[];
  total: number;
}

async function readChunk(db: Queryable, resolution: SetBasedResolution, symbols: string[], window: ReturnType<typeof lookbackWindow>, cap: number | null): Promise<Chunk> {
  const { rows } = await db.query(
    `WITH bars AS MATERIALIZED (SELECT * FROM (${source(resolution)}) AS src LIMIT $5),
          total AS (SELECT count(*) AS n FROM bars),
          per_symbol AS (
            SELECT b.symbol,
                   '[' || string_agg(market_candles_bar_json(b.bucket, b.open, b.high, b.low, b.close, b.volume),
                                     ',' ORDER BY b.bucket) || ']' AS bars
              FROM bars b
             WHERE $5::bigint IS NULL OR (SELECT n FROM total) < $5
             GROUP BY b.symbol)
     SELECT s.symbol, (m.symbol IS NOT NULL) AS known, (SELECT n FROM total)::int AS total, p.bars
       FROM unnest($1::text[]) WITH ORDINALITY AS s(symbol, n)
       LEFT JOIN market_symbols m ON m.symbol = s.symbol
       LEFT JOIN per_symbol p ON p.symbol = s.symbol
      ORDER BY s.n`,
    [symbols, window.from, window.to, window.limit, cap],
  );
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

/**
 * Each symbol's bars, ascending, symbols in the order asked (a known symbol without bars: []), and
 * their total. Throws UnknownSymbolError for the first symbol not in market_symbols, TooManyBarsError
 * when the bars would pass `maxBars`. Resolutions other than SET_BASED_RESOLUTIONS are refused.
 *
 * Split over `statements`, each statement stops at the whole budget; their sum is then checked before
 * any bar is parsed, so a read over budget holds at most that many budgets of text, never of bars.
 */
export async function readCandlesMany(db: Queryable, query: ManyCandlesQuery, options: ReadManyOptions = {}): Promise<{ series: Map<string, CandleBar[]>; total: number }> {
  if (!isSetBased(query.resolution)) throw new RangeError(`${query.resolution} is not read for many symbols at once`);
  const symbols = [...new Set(query.symbols)];
  const series = new Map<string, CandleBar[]>();
  if (symbols.length === 0) return { series, total: 0 };
  const window = lookbackWindow(query.lookback, query.now ?? new Date(), query.to);
  const cap = options.maxBars === undefined ? null : Math.max(0, Math.floor(options.maxBars)) + 1;
  const statements = Math.max(1, Math.min(Math.floor(options.statements ?? 1), Math.floor(symbols.length / MIN_SYMBOLS_PER_STATEMENT)));
  const size = Math.ceil(symbols.length / statements);
  const shares = Array.from({ length: statements }, (_, i) => symbols.slice(i * size, (i + 1) * size)).filter((share) => share.length > 0);
  const chunks = await Promise.all(shares.map((share) => readChunk(db, query.resolution as SetBasedResolution, share, window, cap)));
  const total = chunks.reduce((sum, c) => sum + c.total, 0);
  const rows = chunks.flatMap((c) => c.rows);
  const unknown = rows.find((r) => !r.known);
  if (unknown) throw new UnknownSymbolError(String(unknown.symbol));
  if (cap !== null && total >= cap) throw new TooManyBarsError(total, cap - 1);
  for (const r of rows) {
    const raw = r.bars === null ? [] : (JSON.parse(r.bars as string) as [number, number, number, number, number, number][]);
    series.set(
      r.symbol as string,
      raw.map(([t, open, high, low, close, volume]) => ({ time: new Date(t), open, high, low, close, volume })),
    );
  }
  return { series, total };
}
