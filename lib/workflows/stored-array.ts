/**
 * Reading an array as a run's stored result holds it: whole, or truncated to its ends
 * ({ truncated, size, head, tail }, lib/workflows/truncate.ts). Pure, no imports: the run page's outcome
 * and the builder's side panel (a client component) read stored results alike.
 */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A stored array truncated to its ends. */
export const isStoredTruncated = (v: unknown): v is { truncated: true; size?: unknown; head: unknown[]; tail: unknown[] } =>
  isObject(v) && v.truncated === true && Array.isArray(v.head) && Array.isArray(v.tail);

/**
 * Items and full size of a stored array, whole or truncated, and its latest items (a truncated one's
 * tail, else all of it); null when it is not an array.
 */
export function storedArray(v: unknown): { items: unknown[]; size: number; latest: unknown[] } | null {
  if (Array.isArray(v)) return { items: v, size: v.length, latest: v };
  if (isStoredTruncated(v)) {
    return { items: [...v.head, ...v.tail], size: typeof v.size === "number" ? v.size : v.head.length + v.tail.length, latest: v.tail };
  }
  return null;
}
