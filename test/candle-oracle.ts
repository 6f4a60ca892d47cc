/**
 * The test oracle for the time-series layer: what the 1h and 1D candles must be, computed in plain
 * TypeScript from the 1-minute bars a test has written, independent of any SQL.
 */
import type { SqlConnection } from "@/db/migrate";
import type { CandleRow } from "@/lib/market/types";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * HOUR_MS;

/** time_bucket('1 hour', t): origin 2000-01-03 00:00 UTC is a whole number of hours from 1970. */
export const hourOf = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;
/** The Vietnamese day holding t, as its 00:00 in Vietnam (17:00 UTC the day before). */
export const vnDayOf = (t: number) => Math.floor((t + VN_OFFSET_MS) / DAY_MS) * DAY_MS - VN_OFFSET_MS;

export interface Bar {
  bucket: string; // ISO
  symbol: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const byKey = (a: Bar, b: Bar) => (a.symbol === b.symbol ? a.bucket.localeCompare(b.bucket) : a.symbol < b.symbol ? -1 : 1);

/** First open and last close by time, max high, min low, summed volume, per (symbol, bucket). */
export function resample(rows: Iterable<{ t: number; row: Omit<CandleRow, "time"> }>, bucketOf: (t: number) => number): Bar[] {
  const groups = new Map<string, { first: number; last: number; bar: Bar }>();
  for (const { t, row } of rows) {
    const bucket = bucketOf(t);
    const key = `${row.symbol}|${bucket}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        first: t,
        last: t,
        bar: { bucket: new Date(bucket).toISOString(), symbol: row.symbol, open: row.open, high: row.high, low: row.low, close: row.close, volume: row.volume },
      });
      continue;
    }
    if (t < g.first) [g.first, g.bar.open] = [t, row.open];
    if (t > g.last) [g.last, g.bar.close] = [t, row.close];
    g.bar.high = Math.max(g.bar.high, row.high);
    g.bar.low = Math.min(g.bar.low, row.low);
    g.bar.volume += row.volume;
  }
  return [...groups.values()].map((g) => g.bar).sort(byKey);
}

/** The bucket of t at the resolutions rolled up from the minutes, hours and days (GMT+7 calendar). */
const MONDAY_VN_MS = Date.UTC(2000, 0, 2, 17); // Monday 3 January 2000, 00:00 in Vietnam
const alignTo = (t: number, step: number, origin: number) => t - ((((t - origin) % step) + step) % step);
export const thirtyMinutesOf = (t: number) => alignTo(t, 30 * MINUTE_MS, 0);
/** 4-hour buckets from 09:00 in Vietnam (02:00 UTC): a session's morning, its afternoon. */
export const fourHoursOf = (t: number) => alignTo(t, 4 * HOUR_MS, 2 * HOUR_MS);
export const vnWeekOf = (t: number) => alignTo(t, 7 * DAY_MS, MONDAY_VN_MS);
export function vnMonthOf(t: number): number {
  const wall = new Date(t + VN_OFFSET_MS);
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), 1) - VN_OFFSET_MS;
}

const asRows = (bars: Bar[]) => bars.map(({ bucket, ...row }) => ({ t: Date.parse(bucket), row }));

/** What a test has stored: 1-minute bars and end-of-day bars, keyed like the tables. */
export class CandleBook {
  readonly minutes = new Map<string, CandleRow>();
  readonly eod = new Map<string, CandleRow>();

  put(rows: readonly CandleRow[]): void {
    for (const r of rows) this.minutes.set(`${r.symbol}|${r.time.getTime()}`, r);
  }
  putDaily(rows: readonly CandleRow[]): void {
    for (const r of rows) this.eod.set(`${r.symbol}|${r.time.getTime()}`, r);
  }
  remove(predicate: (r: CandleRow) => boolean): void {
    for (const [k, r] of this.minutes) if (predicate(r)) this.minutes.delete(k);
  }
  removeDaily(predicate: (r: CandleRow) => boolean): void {
    for (const [k, r] of this.eod) if (predicate(r)) this.eod.delete(k);
  }

  private entries() {
    return [...this.minutes.values()].map((row) => ({ t: row.time.getTime(), row }));
  }
  hourly(): Bar[] {
    return resample(this.entries(), hourOf);
  }
  /** The days of 1-minute bars (through the hours), official end-of-day bars left aside. */
  intradayDays(): Bar[] {
    return resample(this.entries(), vnDayOf);
  }
  /**
   * The official end-of-day bar wherever one is stored; the days without one come from their 1-minute
   * bars (through the hours), however few.
   */
  daily(): Bar[] {
    const eod = [...this.eod.values()].map((r) => ({
      bucket: r.time.toISOString(),
      symbol: r.symbol,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      volume: r.volume,
    }));
    const official = new Set(eod.map((b) => `${b.symbol}|${b.bucket}`));
    const intraday = resample(this.entries(), vnDayOf).filter((b) => !official.has(`${b.symbol}|${b.bucket}`));
    return [...intraday, ...eod].sort(byKey);
  }
  /** 30 minutes from the minutes; 4 hours from the hours; weeks and months from the days (official bars included). */
  rolled(resolution: "30m" | "4h" | "1W" | "1M"): Bar[] {
    if (resolution === "30m") return resample(this.entries(), thirtyMinutesOf);
    if (resolution === "4h") return resample(asRows(this.hourly()), fourHoursOf);
    return resample(asRows(this.daily()), resolution === "1W" ? vnWeekOf : vnMonthOf);
  }
}

/** A view's bars for some symbols, in the oracle's shape and order. */
export async function readBars(conn: SqlConnection, view: "market_candles_1h" | "market_candles_1d", symbols: string[]): Promise<Bar[]> {
  const { rows } = await conn.query(
    `SELECT bucket, symbol, open, high, low, close, volume FROM ${view} WHERE symbol = ANY($1::text[])`,
    [symbols],
  );
  return rows
    .map((r) => ({
      bucket: (r.bucket as Date).toISOString(),
      symbol: String(r.symbol),
      open: Number(r.open),
      high: Number(r.high),
      low: Number(r.low),
      close: Number(r.close),
      volume: Number(r.volume),
    }))
    .sort(byKey);
}
