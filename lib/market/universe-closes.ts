/**
 * Daily closes of many symbols at once, for the portfolio optimiser (and anything else that needs a
 * universe's history): one statement, market_candles_1d_many() (drizzle/0016_candle_speed.*.sql: the
 * same daily bars the chart's 1D reads, end-of-day bars where stored, the daily rollup elsewhere),
 * planned once for every symbol. Bars are keyed by
 * their Vietnamese trading date (a daily bar is stamped 00:00 GMT+7).
 *
 * And the latest close of each symbol (market_candles_last_close_before, as the snapshot reads it),
 * also in one statement: the prices orders are sized at.
 */
import { addDays, isTradingDay, previousTradingDay, vnDateOf, vnMidnightUtc, type VnDate } from "./calendar";
import type { Queryable } from "./queryable";

export interface UniverseCloses {
  symbols: string[];
  /** Vietnamese trading dates 'YYYY-MM-DD', oldest first: every date on which any symbol has a bar. */
  dates: VnDate[];
  /** closes[i][j]: symbols[i]'s close on dates[j], null where it has no bar. */
  closes: (number | null)[][];
}

/** The trading day `count` trading days before `day` (the calendar of lib/market/calendar.ts). */
export function tradingDaysBack(day: VnDate, count: number): VnDate {
  let d = day;
  for (let i = 0; i < count; i++) d = previousTradingDay(d);
  return d;
}

/**
 * The daily closes of `symbols` over the `tradingDays` sessions up to and including `endDay` (default:
 * today in Vietnam), plus the session before them, so that `tradingDays` daily returns can be formed.
 * Symbols are kept in the order given; a symbol with no bars keeps a row of nulls.
 */
export async function readDailyCloses(db: Queryable, symbols: readonly string[], options: { tradingDays: number; endDay?: VnDate }): Promise<UniverseCloses> {
  const endDay = options.endDay ?? vnDateOf(new Date());
  const lastSession = isTradingDay(endDay) ? endDay : previousTradingDay(endDay);
  const firstSession = tradingDaysBack(lastSession, options.tradingDays);
  const from = vnMidnightUtc(firstSession);
  const to = vnMidnightUtc(addDays(endDay, 1));
  // More than the window can hold, so the limit never cuts a window short (bars on days the calendar
  // calls holidays, e.g. an exchange's exception, still come back).
  const limit = options.tradingDays * 2 + 10;
  const { rows } = await db.query(
    `SELECT r.symbol, to_char(r.bucket AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS day, r.close
       FROM market_candles_1d_many($1::text[], $2, $3, $4) AS r
      ORDER BY day`,
    [symbols, from, to, limit],
  );
  const dates: VnDate[] = [];
  const dateIndex = new Map<string, number>();
  for (const r of rows) {
    const day = r.day as string;
    if (!dateIndex.has(day)) {
      dateIndex.set(day, dates.length);
      dates.push(day);
    }
  }
  const row = new Map(symbols.map((s, i) => [s, i]));
  const closes = symbols.map(() => new Array<number | null>(dates.length).fill(null));
  for (const r of rows) {
    const i = row.get(r.symbol as string);
    if (i !== undefined) (closes[i] as (number | null)[])[dateIndex.get(r.day as string) as number] = Number(r.close);
  }
  return { symbols: [...symbols], dates, closes };
}

export interface LatestClose {
  close: number;
  /** The instant of the bar it comes from. */
  at: Date;
  /** Its Vietnamese trading date. */
  day: VnDate;
}

/** Each symbol's last close before `before` (default now); symbols without any bar are absent. */
export async function readLatestCloses(db: Queryable, symbols: readonly string[], before: Date = new Date()): Promise<Map<string, LatestClose>> {
  const { rows } = await db.query(
    `SELECT s.symbol, l.close, l.at
       FROM unnest($1::text[]) AS s(symbol)
      CROSS JOIN LATERAL market_candles_last_close_before(s.symbol, $2) AS l`,
    [symbols, before],
  );
  return new Map(
    rows.map((r) => {
      const at = new Date(r.at as string | Date);
      return [r.symbol as string, { close: Number(r.close), at, day: vnDateOf(at) }];
    }),
  );
}
