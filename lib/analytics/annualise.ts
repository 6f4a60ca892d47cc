/**
 * How many bars make a year, so volatility is annualised by the bars it was measured on: √252 is right
 * for daily bars only (on 1-hour bars it understates by √5). Bars a day are counted from the
 * exchange's sessions (lib/market/calendar.ts): the 1-minute bars that can exist on a trading day,
 * grouped into the resolution's buckets (aligned on the hour, as the rollups are). Trading days a year
 * are the usual 252; a year's real count (about 245–250 in Vietnam) moves the factor by under 1 %.
 */
import type { CandleResolution } from "../market/candles";
import { sessionMinuteOffsets } from "../market/calendar";
import type { Exchange } from "../market/rules";
import { TRADING_DAYS_PER_YEAR } from "./returns";

type Intraday = Exclude<CandleResolution, "1D" | "1W" | "1M">;
const MINUTES: Record<Intraday, number> = { "1m": 1, "5m": 5, "15m": 15, "30m": 30, "1h": 60, "4h": 240 };
/** Where the buckets start, in minutes after 00:00 in Vietnam: 4-hour bars from 09:00 (lib/market/candles.ts). */
const ORIGIN_MINUTE: Partial<Record<Intraday, number>> = { "4h": 9 * 60 };
/** Bars a year of the resolutions longer than a day. */
const LONG_BARS_PER_YEAR = { "1W": 52, "1M": 12 } as const;

/** Bars of `resolution` on one trading day of `exchange`: HOSE has 5 hourly buckets (09, 10, 11, 13, 14). */
export function barsPerTradingDay(exchange: Exchange, resolution: CandleResolution): number {
  if (resolution === "1D" || resolution === "1W" || resolution === "1M") return 1;
  const size = MINUTES[resolution];
  const origin = ORIGIN_MINUTE[resolution] ?? 0;
  return new Set(sessionMinuteOffsets(exchange).map((m) => Math.floor((m - origin) / size))).size;
}

export interface Annualisation {
  barsPerYear: number;
  /** Says which factor and why, e.g. "√1260 (5 bars a trading day on HOSE × 252 trading days)". */
  basis: string;
}

/**
 * The factor for bars of `resolution` (undefined: not known, taken as daily and said so); an explicit
 * `barsPerYear` wins.
 */
export function annualisation(resolution: CandleResolution | undefined, exchange: Exchange, barsPerYear?: number): Annualisation {
  if (barsPerYear !== undefined) return { barsPerYear, basis: `√${barsPerYear} (set on the node)` };
  if (!resolution) return { barsPerYear: TRADING_DAYS_PER_YEAR, basis: `√${TRADING_DAYS_PER_YEAR} (resolution unknown: taken as daily, ${TRADING_DAYS_PER_YEAR} trading days)` };
  if (resolution === "1W" || resolution === "1M") {
    const n = LONG_BARS_PER_YEAR[resolution];
    return { barsPerYear: n, basis: `√${n} (${resolution === "1W" ? "weekly" : "monthly"} bars, ${n} a year)` };
  }
  const perDay = barsPerTradingDay(exchange, resolution);
  const n = perDay * TRADING_DAYS_PER_YEAR;
  return {
    barsPerYear: n,
    basis: resolution === "1D" ? `√${n} (daily bars, ${TRADING_DAYS_PER_YEAR} trading days)` : `√${n} (${perDay} bars a trading day on ${exchange} × ${TRADING_DAYS_PER_YEAR} trading days)`,
  };
}
