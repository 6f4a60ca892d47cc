/**
 * The first and last rows of a long stored array for a narrow view ("… 244 rows …" between them). A stored
 * array may already be truncated to its head and tail ({ truncated, size, head, tail }): its kept items are
 * the head then the tail, and `size` counts them all, so the hidden count covers both cuts. Pure.
 */
import { isObject, storedArray } from "@/lib/workflows/stored-array";

export interface HeadTail<T> {
  head: T[];
  /** Rows neither shown nor, for a truncated array, stored. */
  hidden: number;
  tail: T[];
}

export function headTail<T>(items: readonly T[], size: number = items.length, keep = 3): HeadTail<T> {
  const total = Math.max(size, items.length);
  if (items.length <= 2 * keep && total === items.length) return { head: [...items], hidden: 0, tail: [] };
  // A stored truncation keeps as many at each end: fewer than shown, split them where the cut was.
  const headCount = Math.min(keep, Math.ceil(items.length / 2));
  const tailCount = Math.min(keep, items.length - headCount);
  const head = items.slice(0, headCount);
  const tail = tailCount > 0 ? items.slice(items.length - tailCount) : [];
  return { head, hidden: total - head.length - tail.length, tail };
}

/** A stored per-symbol series ({ times, values }) as rows of [time, value], with its full size. */
export function seriesRows(s: unknown): { rows: [unknown, unknown][]; size: number } | null {
  if (!isObject(s)) return null;
  const times = storedArray(s.times);
  const values = storedArray(s.values);
  if (!times || !values || times.items.length !== values.items.length) return null;
  return { rows: values.items.map((v, i) => [times.items[i], v]), size: values.size };
}
