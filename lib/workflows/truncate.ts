/**
 * Shapes node outputs for a run's stored result: long arrays keep their first and last `keep` items with
 * the full size noted (a year of minute bars per symbol would make the row megabytes), NaN becomes null
 * and every time Vietnam time (a series' epoch-millisecond times and the bars' dates alike: a daily bar
 * as its date, others ISO 8601 with +07:00), so the result is plain JSON a person reads as is.
 */
import { toVnIso } from "../time";
import { barTimeText } from "./nodes/series-ops";
import type { NodeOutputs, PortSpec, TimeSeries } from "./types";

export interface TruncatedArray {
  truncated: true;
  size: number;
  head: unknown[];
  tail: unknown[];
}

export const DEFAULT_KEEP_POINTS = 50;
const MAX_DEPTH = 12;

/** `dateText` writes a Date: toVnIso, or as a bar's time for the bars of the OHLCV port. */
export function truncateForResult(value: unknown, keep = DEFAULT_KEEP_POINTS, depth = 0, dateText: (d: Date) => string = toVnIso): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : dateText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  const inner = (v: unknown) => truncateForResult(v, keep, depth + 1, dateText);
  if (Array.isArray(value)) {
    if (value.length <= 2 * keep) return value.map(inner);
    return { truncated: true, size: value.length, head: value.slice(0, keep).map(inner), tail: value.slice(-keep).map(inner) } satisfies TruncatedArray;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inner(v)]));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** fn over the items of a stored array, whole or truncated. */
function mapStoredItems(v: unknown, fn: (item: unknown) => unknown): unknown {
  if (Array.isArray(v)) return v.map(fn);
  if (isObject(v) && v.truncated === true && Array.isArray(v.head) && Array.isArray(v.tail)) return { ...v, head: v.head.map(fn), tail: v.tail.map(fn) };
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
