/**
 * Lead-lag between two daily price series: the cross-correlation of their log returns at every lag
 * −K…K, the lag where it is largest in size, and whether that is more than chance.
 *
 * How (issue 10, item 5; README "Value chain"):
 * - Align first: only the trading days both series have (inner join on the date; nothing is filled), and only
 *   those in the window [asOf − windowYears years, asOf] (29 February goes back to 28 February).
 * - Log returns of the aligned closes: r[i] = ln(close[i + 1] / close[i]); `n` of them from `days` common days.
 *   A return may span a day one side missed: that is what "aligned first" means, and it keeps both sides
 *   measured over the same interval.
 * - ρ(k) = Pearson corr(source[t], target[t + k]) over the overlapping part (n − |k| pairs, each side's mean
 *   taken over its own part, as np.corrcoef on the two slices does). k > 0: the source moves first.
 * - The lead is the k of largest |ρ|; ties (within 1e-12) go to the smallest |k|, and between k and −k to the
 *   positive one (the source leading), so the answer does not flicker between equal lags.
 * - Significance: under independence ρ(k) has standard deviation ≈ 1/√(n − |k|). Testing 2K + 1 lags and keeping
 *   the largest would clear a plain 95 % band by chance most of the time (1 − 0.95^41 ≈ 88 % for K = 20), so the
 *   band is Bonferroni-corrected: z = Φ⁻¹(1 − 0.025/(2K + 1)) (3.23 for K = 20), significant when
 *   |ρ| > z/√(n − |k|) at the chosen lag. The plain band (z = Φ⁻¹(0.975) ≈ 1.96) is given to draw as well.
 *   `band` holds both at the full n (the flat lines a chart draws); each lag carries its own n.
 * - weight = |ρ| when significant, else 0.
 *
 * Bad input is a LeadLagInputError with a `code` and a message in words (see the checks below).
 * Speed: each series is validated, windowed and turned into log closes once; an edge costs a merge of two
 * sorted date lists, prefix sums, and per lag one O(n) pass over Float64Arrays (bench: `npm run bench:leadlag`).
 */
import { addDays, type VnDate } from "../market/calendar";
import { normalQuantile } from "./normal-quantile";

export interface DailyClose {
  /** Vietnamese trading date 'YYYY-MM-DD'. */
  date: string;
  close: number;
}

export const WINDOW_YEARS = [1, 3, 5] as const;
export type WindowYears = (typeof WINDOW_YEARS)[number];
export const DEFAULT_MAX_LAG = 20;
/** Fewer common trading days than this in the window: too few to say anything. */
export const MIN_COMMON_DAYS = 60;
/**
 * The window must be covered by the data: the first common day may fall at most this many calendar days
 * after the window's start (a start on a weekend or in the Tết closure, which runs up to ~10 days).
 */
export const WINDOW_START_SLACK_DAYS = 14;
/** |ρ| within this of the best counts as a tie (floating-point noise, not a different answer). */
const TIE = 1e-12;
/** A return series whose standard deviation is below this does not move (constant closes give exactly 0). */
const CONSTANT_SD = 1e-12;

export interface LeadLagOptions {
  windowYears: WindowYears;
  /** The last day of the window, 'YYYY-MM-DD' (Vietnam). */
  asOf: VnDate;
  /** K: lags −K…K are tested. Default 20. */
  maxLag?: number;
}

export type LeadLagErrorCode =
  | "invalid-option"
  | "invalid-series"
  | "bad-close"
  | "no-series"
  | "too-few-days"
  | "window-before-data"
  | "lag-too-large"
  | "constant-series";

export class LeadLagInputError extends RangeError {
  constructor(
    readonly code: LeadLagErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LeadLagInputError";
  }
}

export interface LagCorrelation {
  k: number;
  rho: number;
  /** Pairs in the overlap: n − |k|. */
  n: number;
}

export interface LeadLagBand {
  /** Bonferroni z for 2K + 1 lags: Φ⁻¹(1 − 0.025/(2K + 1)). */
  z: number;
  /** z/√n. */
  corrected: number;
  /** Φ⁻¹(0.975) ≈ 1.96. */
  plainZ: number;
  /** plainZ/√n. */
  plain: number;
}

