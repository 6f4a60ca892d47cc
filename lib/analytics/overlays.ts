/**
 * Chart overlays computed in the browser from closes: simple and exponential moving averages and
 * Bollinger bands. Each returns one value per input, null until the window is full. Pure and free of
 * React, so the chart and the tests share it. (The reference-checked indicator set is issue 5's.)
 */

/** values[i] for an index known to be in range (noUncheckedIndexedAccess). */
const at = (values: readonly number[], i: number) => values[i] as number;

function assertPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`Period must be a positive integer, got ${period}`);
}

/** Simple moving average: the mean of the last `period` values (a running sum, O(n)). */
export function sma(values: readonly number[], period: number): (number | null)[] {
  assertPeriod(period);
  const out: (number | null)[] = new Array(values.length).fill(null);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += at(values, i);
    if (i >= period) sum -= at(values, i - period);
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

/**
 * Exponential moving average with k = 2 / (period + 1), seeded with the SMA of the first `period`
 * values (the usual convention, as TA-Lib does): the first value is at index period − 1.
 */
export function ema(values: readonly number[], period: number): (number | null)[] {
  assertPeriod(period);
  const out: (number | null)[] = new Array(values.length).fill(null);
  if (values.length < period) return out;
  const k = 2 / (period + 1);
  let seed = 0;
  for (let i = 0; i < period; i++) seed += at(values, i);
  let prev = seed / period;
  out[period - 1] = prev;
  for (let i = period; i < values.length; i++) {
    prev = at(values, i) * k + prev * (1 - k);
    out[i] = prev;
  }
  return out;
}

export interface BollingerBands {
  middle: (number | null)[];
  upper: (number | null)[];
  lower: (number | null)[];
}

/** Bollinger bands: the SMA ± `multiplier` population standard deviations over the same window. */
export function bollinger(values: readonly number[], period = 20, multiplier = 2): BollingerBands {
  assertPeriod(period);
  const middle = sma(values, period);
  const upper: (number | null)[] = new Array(values.length).fill(null);
  const lower: (number | null)[] = new Array(values.length).fill(null);
  for (let i = period - 1; i < values.length; i++) {
    const mean = middle[i] as number;
    let squares = 0;
    for (let j = i - period + 1; j <= i; j++) squares += (at(values, j) - mean) ** 2;
    const sd = Math.sqrt(squares / period);
    upper[i] = mean + multiplier * sd;
    lower[i] = mean - multiplier * sd;
  }
  return { middle, upper, lower };
}
