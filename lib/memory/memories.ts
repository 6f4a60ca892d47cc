/**
 * Memories as the app uses them: input checked with zod (content, type, a company that is a known
 * symbol), embedded, then stored; searched by meaning when there is a query, listed newest first
 * otherwise. The store and the embedder come in `deps` (lib/memory/app.ts gives the app's).
 */
import { z } from "zod";
import { parseInstant } from "@/lib/time";
import type { Embedder } from "./embedder";
import { MAX_CONTENT_LENGTH, MEMORY_TYPES, MemoryInputError, type Memory, type MemoryFilters, type MemoryStore } from "./types";

export interface MemoryDeps {
  store: MemoryStore;
  embedder: Embedder;
  /** Whether market_symbols has this symbol. */
  isSymbol: (symbol: string) => Promise<boolean>;
}

export const MAX_RESULTS = 100;

const content = z
  .string({ error: "Content must be text." })
  .refine((v) => v.trim() !== "", "A memory needs some content.")
  .refine((v) => v.length <= MAX_CONTENT_LENGTH, `A memory holds at most ${MAX_CONTENT_LENGTH.toLocaleString("en")} characters.`);
const memoryType = z.enum(MEMORY_TYPES, { error: `Unknown memory type: use ${MEMORY_TYPES.join(", ")}.` });
const company = z
  .string({ error: "Company must be a symbol." })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9._-]{0,19}$/, "Company must be a symbol (HPG, VCB, …).");
/** An optional company: "" and null mean none. */
const optionalCompany = z.union([z.literal("").transform(() => null), z.null(), company]);

export const newMemorySchema = z.object({ content, memoryType, company: optionalCompany.optional().default(null) });
export const memoryPatchSchema = z
  .object({ content: content.optional(), memoryType: memoryType.optional(), company: optionalCompany.optional() })
  .refine((p) => p.content !== undefined || p.memoryType !== undefined || p.company !== undefined, "Nothing to change: give content, memoryType or company.");

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const instant = (bound: "from" | "to") =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      const at = parseInstant(v);
      if (!at) {
        ctx.addIssue({ code: "custom", message: `"${bound}" must be a date or time (2025-03-01, ISO 8601 or epoch ms).` });
        return z.NEVER;
      }
      // A date alone as the upper bound means through the end of that day (in Vietnam).
      return bound === "to" && DATE_ONLY.test(v) ? new Date(at.getTime() + 86_400_000 - 1) : at;
    });

export const findMemoriesSchema = z
  .object({
    query: z.string().trim().max(MAX_CONTENT_LENGTH, "The query is too long.").optional().transform((v) => v || undefined),
    type: z.union([z.literal("").transform(() => undefined), memoryType]).optional(),
    company: z.union([z.literal("").transform(() => undefined), company]).optional(),
    from: z.union([z.literal("").transform(() => undefined), instant("from")]).optional(),
    to: z.union([z.literal("").transform(() => undefined), instant("to")]).optional(),
    limit: z.coerce.number({ error: "limit must be a number" }).int("limit must be a whole number").min(1, "limit must be 1 to 100").max(MAX_RESULTS, "limit must be 1 to 100").default(20),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to".', path: ["from"] });

export type NewMemoryInput = z.input<typeof newMemorySchema>;
export type MemoryPatchInput = z.input<typeof memoryPatchSchema>;
export type FindMemoriesInput = z.input<typeof findMemoriesSchema>;

export interface FoundMemory extends Memory {
  /** Cosine similarity to the query (4 decimals); null when listing without a query. */
  similarity: number | null;
}

export interface FoundMemories {
  mode: "semantic" | "recent";
  /** The filters applied (for "why it matched"). */
  filters: MemoryFilters;
  memories: FoundMemory[];
}

/** zod's first message, as the one the user reads. */
function parsed<T>(schema: z.ZodType<T, unknown>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new MemoryInputError(result.error.issues[0]?.message ?? "Invalid input.");
  return result.data;
}

async function checkCompany(deps: MemoryDeps, symbol: string | null | undefined): Promise<void> {
  if (symbol && !(await deps.isSymbol(symbol))) throw new MemoryInputError(`Unknown symbol ${symbol}: the company must be a symbol QuantFlow knows.`);
}

async function embedOne(deps: MemoryDeps, text: string): Promise<Float32Array> {
  const [vector] = await deps.embedder.embed([text]);
  return vector!;
}

export async function addMemory(deps: MemoryDeps, userId: string, input: unknown, options: { timestamp?: Date } = {}): Promise<Memory> {
  const m = parsed(newMemorySchema, input);
  await checkCompany(deps, m.company);
  // Embedded first: when the endpoint fails, nothing has been stored.
  const vector = await embedOne(deps, m.content);
  const [stored] = await deps.store.add(userId, [{ ...m, vector, model: deps.embedder.model, timestamp: options.timestamp }]);
  return stored!;
}

export async function updateMemory(deps: MemoryDeps, userId: string, id: string, input: unknown): Promise<Memory | null> {
  const p = parsed(memoryPatchSchema, input);
  if (!(await deps.store.get(userId, id))) return null;
  await checkCompany(deps, p.company);
  const contentPatch = p.content === undefined ? undefined : { text: p.content, vector: await embedOne(deps, p.content), model: deps.embedder.model };
  return deps.store.update(userId, id, { memoryType: p.memoryType, company: p.company, content: contentPatch });
}

export const getMemory = (deps: Pick<MemoryDeps, "store">, userId: string, id: string) => deps.store.get(userId, id);
export const deleteMemory = (deps: Pick<MemoryDeps, "store">, userId: string, id: string) => deps.store.delete(userId, id);

/** By meaning when `query` is given (most similar first), else newest first; both with the filters. */
export async function findMemories(deps: MemoryDeps, userId: string, input: unknown): Promise<FoundMemories> {
  const q = parsed(findMemoriesSchema, input);
  const filters: MemoryFilters = { memoryType: q.type, company: q.company, from: q.from, to: q.to };
  for (const key of Object.keys(filters) as (keyof MemoryFilters)[]) if (filters[key] === undefined) delete filters[key];
  if (!q.query) {
    const memories = await deps.store.list(userId, filters, q.limit);
    return { mode: "recent", filters, memories: memories.map((m) => ({ ...m, similarity: null })) };
  }
  const vector = await embedOne(deps, q.query);
  const memories = await deps.store.search(userId, vector, deps.embedder.model, filters, q.limit);
  return { mode: "semantic", filters, memories };
}

/**
 * Re-embeds every memory of the user not embedded by the current model, `batch` at a time (each batch
 * all or none). Returns how many were re-embedded and how many already were current.
 */
export async function reembedMemories(
  deps: Pick<MemoryDeps, "store" | "embedder">,
  userId: string,
  options: { batch?: number; all?: boolean; onProgress?: (done: number) => void } = {},
): Promise<{ reembedded: number; current: number }> {
  let reembedded = 0;
  let current = 0;
  for await (const page of deps.store.pages(userId, options.batch ?? 64)) {
    const todo = options.all ? page : page.filter((m) => m.model !== deps.embedder.model);
    current += page.length - todo.length;
    if (todo.length === 0) continue;
    const vectors = await deps.embedder.embed(todo.map((m) => m.content));
    await deps.store.replaceVectors(userId, todo.map((m, i) => ({ id: m.id, vector: vectors[i]!, model: deps.embedder.model })));
    reembedded += todo.length;
    options.onProgress?.(reembedded);
  }
  return { reembedded, current };
}
