/**
 * The memory store's vocabulary: what a memory is, the filters a list or a search takes, and the one
 * interface both stores (PostgreSQL, Qdrant) implement. Every call takes the owner's user id; no call
 * reaches another user's memories.
 */
import { MEMORY_TYPES } from "@/db/schema";

export { MEMORY_TYPES };
export type MemoryType = (typeof MEMORY_TYPES)[number];

/** The seed's vector size (OpenAI Ada's); every stored and query vector has exactly this many numbers. */
export const MEMORY_DIMENSIONS = 1536;
/** Longest content a memory may hold, in characters. */
export const MAX_CONTENT_LENGTH = 20_000;

export interface Memory {
  id: string;
  userId: string;
  memoryType: MemoryType;
  /** A symbol of market_symbols, or null. */
  company: string | null;
  content: string;
  /** When the memory was made, a UTC instant (shown in GMT+7 by the API). */
  timestamp: Date;
  /** The embedding model that made its vector; null for a row stored without one (it must be re-embedded). */
  model: string | null;
}

export interface ScoredMemory extends Memory {
  /** Cosine similarity to the query, rounded to 4 decimals (lib/memory/vectors.ts). */
  similarity: number;
}

/** A memory ready to be stored: its vector already made (and checked) by the caller. */
export interface NewMemoryRecord {
  /** Chosen by the caller so that a retried batch does not store twice; a fresh uuid otherwise. */
  id?: string;
  memoryType: MemoryType;
  company: string | null;
  content: string;
  timestamp?: Date;
  vector: Float32Array;
  model: string;
}

export interface MemoryPatch {
  memoryType?: MemoryType;
  company?: string | null;
  /** A new content comes with its new vector and model (never one without the other). */
  content?: { text: string; vector: Float32Array; model: string };
}

export interface MemoryFilters {
  memoryType?: MemoryType;
  company?: string;
  /** Inclusive bounds on `timestamp`. */
  from?: Date;
  to?: Date;
}

export interface MemoryStore {
  readonly kind: "postgres" | "qdrant";
  /** Stores every record or none. */
  add(userId: string, records: NewMemoryRecord[]): Promise<Memory[]>;
  get(userId: string, id: string): Promise<Memory | null>;
  /** Null when the memory is not the user's (or does not exist). */
  update(userId: string, id: string, patch: MemoryPatch): Promise<Memory | null>;
  delete(userId: string, id: string): Promise<boolean>;
  /** Newest first (ties: id ascending). */
  list(userId: string, filters: MemoryFilters, limit: number): Promise<Memory[]>;
  /**
   * The `limit` memories most similar to `vector`, most similar first (ties: newer first, then id
   * ascending). Refused with MixedModelsError when a memory among the filtered ones was embedded by
   * another model than `model`.
   */
  search(userId: string, vector: Float32Array, model: string, filters: MemoryFilters, limit: number): Promise<ScoredMemory[]>;
  /** How many of the user's memories each model embedded ("" for memories stored without a model). */
  modelCounts(userId: string): Promise<Map<string, number>>;
  /** Every memory of the user, by id, `pageSize` at a time (for re-embedding). */
  pages(userId: string, pageSize: number): AsyncIterable<Memory[]>;
  /** Replaces vectors and models of the user's memories (re-embedding); all or none. */
  replaceVectors(userId: string, items: { id: string; vector: Float32Array; model: string }[]): Promise<void>;
  /** Removes everything the store holds for the user (their account is being deleted). */
  dropUser(userId: string): Promise<void>;
  close?(): Promise<void>;
}

/** Input the store refuses (wrong vector size, bad field); nothing was stored. */
export class MemoryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MemoryInputError";
  }
}

/** A search over memories made by different embedding models: their similarities cannot be compared. */
export class MixedModelsError extends Error {
  constructor(
    readonly queryModel: string,
    readonly otherModels: { model: string; count: number }[],
  ) {
    const others = otherModels.map((m) => `${m.count} by ${m.model || "an unrecorded model"}`).join(", ");
    super(
      `This search cannot compare memories embedded by different models: the query is embedded by ${queryModel}, ` +
        `but ${others}. Re-embed them with the current model (npm run memory:reembed -- <e-mail>) and search again.`,
    );
    this.name = "MixedModelsError";
  }
}

/** The vector store (Qdrant) or the embeddings endpoint cannot be reached or answered too slowly; nothing was stored. */
export class MemoryBackendError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MemoryBackendError";
  }
}
