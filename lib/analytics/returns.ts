/**
 * Returns and rolling volatility. Aligned to the prices like the indicators: bar 0 has no return (NaN).
 * Volatility is measured on log returns (they add up over time; ARCHITECTURE.md: correlate returns,
 * never prices).
 */
import { assertFinite, assertWindow, at, IndicatorInputError, warmUp } from "./series-input";

export const TRADING_DAYS_PER_YEAR = 252;

/** p[i] / p[i−1] − 1. */
export function simpleReturns(prices: readonly number[]): number[] {
  assertFinite("prices", prices);
  const out = warmUp(prices.length);
  for (let i = 1; i < prices.length; i++) {
    const prev = at(prices, i - 1);
    if (prev === 0) throw new IndicatorInputError(`prices[${i - 1}] is 0: no simple return can follow it`);
    out[i] = at(prices, i) / prev - 1;
  }
  return out;
}

/** ln(p[i] / p[i−1]); prices must be > 0. */
export function logReturns(prices: readonly number[]): number[] {
  assertFinite("prices", prices);
  const bad = prices.findIndex((p) => p <= 0);
  if (bad >= 0) throw new IndicatorInputError(`prices[${bad}] is ${prices[bad]}: log returns need prices > 0`);
  const out = warmUp(prices.length);
  for (let i = 1; i < prices.length; i++) out[i] = Math.log(at(prices, i) / at(prices, i - 1));
  return out;
}

export interface VolatilityOptions {
  /** Multiply by √periodsPerYear (default false: volatility per bar). */
  annualise?: boolean;
  /** Bars per year for annualising; 252 trading days for daily bars. */
  periodsPerYear?: number;
}

/**
 * Sample standard deviation (n − 1) of the last `window` log returns; first value at bar `window`
 * (window returns need window + 1 prices). window ≥ 2 since one return has no sample spread.
 */
export function rollingVolatility(prices: readonly number[], window: number, options: VolatilityOptions = {}): number[] {
  assertWindow("volatility window", window, 2);
  const { annualise = false, periodsPerYear = TRADING_DAYS_PER_YEAR } = options;
  if (!(periodsPerYear > 0)) throw new IndicatorInputError(`periodsPerYear must be > 0, got ${periodsPerYear}`);
  const r = logReturns(prices);
  const scale = annualise ? Math.sqrt(periodsPerYear) : 1;
  const out = warmUp(prices.length);
  for (let i = window; i < prices.length; i++) {
    let mean = 0;
    for (let j = i - window + 1; j <= i; j++) mean += at(r, j);
    mean /= window;
    let squares = 0;
    for (let j = i - window + 1; j <= i; j++) squares += (at(r, j) - mean) ** 2;
    out[i] = Math.sqrt(squares / (window - 1)) * scale;
  }
  return out;
}
