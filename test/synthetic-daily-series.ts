/**
 * Synthetic daily closes for the lead-lag tests and bench:leadlag: seeded normal returns on the Vietnamese
 * trading calendar, a follower that repeats a driver's returns some days later, and gaps.
 */
import type { DailyClose } from "../lib/analytics/leadlag";
import { tradingDaysBetween, type VnDate } from "../lib/market/calendar";

/**
 * Seeded uniform draws in (0, 1) (mulberry32), the same every run. Not xorshift32: its draws a series
 * length apart are visibly correlated, which planted a "link" between two independent series.
 */
export function uniformDraws(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/** Seeded standard normal draws (Box–Muller over uniformDraws). */
export function normalDraws(seed: number): () => number {
  const uniform = uniformDraws(seed);
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function noiseReturns(count: number, sd: number, draw: () => number): number[] {
  return Array.from({ length: count }, () => sd * draw());
}

/** r[t] = beta · driver[t − lag] + sd · noise; lag < 0 repeats the driver's later returns (the follower leads). */
export function laggedReturns(driver: readonly number[], lag: number, beta: number, sd: number, draw: () => number): number[] {
  return driver.map((_, t) => beta * (driver[t - lag] ?? 0) + sd * draw());
}

/** Closes on `dates` from returns: close[0] = start, close[t] = close[t − 1] · e^r[t]. */
export function closesFrom(dates: readonly VnDate[], returns: readonly number[], start = 50_000): DailyClose[] {
  let close = start;
  return dates.map((date, t) => {
    if (t > 0) close *= Math.exp(returns[t] ?? 0);
    return { date, close };
  });
}

/** Leaves out about `share` of the days at random (a halted stock, a commodity's own holidays). */
export function withGaps(series: readonly DailyClose[], share: number, seed: number): DailyClose[] {
  const uniform = uniformDraws(seed);
  return series.filter(() => uniform() >= share);
}

export function tradingDays(from: VnDate, to: VnDate): VnDate[] {
  return tradingDaysBetween(from, to);
}
