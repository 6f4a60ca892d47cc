/**
 * Input checks shared by the indicators: a bad window or a NaN in the prices is the caller's bug, so it
 * fails loudly here rather than spreading NaN through every later bar.
 */

export class IndicatorInputError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "IndicatorInputError";
  }
}

export function assertWindow(name: string, window: number, min = 1): void {
  if (!Number.isInteger(window) || window < min) {
    throw new IndicatorInputError(`${name} must be an integer ≥ ${min}, got ${window}`);
  }
}

export function assertFinite(name: string, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new IndicatorInputError(`${name}[${i}] is not a finite number (${String(v)})`);
    }
  }
}

export function assertSameLength(names: string, ...arrays: readonly (readonly number[])[]): void {
  const n = arrays[0]?.length ?? 0;
  if (arrays.some((a) => a.length !== n)) throw new IndicatorInputError(`${names} must have the same length`);
}

/** values[i] for an index known to be in range (noUncheckedIndexedAccess). */
export const at = (values: readonly number[], i: number): number => values[i] as number;

/** An output aligned to the input: NaN marks a warm-up bar. */
export const warmUp = (length: number): number[] => new Array<number>(length).fill(NaN);
