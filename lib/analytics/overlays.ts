/**
 * Chart overlays and indicator panes computed in the browser from closes: simple and exponential
 * moving averages, Bollinger bands, RSI and MACD. Each returns one value per input, null until the window is full (lightweight-charts
 * wants whitespace there). The maths is ./indicators' (reference-checked against TA-Lib); this module
 * only keeps the chart's null-for-warm-up shape and its RangeError on a bad period.
 */
import * as indicators from "./indicators";

function assertPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`Period must be a positive integer, got ${period}`);
}

const toNulls = (values: number[]): (number | null)[] => values.map((v) => (Number.isNaN(v) ? null : v));

/** Simple moving average: the mean of the last `period` values. */
export function sma(values: readonly number[], period: number): (number | null)[] {
  assertPeriod(period);
  return toNulls(indicators.sma(values, period));
}

/** Exponential moving average with k = 2 / (period + 1), seeded with the SMA of the first `period` values. */
export function ema(values: readonly number[], period: number): (number | null)[] {
  assertPeriod(period);
  return toNulls(indicators.ema(values, period));
}

export interface BollingerBands {
  middle: (number | null)[];
  upper: (number | null)[];
  lower: (number | null)[];
}

/** Bollinger bands: the SMA ± `multiplier` population standard deviations over the same window. */
export function bollinger(values: readonly number[], period = 20, multiplier = 2): BollingerBands {
  assertPeriod(period);
  const b = indicators.bollinger(values, period, multiplier);
  return { middle: toNulls(b.middle), upper: toNulls(b.upper), lower: toNulls(b.lower) };
}

/** Wilder's RSI (TA-Lib's seeding): first value at bar `period`. */
export function rsi(values: readonly number[], period = 14): (number | null)[] {
  assertPeriod(period);
  return toNulls(indicators.rsi(values, period));
}

export interface MacdLines {
  macd: (number | null)[];
  signal: (number | null)[];
  histogram: (number | null)[];
}

/** MACD (TA-Lib's seeding, as the workflow node computes it): line, signal and histogram from bar slow + signal − 2. */
export function macd(values: readonly number[], fast = 12, slow = 26, signal = 9): MacdLines {
  for (const p of [fast, slow, signal]) assertPeriod(p);
  if (fast >= slow) throw new RangeError(`MACD's fast period (${fast}) must be shorter than its slow period (${slow})`);
  const m = indicators.macd(values, { fast, slow, signal });
  return { macd: toNulls(m.macd), signal: toNulls(m.signal), histogram: toNulls(m.histogram) };
}
