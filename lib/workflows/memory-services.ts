/**
 * What the memory nodes reach in a recorded run (ctx.memory, ctx.chat): lib/memory's service scoped to
 * the workflow's owner, and the configured chat endpoint. Server-only; the nodes see the interfaces.
 */
import { MEMORY_TYPES, type MemoryType } from "@/lib/memory/types";
import { addMemory, findMemories, type MemoryDeps } from "@/lib/memory/memories";
import { toVnIso } from "@/lib/time";
import type { MemoryServices } from "./types";

const asType = (t: string | undefined): MemoryType | undefined => (MEMORY_TYPES as readonly string[]).includes(t ?? "") ? (t as MemoryType) : undefined;

export function memoryServicesFor(deps: () => MemoryDeps, userId: string): MemoryServices {
  const embedder = deps().embedder;
  return {
    embedder: embedder.kind === "lexical" ? `lexical (${embedder.model})` : embedder.model,
    async recall({ query, type, company, from, limit }) {
      const found = await findMemories(deps(), userId, { query, type: asType(type), company, from: from?.toISOString(), limit });
      return found.memories.map((m) => ({ id: m.id, memoryType: m.memoryType, company: m.company, content: m.content, time: toVnIso(m.timestamp), similarity: m.similarity }));
    },
    async save({ content, memoryType, company }) {
      const m = await addMemory(deps(), userId, { content, memoryType, company });
      return { id: m.id };
    },
  };
}
