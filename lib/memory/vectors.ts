/**
 * Vector arithmetic shared by both stores, so that they score and order alike: unit length (what
 * Qdrant's cosine distance stores), cosine as a dot product, similarities rounded to 4
 * decimals, and one tie-break.
 */
import { MEMORY_DIMENSIONS, MemoryInputError, type Memory, type ScoredMemory } from "./types";

/** A copy of `vector` at unit length; refuses a wrong size, a non-finite number or the zero vector. */
export function unitVector(vector: ArrayLike<number>, what = "vector"): Float32Array {
  if (vector.length !== MEMORY_DIMENSIONS) {
    throw new MemoryInputError(`The ${what} has ${vector.length} dimensions; memories use ${MEMORY_DIMENSIONS}.`);
  }
  let sum = 0;
  for (let i = 0; i < vector.length; i++) {
    const v = vector[i]!;
    if (!Number.isFinite(v)) throw new MemoryInputError(`The ${what} holds a value that is not a finite number.`);
    sum += v * v;
  }
  if (sum === 0) throw new MemoryInputError(`The ${what} is all zeros: it has no direction to compare.`);
  const norm = Math.sqrt(sum);
  const out = new Float32Array(MEMORY_DIMENSIONS);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}

/**
 * Rounds a similarity to 4 decimals. Qdrant sums float32 products in its own (SIMD) order, this
 * process in another: the two differ around the 7th decimal, so unrounded scores would order
 * near-equal memories differently from store to store. Rounded, they agree but for a score that
 * happens to straddle a rounding boundary (about 1 in 10,000); equal rounded scores are then ordered
 * by compareScored's tie-break, the same in both stores.
 */
export function roundSimilarity(score: number): number {
  return Math.round(score * 1e4) / 1e4;
}

/** Newest first; equal times by id ascending. The list order of both stores. */
export function compareNewest(a: Memory, b: Memory): number {
  return b.timestamp.getTime() - a.timestamp.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Most similar first; equal (rounded) similarities newest first, then by id ascending. The search order of both stores. */
export function compareScored(a: ScoredMemory, b: ScoredMemory): number {
  return b.similarity - a.similarity || compareNewest(a, b);
}
