/**
 * Undo/redo for the builder: a bounded history of graph snapshots. Pure, so it is unit-tested apart
 * from React Flow; the builder records a snapshot after each finished change (a drop, a connection,
 * a drag's end, a parameter edit, a delete, a paste), not on every pointer move.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
}

export const HISTORY_LIMIT = 100;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

/** Records a new present; a change after an undo drops the redo branch. Equal snapshots are not recorded twice. */
export function record<T>(h: History<T>, next: T, same: (a: T, b: T) => boolean = Object.is, limit = HISTORY_LIMIT): History<T> {
  if (same(h.present, next)) return h;
  const past = [...h.past, h.present];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, present: next, future: [] };
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  const previous = h.past[h.past.length - 1] as T;
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  const [next, ...rest] = h.future as [T, ...T[]];
  return { past: [...h.past, h.present], present: next, future: rest };
}

export const canUndo = <T>(h: History<T>) => h.past.length > 0;
export const canRedo = <T>(h: History<T>) => h.future.length > 0;
