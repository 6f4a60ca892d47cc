/**
 * The local embedder, used when no embeddings endpoint is configured: no network, no model file.
 * Each folded word, each pair of neighbouring words and each character 3- and 4-gram of a word is
 * hashed (FNV-1a) to one of the 1536 dimensions with a hashed sign; counts are dampened (1 + ln n)
 * and the vector is brought to unit length. Similar spellings and shared words score high; synonyms
 * and paraphrases do not: it matches words, not meanings (hence "lexical").
 */
import type { Embedder } from "./embedder";
import { foldVietnamese, wordsOf } from "./fold";
import { MEMORY_DIMENSIONS } from "./types";

export const LEXICAL_MODEL = "quantflow-lexical-v1";

const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const GRAM_WEIGHT = 0.35;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function charGrams(word: string, add: (feature: string) => void): void {
  const padded = `<${word}>`;
  for (const n of [3, 4]) {
    for (let i = 0; i + n <= padded.length; i++) add(`c${n}:${padded.slice(i, i + n)}`);
  }
}

/** The unit vector of one text. */
export function lexicalVector(text: string): Float32Array {
  const folded = foldVietnamese(text);
  const weights = new Map<string, number>();
  const addWith = (weight: number) => (feature: string) => weights.set(feature, (weights.get(feature) ?? 0) + weight);
  const words = wordsOf(folded);
  for (let i = 0; i < words.length; i++) {
    addWith(WORD_WEIGHT)(`w:${words[i]}`);
    if (i > 0) addWith(BIGRAM_WEIGHT)(`b:${words[i - 1]} ${words[i]}`);
    charGrams(words[i]!, addWith(GRAM_WEIGHT));
  }
  // A text of punctuation only still gets a direction of its own (its characters), never the zero vector.
  if (weights.size === 0) charGrams(folded.trim() || "∅", addWith(GRAM_WEIGHT));
  const vector = new Float64Array(MEMORY_DIMENSIONS);
  for (const [feature, weight] of weights) {
    const h = fnv1a(feature);
    const sign = h & 0x80000000 ? -1 : 1;
    // Repeats count less and less: a word said five times is not five times the topic.
    vector[h % MEMORY_DIMENSIONS]! += sign * (weight <= 1 ? weight : 1 + Math.log(weight));
  }
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum) || 1;
  const out = new Float32Array(MEMORY_DIMENSIONS);
  for (let i = 0; i < MEMORY_DIMENSIONS; i++) out[i] = vector[i]! / norm;
  return out;
}

export function lexicalEmbedder(): Embedder {
  return {
    model: LEXICAL_MODEL,
    kind: "lexical",
    embed: async (texts) => texts.map(lexicalVector),
  };
}
