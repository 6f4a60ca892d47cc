/**
 * PyPortfolioOpt's default estimators, so a result here can be checked against it:
 * - simple daily returns of closes (`pct_change` without filling: a return needs both closes);
 * - expected return per symbol = prod(1 + r)^(252 / count) − 1 over its own returns (compounded);
 * - sample covariance (ddof = 1) × 252, each pair over the days both have a return (pandas'
 *   pairwise-complete `cov`), or over the days every symbol has a return ("shared_dates").
 */
import { PortfolioInputError } from "./errors";

export const PERIODS_PER_YEAR = 252;

/** closes[symbol][date]; null (or a non-positive/non-finite value) marks a missing close. */
export type CloseMatrix = readonly (readonly (number | null)[])[];

export type Alignment = "pairwise" | "shared_dates";

/** returns[symbol][t] for t = 1..dates−1 (index t−1); NaN where either close is missing. */
export function simpleReturnMatrix(closes: CloseMatrix, symbols?: readonly string[], dates?: readonly string[]): number[][] {
  return closes.map((row, s) => {
    const out: number[] = [];
    for (let t = 0; t < row.length; t++) {
      const cur = row[t];
      if (cur !== null && cur !== undefined && !(Number.isFinite(cur) && cur > 0)) {
        throw new PortfolioInputError("invalid_prices", `${symbols?.[s] ?? `symbol ${s}`}'s close on ${dates?.[t] ?? `day ${t}`} is ${String(cur)}: a close must be a positive number or missing`);
      }
      if (t === 0) continue;
      const prev = row[t - 1];
      out.push(prev == null || cur == null || !(prev > 0) ? NaN : cur / prev - 1);
    }
    return out;
  });
}

/** Keeps only the return days on which every symbol has a return. */
export function sharedDates(returns: readonly (readonly number[])[]): number[][] {
  const length = returns[0]?.length ?? 0;
  const keep: number[] = [];
  for (let t = 0; t < length; t++) if (returns.every((r) => !Number.isNaN(r[t] as number))) keep.push(t);
  return returns.map((r) => keep.map((t) => r[t] as number));
}

export function observationCount(returns: readonly number[]): number {
  let n = 0;
  for (const r of returns) if (!Number.isNaN(r)) n++;
  return n;
}

export function compoundedMeanReturn(returns: readonly number[], periodsPerYear = PERIODS_PER_YEAR): number {
  let logGrowth = 0;
  let count = 0;
  for (const r of returns) {
    if (Number.isNaN(r)) continue;
    // Sum of logs instead of a running product: 7,000 daily factors stay accurate and never overflow.
    logGrowth += Math.log1p(r);
    count++;
  }
  if (count === 0) return NaN;
  return Math.expm1((logGrowth * periodsPerYear) / count);
}

/** Annualised sample covariance (ddof = 1) of each pair over the days both have a return. */
export function sampleCovariance(returns: readonly (readonly number[])[], periodsPerYear = PERIODS_PER_YEAR): number[][] {
  const n = returns.length;
  const cov = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
  // Series with no gap are centred once, and a pair of them is one dot product: most universes are
  // all complete, and this halves the work of the general pairwise path below.
  const centred = returns.map((r) => {
    if (r.some((x) => Number.isNaN(x))) return null;
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    return Float64Array.from(r, (x) => x - mean);
  });
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const ci = centred[i];
      const cj = centred[j];
      const value = ci && cj ? centredCovariance(ci, cj) : pairwiseCovariance(returns[i] as readonly number[], returns[j] as readonly number[]);
      (cov[i] as number[])[j] = value * periodsPerYear;
      (cov[j] as number[])[i] = value * periodsPerYear;
    }
  }
  return cov;
}

function centredCovariance(a: Float64Array, b: Float64Array): number {
  if (a.length < 2) return NaN;
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += (a[t] as number) * (b[t] as number);
  return sum / (a.length - 1);
}

function pairwiseCovariance(a: readonly number[], b: readonly number[]): number {
  let count = 0;
  let meanA = 0;
  let meanB = 0;
  for (let t = 0; t < a.length; t++) {
    const x = a[t] as number;
    const y = b[t] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    count++;
    meanA += x;
    meanB += y;
  }
  if (count < 2) return NaN;
  meanA /= count;
  meanB /= count;
  let sum = 0;
  for (let t = 0; t < a.length; t++) {
    const x = a[t] as number;
    const y = b[t] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    sum += (x - meanA) * (y - meanB);
  }
  return sum / (count - 1);
}

/** Pairwise-overlap counts, so an error can name the pair with too little common history. */
export function overlapCount(a: readonly number[], b: readonly number[]): number {
  let count = 0;
  for (let t = 0; t < a.length; t++) if (!Number.isNaN(a[t] as number) && !Number.isNaN(b[t] as number)) count++;
  return count;
}
