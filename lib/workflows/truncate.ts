/**
 * Shapes node outputs for a run's stored result: long arrays keep their first and last `keep` items with
 * the full size and a summary noted (a year of minute bars per symbol would make the row megabytes), NaN
 * becomes null and every time Vietnam time (a series' epoch-millisecond times and the bars' dates alike: a
 * daily bar as its date, others ISO 8601 with +07:00), so the result is plain JSON a person reads as is.
 *
 * A whole run's result then has a size budget (QUANTFLOW_RUN_RESULT_KB, trimResultToBudget): past it the
 * kept ends shrink until it fits, the summaries staying, and the result says it was trimmed.
 */
import { toVnIso } from "../time";
import { barTimeText } from "./nodes/series-ops";
import type { NodeOutputs, PortSpec, TimeSeries } from "./types";

export interface TruncatedArray {
  truncated: true;
  size: number;
  head: unknown[];
  tail: unknown[];
  /** What the left-out middle held: numbers' count (finite ones), min, max and mean; times' first and last. */
  summary?: ArraySummary;
}

export interface ArraySummary {
  count?: number;
  min?: number | null;
  max?: number | null;
  mean?: number | null;
  first?: string;
  last?: string;
}

const timeOfItem = (v: unknown): string | undefined => (typeof v === "string" ? v : isObject(v) && typeof v.time === "string" ? v.time : undefined);

/**
 * The summary of a whole array: numbers (null and non-finite skipped) by count, min, max and mean; times
 * (strings, or bars with a `time`) by the first and last, read from the already written ends.
 */
export function summarise(full: readonly unknown[], head: readonly unknown[], tail: readonly unknown[]): ArraySummary | undefined {
  if (full.length > 0 && full.every((v) => typeof v === "number" || v === null)) {
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of full as (number | null)[]) {
      if (v === null || !Number.isFinite(v)) continue;
      count++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return count === 0 ? { count } : { count, min, max, mean: sum / count };
  }
  const first = timeOfItem(head[0]);
  const last = timeOfItem(tail.at(-1));
  return first !== undefined && last !== undefined ? { first, last } : undefined;
}

function truncated(full: readonly unknown[], head: unknown[], tail: unknown[]): TruncatedArray {
  const summary = summarise(full, head, tail);
  return { truncated: true, size: full.length, head, tail, ...(summary ? { summary } : {}) };
}

export const DEFAULT_KEEP_POINTS = 50;
const MAX_DEPTH = 12;

/** `dateText` writes a Date: toVnIso, or as a bar's time for the bars of the OHLCV port. */
export function truncateForResult(value: unknown, keep = DEFAULT_KEEP_POINTS, depth = 0, dateText: (d: Date) => string = toVnIso): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : dateText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  // Loops rather than map/entries: a run writes every node's output through here (issue 14's bench).
  if (Array.isArray(value)) {
    const n = value.length;
    const items = (from: number, to: number) => {
      const out = new Array<unknown>(to - from);
      for (let i = from; i < to; i++) out[i - from] = truncateForResult(value[i], keep, depth + 1, dateText);
      return out;
    };
    return n <= 2 * keep ? items(0, n) : truncated(value, items(0, keep), items(n - keep, n));
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = truncateForResult((value as Record<string, unknown>)[k], keep, depth + 1, dateText);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const isTruncatedArray = (v: unknown): v is TruncatedArray => isObject(v) && v.truncated === true && Array.isArray(v.head) && Array.isArray(v.tail);

/** fn over the items of a stored array, whole or truncated (a truncated one's summary then holds the written first and last). */
function mapStoredItems(v: unknown, fn: (item: unknown) => unknown): unknown {
  if (Array.isArray(v)) return v.map(fn);
  if (isTruncatedArray(v)) {
    const head = v.head.map(fn);
    const tail = v.tail.map(fn);
    const summary = summarise([], head, tail);
    return { truncated: true, size: v.size, head, tail, ...(summary ? { summary } : {}) } satisfies TruncatedArray;
  }
  return v;
}

/**
 * A node's outputs as stored with its run: truncated, and times written by what each port carries
 * (a series' and a condition's epoch-millisecond times by their resolution, the OHLCV port's bars by
 * the daily-bar rule of barTimeText). Times are converted after truncation: only the kept points.
 */
export function storedOutputs(out: NodeOutputs, ports: readonly PortSpec[], keep = DEFAULT_KEEP_POINTS): Record<string, unknown> {
  const typeOf = new Map(ports.map((p) => [p.id, p.type]));
  const stored: Record<string, unknown> = {};
  for (const [port, value] of Object.entries(out)) {
    const type = typeOf.get(port);
    const kept = truncateForResult(value, keep, 0, type === "candles" ? (d) => barTimeText(d.getTime()) : toVnIso);
    if ((type === "series" || type === "boolean") && isObject(kept)) {
      stored[port] = Object.fromEntries(
        Object.entries(kept).map(([symbol, s]) => {
          if (!isObject(s) || !("times" in s)) return [symbol, s];
          const resolution = (s as Partial<TimeSeries>).resolution;
          return [symbol, { ...s, times: mapStoredItems(s.times, (t) => (typeof t === "number" ? barTimeText(t, resolution) : t)) }];
        }),
      );
    } else stored[port] = kept;
  }
  return stored;
}

// ---------------------------------------------------------------- the stored result's size budget

export const DEFAULT_RESULT_BUDGET_KB = 64;

/** What a stored result says when it was trimmed to its budget (the UI: "trimmed to 64 kB: head and tail shown"). */
export interface ResultTrimmed {
  budgetBytes: number;
  /** The result's size before trimming (JSON text, bytes). */
  fullBytes: number;
  storedBytes: number;
  /** Items kept at each end of a long array (0: outputs left out, see `outputsOmitted`). */
  keptPoints: number;
  /** Even one point at each end did not fit: the nodes' outputs were left out, their states kept. */
  outputsOmitted?: true;
}

/** The kept ends tried in turn, largest first, until the result fits. */
const TRIM_STEPS = [25, 10, 5, 2, 1];
const MAX_ERROR_CHARS = 200;

export const jsonBytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v) ?? "", "utf8");

