/**
 * Memories as the JSON routes answer them (app/api/memories/**): times in Vietnam time (+07:00), and
 * lib/memory's refusals as 400 (bad input), 409 (models differ: re-embed first) or 503 (Qdrant or the
 * embeddings endpoint unreachable or slow; nothing was stored), each with its reason.
 */
import type { FoundMemory } from "@/lib/memory/memories";
import { MemoryBackendError, MemoryInputError, MixedModelsError, type Memory } from "@/lib/memory/types";
import { toVnIso } from "@/lib/time";
import { json } from "./route";

export function memoryJson(m: Memory | FoundMemory) {
  return {
    id: m.id,
    memoryType: m.memoryType,
    company: m.company,
    content: m.content,
    timestamp: toVnIso(m.timestamp),
    model: m.model,
    ...("similarity" in m ? { similarity: m.similarity } : {}),
  };
}

/** The answer for lib/memory's refusals; anything else is rethrown (a database outage is answered 503 by the route wrapper). */
export function memoryErrorResponse(error: unknown): Response {
  if (error instanceof MemoryInputError) return json({ error: error.message }, 400);
  if (error instanceof MixedModelsError) return json({ error: error.message }, 409);
  if (error instanceof MemoryBackendError) return json({ error: error.message }, 503);
  throw error;
}
