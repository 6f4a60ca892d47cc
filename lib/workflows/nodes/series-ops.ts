/**
 * Helpers the node types share for per-symbol series: reading an input of the expected shape, applying
 * an indicator to each symbol, and joining two series on their bar times.
 */
import type { BooleanBySymbol, CandlesBySymbol, SeriesBySymbol, TimeSeries } from "../types";

/** An input the engine delivered; a missing required input here is an engine bug, so say which. */
export function input<T>(inputs: Record<string, unknown>, port: string): T {
  const v = inputs[port];
  if (v === undefined) throw new Error(`input "${port}" is not connected`);
  return v as T;
}

/**
 * Applies `fn` to the finite tail of the values (an indicator of an indicator: SMA of RSI starts after
 * RSI's warm-up), keeping the series' length and times.
 */
export function onFiniteTail(values: readonly number[], fn: (tail: number[]) => number[]): number[] {
  let start = 0;
  while (start < values.length && Number.isNaN(values[start])) start++;
  const head = new Array<number>(start).fill(NaN);
  return start === values.length ? head : head.concat(fn(values.slice(start)));
}

export function mapSeries(series: SeriesBySymbol, fn: (values: number[]) => number[]): SeriesBySymbol {
  const out: SeriesBySymbol = {};
  for (const [symbol, s] of Object.entries(series)) out[symbol] = { times: s.times, values: onFiniteTail(s.values, fn) };
  return out;
}

export function fieldOf(candles: CandlesBySymbol, field: "open" | "high" | "low" | "close" | "volume"): SeriesBySymbol {
  const out: SeriesBySymbol = {};
  for (const [symbol, bars] of Object.entries(candles)) {
    out[symbol] = { times: bars.map((b) => new Date(b.time).getTime()), values: bars.map((b) => b[field]) };
  }
  return out;
}

/** For each symbol both sides have, fn over the pairs of values at the times both series have (NaN bars left out). */
export function joinOnTime<A, B, R>(a: Record<string, TimeSeries<A>>, b: Record<string, TimeSeries<B>>, fn: (x: A, y: B, prev?: { x: A; y: B }) => R): Record<string, TimeSeries<R>> {
  const out: Record<string, TimeSeries<R>> = {};
  for (const [symbol, sa] of Object.entries(a)) {
    const sb = b[symbol];
    if (!sb) continue; // a symbol only one side has cannot be compared
    const byTime = new Map(sb.times.map((t, i) => [t, sb.values[i] as B]));
    const times: number[] = [];
    const values: R[] = [];
    let prev: { x: A; y: B } | undefined;
    sa.times.forEach((t, i) => {
      const x = sa.values[i] as A;
      const y = byTime.get(t);
      // A warm-up bar (NaN) has no value to compare: the bar is left out rather than called false,
      // so NOT of a condition is not true over the warm-up.
      if (y === undefined || Number.isNaN(x) || Number.isNaN(y)) return;
      times.push(t);
      values.push(fn(x, y, prev));
      prev = { x, y };
    });
    out[symbol] = { times, values };
  }
  return out;
}

/** fn over each symbol's values, times kept; warm-up (NaN) bars left out as in joinOnTime. */
export function mapValues<A, R>(series: Record<string, TimeSeries<A>>, fn: (x: A) => R): Record<string, TimeSeries<R>> {
  const out: Record<string, TimeSeries<R>> = {};
  for (const [symbol, s] of Object.entries(series)) {
    const keep = s.values.flatMap((v, i) => (Number.isNaN(v) ? [] : [i]));
    out[symbol] = keep.length === s.values.length ? { times: s.times, values: s.values.map(fn) } : { times: keep.map((i) => s.times[i] as number), values: keep.map((i) => fn(s.values[i] as A)) };
  }
  return out;
}

export const lastValue = <T>(s: TimeSeries<T>): T | undefined => s.values[s.values.length - 1];

export type { BooleanBySymbol, SeriesBySymbol };