export interface LeadLagResult {
  windowYears: WindowYears;
  asOf: VnDate;
  maxLag: number;
  /** The window's first calendar day (asOf − windowYears years). */
  from: VnDate;
  /** First and last common trading day used. */
  firstDay: VnDate;
  lastDay: VnDate;
  /** Common trading days in the window. */
  days: number;
  /** Aligned log returns: days − 1. */
  n: number;
  /** k = −K…K in order. */
  lags: LagCorrelation[];
  /** k of largest |ρ|; positive when the source leads. */
  leadTimeDays: number;
  /** ρ at leadTimeDays. */
  correlation: number;
  /** Beyond the Bonferroni band at the chosen lag. */
  significant: boolean;
  /** Beyond the plain 95 % band at the chosen lag (for display: it says little after picking the largest of 2K + 1). */
  significantPlain: boolean;
  band: LeadLagBand;
  /** |correlation| when significant, else 0. */
  weight: number;
}

interface WindowedSeries {
  name: string;
  dates: string[];
  logCloses: Float64Array;
}

interface ResolvedOptions {
  windowYears: WindowYears;
  asOf: VnDate;
  maxLag: number;
  from: VnDate;
}

/** asOf − years, same month and day; 29 February goes to 28 February. */
export function windowStart(asOf: VnDate, years: number): VnDate {
  const [y, m, d] = asOf.split("-") as [string, string, string];
  const year = String(Number(y) - years).padStart(4, "0");
  const day = m === "02" && d === "29" ? "28" : d;
  return `${year}-${m}-${day}`;
}

function resolveOptions(options: LeadLagOptions): ResolvedOptions {
  const { windowYears, asOf, maxLag = DEFAULT_MAX_LAG } = options;
  if (!(WINDOW_YEARS as readonly number[]).includes(windowYears)) {
    throw new LeadLagInputError("invalid-option", `The window must be 1, 3 or 5 years, not ${String(windowYears)}.`);
  }
  if (!isCalendarDate(asOf)) {
    throw new LeadLagInputError("invalid-option", `The as-of date must be a calendar date written YYYY-MM-DD, not ${JSON.stringify(asOf)}.`);
  }
  if (!Number.isInteger(maxLag) || maxLag < 1) {
    throw new LeadLagInputError("invalid-option", `The largest lag must be a whole number of trading days, at least 1, not ${String(maxLag)}.`);
  }
  return { windowYears, asOf, maxLag, from: windowStart(asOf, windowYears) };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A real date written 'YYYY-MM-DD'. The same test as parseVnDate, by character codes: it runs on every close
 * of every series (40,000 in a chain), where parseVnDate's regex and Date took a third of bench:leadlag.
 */
function isCalendarDate(s: string): boolean {
  if (typeof s !== "string" || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    year = year * 10 + c;
  }
  const m1 = s.charCodeAt(5) - 48;
  const m2 = s.charCodeAt(6) - 48;
  const d1 = s.charCodeAt(8) - 48;
  const d2 = s.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}

/** Checks the whole series once, keeps the window's days and their log closes. */
function windowSeries(name: string, closes: readonly DailyClose[], { from, asOf }: ResolvedOptions): WindowedSeries {
  let previous = "";
  for (let i = 0; i < closes.length; i++) {
    const { date, close } = closes[i] as DailyClose;
    if (!isCalendarDate(date)) {
      throw new LeadLagInputError("invalid-series", `${name}: day ${i + 1} has no date written YYYY-MM-DD (${JSON.stringify(date)}).`);
    }
    if (date <= previous) {
      throw new LeadLagInputError("invalid-series", `${name}: the days must be in order with no repeats, but ${date} follows ${previous}.`);
    }
    previous = date;
    if (typeof close !== "number" || !Number.isFinite(close) || close <= 0) {
      throw new LeadLagInputError("bad-close", `${name}: the close on ${date} is ${String(close)}; closes must be positive numbers.`);
    }
  }
  const dates: string[] = [];
  const logs: number[] = [];
  // 'YYYY-MM-DD' strings sort as the days do.
  for (const { date, close } of closes) {
    if (date >= from && date <= asOf) {
      dates.push(date);
      logs.push(Math.log(close));
    }
  }
  return { name, dates, logCloses: Float64Array.from(logs) };
}

/** Inner join on the date of two windowed series (both sorted): the log returns of the common days' closes. */
function alignedReturns(source: WindowedSeries, target: WindowedSeries) {
  const a = source.dates;
  const b = target.dates;
  const ia: number[] = [];
  const ib: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const da = a[i] as string;
    const db = b[j] as string;
    if (da === db) {
      ia.push(i++);
      ib.push(j++);
    } else if (da < db) i++;
    else j++;
  }
  const days = ia.length;
  const n = Math.max(days - 1, 0);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const la = source.logCloses;
  const lb = target.logCloses;
  for (let t = 0; t < n; t++) {
    x[t] = (la[ia[t + 1] as number] as number) - (la[ia[t] as number] as number);
    y[t] = (lb[ib[t + 1] as number] as number) - (lb[ib[t] as number] as number);
  }
  const firstDay = days > 0 ? (a[ia[0] as number] as string) : "";
  const lastDay = days > 0 ? (a[ia[days - 1] as number] as string) : "";
  return { days, n, x, y, firstDay, lastDay };
}

