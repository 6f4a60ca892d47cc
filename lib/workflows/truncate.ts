/**
 * Shapes node outputs for a run's stored result: long arrays keep their first and last `keep` items with
 * the full size noted (a year of minute bars per symbol would make the row megabytes), NaN becomes null
 * and dates ISO strings, so the result is plain JSON.
 */
export interface TruncatedArray {
  truncated: true;
  size: number;
  head: unknown[];
  tail: unknown[];
}

export const DEFAULT_KEEP_POINTS = 50;
const MAX_DEPTH = 12;

export function truncateForResult(value: unknown, keep = DEFAULT_KEEP_POINTS, depth = 0): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  const inner = (v: unknown) => truncateForResult(v, keep, depth + 1);
  if (Array.isArray(value)) {
    if (value.length <= 2 * keep) return value.map(inner);
    return { truncated: true, size: value.length, head: value.slice(0, keep).map(inner), tail: value.slice(-keep).map(inner) } satisfies TruncatedArray;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inner(v)]));
}
