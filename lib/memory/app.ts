/**
 * The app's memory store and embedder, chosen by the environment: Qdrant when QDRANT_URL is set, else
 * PostgreSQL; an OpenAI-compatible endpoint when OPENAI_API_KEY or OPENAI_BASE_URL is set, else the
 * local lexical embedder. One of each per process.
 */
import type pg from "pg";
import { env, type Env } from "@/lib/env";
import { findSymbol } from "@/lib/market/symbols";
import type { Embedder } from "./embedder";
import { lexicalEmbedder } from "./lexical-embedder";
import type { MemoryDeps } from "./memories";
import { openAiEmbedder } from "./openai-embedder";
import { PostgresMemoryStore } from "./postgres-store";
import { QdrantMemoryStore } from "./qdrant-store";
import type { MemoryStore } from "./types";

export function memoryStoreFor(e: Pick<Env, "QDRANT_URL" | "QDRANT_API_KEY">, pool: pg.Pool): MemoryStore {
  return e.QDRANT_URL ? new QdrantMemoryStore({ url: e.QDRANT_URL, apiKey: e.QDRANT_API_KEY || undefined }) : new PostgresMemoryStore(pool);
}

export function embedderFor(e: Pick<Env, "OPENAI_API_KEY" | "OPENAI_BASE_URL" | "QUANTFLOW_EMBEDDING_MODEL">): Embedder {
  if (!e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) return lexicalEmbedder();
  return openAiEmbedder({ baseUrl: e.OPENAI_BASE_URL, apiKey: e.OPENAI_API_KEY, model: e.QUANTFLOW_EMBEDDING_MODEL });
}

/** Which store and embedder the environment selects (for /api/health and the page): no URLs, no keys. */
export function memoryConfiguration(e: Env = env()): { store: "qdrant" | "postgres"; embedder: { kind: "lexical" | "remote"; model: string } } {
  const embedder = embedderFor(e);
  return { store: e.QDRANT_URL ? "qdrant" : "postgres", embedder: { kind: embedder.kind, model: embedder.model } };
}

const g = globalThis as { __quantflowMemory?: { pool: pg.Pool; deps: MemoryDeps } };

/** The app's memory dependencies on `pool` (kept across `next dev` module reloads). */
export function appMemoryDeps(pool: pg.Pool): MemoryDeps {
  if (g.__quantflowMemory?.pool !== pool) {
    const e = env();
    g.__quantflowMemory = {
      pool,
      deps: { store: memoryStoreFor(e, pool), embedder: embedderFor(e), isSymbol: async (s) => (await findSymbol(pool, s)) !== undefined },
    };
  }
  return g.__quantflowMemory.deps;
}

/**
 * Deletes a user's memories where PostgreSQL's cascade does not reach: their Qdrant collection (when
 * QDRANT_URL is set). Called before the account's row is deleted (lib/auth/accounts.ts).
 */
export async function dropMemoriesOutsidePostgres(userId: string): Promise<void> {
  const e = env();
  if (e.QDRANT_URL) await new QdrantMemoryStore({ url: e.QDRANT_URL, apiKey: e.QDRANT_API_KEY || undefined }).dropUser(userId);
}