/** Every long array (whole or already truncated) down to `keep` items at each end; summaries kept or made. */
function shrinkArrays(value: unknown, keep: number, depth = 0): unknown {
  if (value === null || typeof value !== "object" || depth >= MAX_DEPTH) return value;
  const inner = (v: unknown) => shrinkArrays(v, keep, depth + 1);
  if (Array.isArray(value)) {
    if (value.length <= 2 * keep) return value.map(inner);
    return truncated(value, value.slice(0, keep).map(inner), value.slice(-keep).map(inner));
  }
  if (isTruncatedArray(value) && value.head.length + value.tail.length > 2 * keep) {
    return { ...value, head: value.head.slice(0, keep).map(inner), tail: value.tail.slice(-keep).map(inner) } satisfies TruncatedArray;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inner(v)]));
}

/** The last resort: every node's state, duration and (shortened) error, without its outputs. */
function withoutOutputs(result: Record<string, unknown>): Record<string, unknown> {
  const nodes = isObject(result.nodes) ? result.nodes : {};
  return {
    ...result,
    nodes: Object.fromEntries(
      Object.entries(nodes).map(([id, n]) => {
        if (!isObject(n)) return [id, n];
        const rest = Object.fromEntries(Object.entries(n).filter(([k]) => k !== "output"));
        return [id, { ...rest, ...(typeof n.error === "string" && n.error.length > MAX_ERROR_CHARS ? { error: `${n.error.slice(0, MAX_ERROR_CHARS)}…` } : {}) }];
      }),
    ),
    ...(Array.isArray(result.problems) && result.problems.length > 20 ? { problems: result.problems.slice(0, 20) } : {}),
  };
}

/**
 * A run's result ({ nodes, problems? }) as stored: unchanged when its JSON fits `budgetBytes`; otherwise the
 * long arrays keep fewer points at each end (25, 10, 5, 2, 1; their size and summary stay) until it fits,
 * and as a last resort the outputs are left out. A trimmed result carries `trimmed` (ResultTrimmed).
 */
export function trimResultToBudget(result: Record<string, unknown>, budgetBytes: number): Record<string, unknown> {
  const fullBytes = jsonBytes(result);
  if (fullBytes <= budgetBytes) return result;
  // The note's own size, reserved so the note never pushes the result past its budget.
  const noteBytes = jsonBytes({ trimmed: { budgetBytes, fullBytes, storedBytes: fullBytes, keptPoints: 0, outputsOmitted: true } }) + 2;
  const note = (stored: Record<string, unknown>, keptPoints: number, outputsOmitted = false): Record<string, unknown> => {
    const trimmed: ResultTrimmed = { budgetBytes, fullBytes, storedBytes: 0, keptPoints, ...(outputsOmitted ? { outputsOmitted: true as const } : {}) };
    const out = { ...stored, trimmed };
    // The size is part of what it measures: settle it (its digits change at most once or twice).
    for (let i = 0; i < 3 && trimmed.storedBytes !== jsonBytes(out); i++) trimmed.storedBytes = jsonBytes(out);
    return out;
  };
  for (const keep of TRIM_STEPS) {
    const shrunk = shrinkArrays(result, keep) as Record<string, unknown>;
    if (jsonBytes(shrunk) + noteBytes <= budgetBytes) return note(shrunk, keep);
  }
  return note(withoutOutputs(result), 0, true);
}