function standardDeviation(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] as number;
  const mean = s / v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += ((v[i] as number) - mean) ** 2;
  return Math.sqrt(ss / v.length);
}

/** p[i] = v[0] + … + v[i − 1], so any stretch's mean costs two reads. */
function prefixSums(v: Float64Array): Float64Array {
  const p = new Float64Array(v.length + 1);
  for (let i = 0; i < v.length; i++) p[i + 1] = (p[i] as number) + (v[i] as number);
  return p;
}

/**
 * Pearson corr(x[t], y[t + k]) over the overlap, as np.corrcoef computes it: each side centred on its own mean
 * over the overlap (from the prefix sums), then one pass of centred products; NaN when a side does not move.
 * A mean off by rounding (≈1e-17 here) changes the centred sums by m·δx·δy, far below 1e-9.
 */
function lagCorrelation(x: Float64Array, y: Float64Array, px: Float64Array, py: Float64Array, k: number): number {
  const m = x.length - Math.abs(k);
  const xs = k >= 0 ? 0 : -k;
  const ys = k >= 0 ? k : 0;
  const mx = ((px[xs + m] as number) - (px[xs] as number)) / m;
  const my = ((py[ys + m] as number) - (py[ys] as number)) / m;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < m; i++) {
    const dx = (x[xs + i] as number) - mx;
    const dy = (y[ys + i] as number) - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const floor = m * CONSTANT_SD * CONSTANT_SD;
  if (sxx <= floor || syy <= floor) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** The smallest n of aligned returns that K allows: 2K + 1 lags need at least twice as many returns. */
export function minimumReturnsFor(maxLag: number): number {
  return 2 * (2 * maxLag + 1);
}

/** Bonferroni z for 2K + 1 two-sided tests at 5 % overall. */
export function bonferroniZ(maxLag: number): number {
  return normalQuantile(1 - 0.025 / (2 * maxLag + 1));
}

const PLAIN_Z = normalQuantile(0.975);

function analyseWindowed(source: WindowedSeries, target: WindowedSeries, o: ResolvedOptions): LeadLagResult {
  const pair = `${source.name} and ${target.name}`;
  const { days, n, x, y, firstDay, lastDay } = alignedReturns(source, target);
  if (days < MIN_COMMON_DAYS) {
    throw new LeadLagInputError(
      "too-few-days",
      `${pair} have ${days} common trading day${days === 1 ? "" : "s"} between ${o.from} and ${o.asOf}; the analysis needs at least ${MIN_COMMON_DAYS}.`,
    );
  }
  if (firstDay > addDays(o.from, WINDOW_START_SLACK_DAYS)) {
    throw new LeadLagInputError(
      "window-before-data",
      `The ${o.windowYears}-year window as of ${o.asOf} starts on ${o.from}, but the common data of ${pair} starts on ${firstDay}: choose a shorter window.`,
    );
  }
  const needed = minimumReturnsFor(o.maxLag);
  if (n < needed) {
    const largest = Math.floor((n / 2 - 1) / 2);
    throw new LeadLagInputError(
      "lag-too-large",
      `Testing lags up to ${o.maxLag} days needs at least ${needed} daily returns (twice the ${2 * o.maxLag + 1} lags), but ${pair} have ${n} in the window: choose a largest lag of at most ${largest} or a longer window.`,
    );
  }
  for (const [series, r] of [[source, x], [target, y]] as const) {
    if (standardDeviation(r) < CONSTANT_SD) {
      throw new LeadLagInputError("constant-series", `${series.name} does not move between ${firstDay} and ${lastDay} (its closes are constant): a correlation needs both series to vary.`);
    }
  }

  const K = o.maxLag;
  const px = prefixSums(x);
  const py = prefixSums(y);
  const lags: LagCorrelation[] = [];
  for (let k = -K; k <= K; k++) {
    const rho = lagCorrelation(x, y, px, py, k);
    if (Number.isNaN(rho)) {
      throw new LeadLagInputError(
        "constant-series",
        `At a lag of ${k} days one of ${pair} does not move over the ${n - Math.abs(k)} overlapping returns: a correlation needs both series to vary.`,
      );
    }
    lags.push({ k, rho, n: n - Math.abs(k) });
  }

  // Visit 0, 1, −1, 2, −2, …: a later lag wins only when clearly larger, which settles ties as documented.
  let best = lags[K] as LagCorrelation;
  for (let d = 1; d <= K; d++) {
    for (const k of [d, -d]) {
      const c = lags[k + K] as LagCorrelation;
      if (Math.abs(c.rho) > Math.abs(best.rho) + TIE) best = c;
    }
  }

  const z = bonferroniZ(K);
  const significant = Math.abs(best.rho) > z / Math.sqrt(best.n);
  return {
    windowYears: o.windowYears,
    asOf: o.asOf,
    maxLag: K,
    from: o.from,
    firstDay,
    lastDay,
    days,
    n,
    lags,
    leadTimeDays: best.k,
    correlation: best.rho,
    significant,
    significantPlain: Math.abs(best.rho) > PLAIN_Z / Math.sqrt(best.n),
    band: { z, corrected: z / Math.sqrt(n), plainZ: PLAIN_Z, plain: PLAIN_Z / Math.sqrt(n) },
    weight: significant ? Math.abs(best.rho) : 0,
  };
}

/** One pair of series; throws LeadLagInputError. Names are only for the messages. */
export function analyseLeadLag(
  source: readonly DailyClose[],
  target: readonly DailyClose[],
  options: LeadLagOptions & { sourceName?: string; targetName?: string },
): LeadLagResult {
  const o = resolveOptions(options);
  return analyseWindowed(windowSeries(options.sourceName ?? "the source", source, o), windowSeries(options.targetName ?? "the target", target, o), o);
}

export interface LeadLagEdge {
  source: string;
  target: string;
}

export type LeadLagOutcome<E extends LeadLagEdge> = { edge: E; ok: true; result: LeadLagResult } | { edge: E; ok: false; error: LeadLagInputError };

/**
 * Every edge of a chain at once: `series` maps a key (a symbol) to its daily closes; each series is checked and
 * windowed once however many edges use it. Bad options throw; a bad series, a missing one or a pair that cannot be
 * analysed is that edge's error, and the other edges still get their result (outcomes in the edges' order).
 */
export function analyseLeadLagBatch<E extends LeadLagEdge>(
  series: ReadonlyMap<string, readonly DailyClose[]>,
  edges: readonly E[],
  options: LeadLagOptions,
): LeadLagOutcome<E>[] {
  const o = resolveOptions(options);
  const windowed = new Map<string, WindowedSeries | LeadLagInputError>();
  const get = (key: string): WindowedSeries | LeadLagInputError => {
    let w = windowed.get(key);
    if (!w) {
      const closes = series.get(key);
      try {
        w = closes ? windowSeries(key, closes, o) : new LeadLagInputError("no-series", `${key} has no daily price series.`);
      } catch (error) {
        if (!(error instanceof LeadLagInputError)) throw error;
        w = error;
      }
      windowed.set(key, w);
    }
    return w;
  };
  return edges.map((edge) => {
    const s = get(edge.source);
    if (s instanceof LeadLagInputError) return { edge, ok: false, error: s };
    const t = get(edge.target);
    if (t instanceof LeadLagInputError) return { edge, ok: false, error: t };
    try {
      return { edge, ok: true, result: analyseWindowed(s, t, o) };
    } catch (error) {
      if (!(error instanceof LeadLagInputError)) throw error;
      return { edge, ok: false, error };
    }
  });
}
