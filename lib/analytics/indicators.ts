/**
 * The reference-checked technical indicators (issue 5): SMA, EMA, RSI, MACD, Bollinger Bands, TR, ATR.
 *
 * Conventions (TA-Lib's unless an option says otherwise; indicators.test.ts checks them against TA-Lib's
 * published values and the technicalindicators / trading-signals fixtures in ./fixtures):
 * - Every output has the input's length; a warm-up bar (TA-Lib's lookback) is NaN. NaN rather than null
 *   so outputs stay number[] and arithmetic needs no guards; callers that serialise map NaN to null
 *   (JSON has no NaN).
 * - Inputs must be finite and windows integers ≥ 1, else an IndicatorInputError.
 */
import { assertFinite, assertSameLength, assertWindow, at, IndicatorInputError, warmUp } from "./series-input";

export { IndicatorInputError };

/** Simple moving average; first value at bar n − 1. */
export function sma(values: readonly number[], n: number): number[] {
  assertWindow("SMA period", n);
  assertFinite("SMA input", values);
  const out = warmUp(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += at(values, i);
    if (i >= n) sum -= at(values, i - n);
    if (i >= n - 1) out[i] = sum / n;
  }
  return out;
}

export interface EmaOptions {
  /**
   * "sma" (TA-Lib, default): seeded with the SMA of the first n values, first value at bar n − 1.
   * "first" (Tulip Indicators, trading-signals' MACD): seeded with the first value, output from bar 0.
   */
  seed?: "sma" | "first";
}

/** Exponential moving average with k = 2 / (n + 1). */
export function ema(values: readonly number[], n: number, options: EmaOptions = {}): number[] {
  assertWindow("EMA period", n);
  assertFinite("EMA input", values);
  if (options.seed === "first") return emaSeededWithFirst(values, 2 / (n + 1));
  return emaSeededWithSma(values, n, n - 1);
}

/**
 * EMA(n) whose seed is the SMA of the n values ending at bar `seedEnd`; values from seedEnd on.
 * TA-Lib's MACD seeds its fast EMA this way at the slow EMA's first bar (see macd).
 */
