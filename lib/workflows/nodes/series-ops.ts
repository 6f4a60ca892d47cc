/**
 * Helpers the node types share for per-symbol series: reading an input of the expected shape, applying
 * an indicator to each symbol, and joining two series on their bar times.
 */
import { DAILY_OR_LONGER, type CandleResolution } from "../../market/candles";
import { isVnMidnight, toVnBarTime } from "../../time";
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
  for (const [symbol, s] of Object.entries(series)) out[symbol] = { times: s.times, values: onFiniteTail(s.values, fn), ...resolutionOf(s) };
  return out;
}

/** The resolution to carry over to a series derived from `s` (spread into the new one). */
export const resolutionOf = (s: TimeSeries<unknown>): { resolution?: CandleResolution } => (s.resolution ? { resolution: s.resolution } : {});

/**
 * How a node knows a bar is daily: from its series' resolution, which the candles node sets. A bar with
 * no resolution at hand (the OHLCV port's bars, a series made by hand) is daily when stamped 00:00 in
 * Vietnam: daily bars are stored so, and no session of the exchanges starts at midnight.
 */
export function isDailyBar(time: number, resolution?: CandleResolution): boolean {
  return resolution ? DAILY_OR_LONGER.has(resolution) : isVnMidnight(new Date(time));
}

/**
 * Written bar times, remembered: a run writes the same few hundred bar times for every symbol of every
 * node's stored output (issue 14: formatting them anew was a third of a 100-symbol daily run's node time).
 */
const writtenBarTimes = { daily: new Map<number, string>(), intraday: new Map<number, string>() };
const MAX_WRITTEN_BAR_TIMES = 100_000;

/** A bar's time as outputs write it: '2026-12-01' for a daily bar, '2026-12-01T09:15:00+07:00' otherwise. */
export function barTimeText(time: number, resolution?: CandleResolution): string {
  const daily = isDailyBar(time, resolution);
  const written = daily ? writtenBarTimes.daily : writtenBarTimes.intraday;
  let text = written.get(time);
  if (text === undefined) {
    text = toVnBarTime(new Date(time), daily);
    if (written.size >= MAX_WRITTEN_BAR_TIMES) written.clear();
    written.set(time, text);
  }
  return text;
}

export function fieldOf(candles: CandlesBySymbol, field: "open" | "high" | "low" | "close" | "volume", resolution?: CandleResolution): SeriesBySymbol {
  const out: SeriesBySymbol = {};
  for (const [symbol, bars] of Object.entries(candles)) {
    out[symbol] = { times: bars.map((b) => new Date(b.time).getTime()), values: bars.map((b) => b[field]), ...(resolution ? { resolution } : {}) };
  }
  return out;
}

/**
 * For each symbol both sides have, fn over the pairs of values at the times both series have (NaN bars
 * left out). Both series' times ascend, so one walk along each pairs them without an index.
 */
export function joinOnTime<A, B, R>(a: Record<string, TimeSeries<A>>, b: Record<string, TimeSeries<B>>, fn: (x: A, y: B, prev?: { x: A; y: B }) => R): Record<string, TimeSeries<R>> {
  const out: Record<string, TimeSeries<R>> = {};
  for (const [symbol, sa] of Object.entries(a)) {
    const sb = b[symbol];
    if (!sb) continue; // a symbol only one side has cannot be compared
    const times: number[] = [];
    const values: R[] = [];
    let prev: { x: A; y: B } | undefined;
    let j = 0;
    for (let i = 0; i < sa.times.length; i++) {
      const t = sa.times[i] as number;
      while (j < sb.times.length && (sb.times[j] as number) < t) j++;
      if (j >= sb.times.length) break;
      if (sb.times[j] !== t) continue;
      const x = sa.values[i] as A;
      const y = sb.values[j] as B;
      // A warm-up bar (NaN) has no value to compare: the bar is left out rather than called false,
      // so NOT of a condition is not true over the warm-up.
      if (Number.isNaN(x) || Number.isNaN(y)) continue;
      times.push(t);
      values.push(fn(x, y, prev));
      prev = { x, y };
    }
    out[symbol] = { times, values, ...resolutionOf(sa) };
  }
  return out;
}

/** fn over each symbol's values, times kept; warm-up (NaN) bars left out as in joinOnTime. */
export function mapValues<A, R>(series: Record<string, TimeSeries<A>>, fn: (x: A) => R): Record<string, TimeSeries<R>> {
  const out: Record<string, TimeSeries<R>> = {};
  for (const [symbol, s] of Object.entries(series)) {
    if (!s.values.some((v) => Number.isNaN(v))) {
      out[symbol] = { times: s.times, values: s.values.map(fn), ...resolutionOf(s) };
      continue;
    }
    const times: number[] = [];
    const values: R[] = [];
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i] as A;
      if (Number.isNaN(v)) continue;
      times.push(s.times[i] as number);
      values.push(fn(v));
    }
    out[symbol] = { times, values, ...resolutionOf(s) };
  }
  return out;
}

export interface CommonBar<T> {
  /** The bar time compared at; undefined when no symbol has a value. */
  time: number | undefined;
  resolution?: CandleResolution;
  /** Each compared symbol's value at that time, by symbol. */
  values: [symbol: string, value: T][];
  /** Symbols with no value (no bar, or a warm-up NaN) at that time, sorted. */
  leftOut: string[];
}

/**
 * Where a cross-symbol node reads its values: one bar time for all symbols, so values of different
 * dates are never compared. It is the latest bar time of the most symbols (a tie goes to the later
 * time): a symbol whose data stopped early (VN-Index on 27 Nov while the stocks reach 31 Dec) is left
 * out and named rather than pulling everyone back to its date, and one symbol with a newer bar (a live
 * bar of today) does not push the others out. Symbols whose series go further are read at that time.
 */
export function commonBar<T>(series: Record<string, TimeSeries<T>>): CommonBar<T> {
  const hasValue = (v: T) => !(typeof v === "number" && Number.isNaN(v));
  const latestCount = new Map<number, number>();
  for (const s of Object.values(series)) {
    let i = s.values.length - 1;
    while (i >= 0 && !hasValue(s.values[i] as T)) i--;
    if (i >= 0) latestCount.set(s.times[i] as number, (latestCount.get(s.times[i] as number) ?? 0) + 1);
  }
  let time: number | undefined;
  for (const [t, n] of latestCount) if (time === undefined || n > latestCount.get(time)! || (n === latestCount.get(time)! && t > time)) time = t;
  const values: [string, T][] = [];
  const leftOut: string[] = [];
  let resolution: CandleResolution | undefined;
  for (const [symbol, s] of Object.entries(series).sort(([a], [b]) => a.localeCompare(b))) {
    const i = time === undefined ? -1 : s.times.lastIndexOf(time);
    if (i >= 0 && hasValue(s.values[i] as T)) {
      values.push([symbol, s.values[i] as T]);
      resolution ??= s.resolution;
    } else leftOut.push(symbol);
  }
  return { time, values, leftOut, ...(resolution ? { resolution } : {}) };
}

export const lastValue = <T>(s: TimeSeries<T>): T | undefined => s.values[s.values.length - 1];

export type { BooleanBySymbol, SeriesBySymbol };