function emaSeededWithSma(values: readonly number[], n: number, seedEnd: number): number[] {
  const out = warmUp(values.length);
  if (seedEnd >= values.length || seedEnd - n + 1 < 0) return out;
  const k = 2 / (n + 1);
  let prev = 0;
  for (let i = seedEnd - n + 1; i <= seedEnd; i++) prev += at(values, i);
  prev /= n;
  out[seedEnd] = prev;
  for (let i = seedEnd + 1; i < values.length; i++) {
    prev = (at(values, i) - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}

function emaSeededWithFirst(values: readonly number[], k: number): number[] {
  const out = warmUp(values.length);
  let prev = NaN;
  for (let i = 0; i < values.length; i++) {
    prev = i === 0 ? at(values, 0) : (at(values, i) - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}

/**
 * Wilder's RSI: the first average gain/loss is the mean of the first n changes, then
 * avg = (prev·(n − 1) + x) / n. First value at bar n. A window without any move gives 0, as TA-Lib does
 * (avgGain + avgLoss = 0); a window with only gains gives 100.
 */
export function rsi(values: readonly number[], n = 14): number[] {
  assertWindow("RSI period", n);
  assertFinite("RSI input", values);
  const out = warmUp(values.length);
  if (values.length <= n) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= n; i++) {
    const d = at(values, i) - at(values, i - 1);
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= n;
  loss /= n;
  const value = () => (gain + loss === 0 ? 0 : (100 * gain) / (gain + loss));
  out[n] = value();
  for (let i = n + 1; i < values.length; i++) {
    const d = at(values, i) - at(values, i - 1);
    gain = (gain * (n - 1) + (d > 0 ? d : 0)) / n;
    loss = (loss * (n - 1) + (d < 0 ? -d : 0)) / n;
    out[i] = value();
  }
  return out;
}

export interface MacdOptions {
  fast?: number;
  slow?: number;
  signal?: number;
  /**
   * How the EMAs are seeded:
   * - "talib" (default): the slow EMA with the SMA of bars 0..slow−1, the fast EMA with the SMA of the
   *   `fast` bars ending at bar slow−1 (not bars 0..fast−1), the signal EMA with the SMA of the first
   *   `signal` MACD values. All three outputs start at bar slow + signal − 2 (33 for 12/26/9).
   * - "textbook" (technicalindicators, most spreadsheets): each EMA seeded with the SMA of its own first
   *   window, so the fast EMA starts at bar fast−1. The MACD line starts at bar slow−1 and the signal at
   *   slow + signal − 2. It differs from TA-Lib early on (bar 33 of TA-Lib's series: −2.1835 vs −1.9738)
   *   and converges later as the seed's weight decays.
   * - "first" (Tulip Indicators, trading-signals): all EMAs seeded with their first input; outputs from
   *   bar slow−1, the signal seeded with the MACD value there.
   */
  seed?: "talib" | "textbook" | "first";
}

export interface MacdSeries {
  macd: number[];
  signal: number[];
  histogram: number[];
}

export function macd(values: readonly number[], options: MacdOptions = {}): MacdSeries {
  const { fast = 12, slow = 26, signal = 9, seed = "talib" } = options;
  assertWindow("MACD fast period", fast);
  assertWindow("MACD slow period", slow);
  assertWindow("MACD signal period", signal);
  assertFinite("MACD input", values);
  // TA-Lib swaps fast and slow when given in the wrong order; a caller doing that has a bug, so refuse.
  if (fast >= slow) throw new IndicatorInputError(`MACD fast period (${fast}) must be shorter than the slow period (${slow})`);
  const length = values.length;
  const line = warmUp(length);
  const start = slow - 1;

  if (seed === "first") {
    const f = emaSeededWithFirst(values, 2 / (fast + 1));
    const s = emaSeededWithFirst(values, 2 / (slow + 1));
    for (let i = start; i < length; i++) line[i] = at(f, i) - at(s, i);
    const sig = warmUp(length);
    if (start < length) sig.splice(start, length - start, ...emaSeededWithFirst(line.slice(start), 2 / (signal + 1)));
    return withHistogram(line, sig, start);
  }

  const fastEma = seed === "talib" ? emaSeededWithSma(values, fast, start) : emaSeededWithSma(values, fast, fast - 1);
  const slowEma = emaSeededWithSma(values, slow, start);
  for (let i = start; i < length; i++) line[i] = at(fastEma, i) - at(slowEma, i);
  const sig = warmUp(length);
  const signalStart = start + signal - 1;
  if (start < length) {
    const tail = emaSeededWithSma(line.slice(start), signal, signal - 1);
    for (let i = signalStart; i < length; i++) sig[i] = at(tail, i - start);
  }
  // TA-Lib reports all three outputs from the signal's first bar; the textbook variant keeps the line.
  if (seed === "talib") line.fill(NaN, 0, Math.min(signalStart, length));
  return withHistogram(line, sig, signalStart);
}

function withHistogram(line: number[], sig: number[], from: number): MacdSeries {
  const histogram = warmUp(line.length);
  for (let i = Math.max(from, 0); i < line.length; i++) histogram[i] = at(line, i) - at(sig, i);
  return { macd: line, signal: sig, histogram };
}

export interface BollingerSeries {
  upper: number[];
  middle: number[];
  lower: number[];
}

/** Bollinger Bands: SMA(n) ± k population standard deviations (divide by n, as TA-Lib). */
export function bollinger(values: readonly number[], n = 20, k = 2): BollingerSeries {
  if (!Number.isFinite(k) || k < 0) throw new IndicatorInputError(`Bollinger multiplier must be a finite number ≥ 0, got ${k}`);
  const middle = sma(values, n);
  const upper = warmUp(values.length);
  const lower = warmUp(values.length);
  for (let i = n - 1; i < values.length; i++) {
    const mean = at(middle, i);
    let squares = 0;
    for (let j = i - n + 1; j <= i; j++) squares += (at(values, j) - mean) ** 2;
    const sd = Math.sqrt(squares / n);
    upper[i] = mean + k * sd;
    lower[i] = mean - k * sd;
  }
  return { upper, middle, lower };
}

export interface Hlc {
  high: readonly number[];
  low: readonly number[];
  close: readonly number[];
}

function assertHlc(name: string, { high, low, close }: Hlc): void {
  assertSameLength(`${name} high, low and close`, high, low, close);
  assertFinite(`${name} high`, high);
  assertFinite(`${name} low`, low);
  assertFinite(`${name} close`, close);
}

/** True range max(H−L, |H−prevC|, |L−prevC|); from bar 1 (bar 0 has no previous close, as TA-Lib). */
export function trueRange(bars: Hlc, name = "TR"): number[] {
  assertHlc(name, bars);
  const { high, low, close } = bars;
  const out = warmUp(close.length);
  for (let i = 1; i < close.length; i++) {
    const h = at(high, i);
    const l = at(low, i);
    const pc = at(close, i - 1);
    out[i] = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
  }
  return out;
}

/** Wilder's ATR: first value at bar n = mean of TR over bars 1..n, then (prev·(n − 1) + TR) / n. */
export function atr(bars: Hlc, n = 14): number[] {
  assertWindow("ATR period", n);
  const tr = trueRange(bars, "ATR");
  const out = warmUp(tr.length);
  if (tr.length <= n) return out;
  let prev = 0;
  for (let i = 1; i <= n; i++) prev += at(tr, i);
  prev /= n;
  out[n] = prev;
  for (let i = n + 1; i < tr.length; i++) {
    prev = (prev * (n - 1) + at(tr, i)) / n;
    out[i] = prev;
  }
  return out;
}
