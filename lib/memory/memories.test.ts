/** The memory service over the PostgreSQL store: re-embedding after a model change, and nothing half-written when embedding fails. */
import { describe, expect, it } from "vitest";
import { testPool } from "@/test/db";
import { uniqueEmail } from "@/test/drizzle";
import type { Embedder } from "./embedder";
import { lexicalEmbedder, lexicalVector } from "./lexical-embedder";
import { addMemory, findMemories, reembedMemories, updateMemory, type MemoryDeps } from "./memories";
import { PostgresMemoryStore } from "./postgres-store";
import { MemoryBackendError, MixedModelsError } from "./types";

const pool = testPool();
const store = new PostgresMemoryStore(pool);
const newUser = async () => (await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [uniqueEmail("svc")])).rows[0]!.id;
const deps = (embedder: Embedder): MemoryDeps => ({ store, embedder, isSymbol: async (s) => ["HPG", "HSG"].includes(s) });
const renamed = (model: string): Embedder => ({ ...lexicalEmbedder(), model, kind: "remote" });
const failing: Embedder = {
  model: "down",
  kind: "remote",
  embed: async () => {
    throw new MemoryBackendError("The embeddings endpoint (x) cannot be reached; nothing was stored.");
  },
};

describe("memory service", () => {
  it("after a model change, searches are refused until the user's memories are re-embedded", async () => {
    const user = await newUser();
    await addMemory(deps(lexicalEmbedder()), user, { content: "Giá thép giảm", memoryType: "analysis", company: "HPG" });
    await addMemory(deps(lexicalEmbedder()), user, { content: "Hoa Sen xuất khẩu", memoryType: "analysis", company: "HSG" });
    const next = deps(renamed("next-model"));
    await addMemory(next, user, { content: "Ngân hàng", memoryType: "preference" });
    await expect(findMemories(next, user, { query: "thep" })).rejects.toBeInstanceOf(MixedModelsError);
    // Listing without a query compares nothing: allowed.
    expect((await findMemories(next, user, {})).memories).toHaveLength(3);
    expect(await reembedMemories(next, user, { batch: 2 })).toEqual({ reembedded: 2, current: 1 });
    const found = await findMemories(next, user, { query: "thep", limit: 1 });
    expect(found.memories[0]).toMatchObject({ content: "Giá thép giảm", model: "next-model" });
  });

  it("an embedding failure stores nothing and changes nothing", async () => {
    const user = await newUser();
    await expect(addMemory(deps(failing), user, { content: "x", memoryType: "analysis" })).rejects.toBeInstanceOf(MemoryBackendError);
    expect(await store.list(user, {}, 10)).toEqual([]);
    const m = await addMemory(deps(lexicalEmbedder()), user, { content: "kept", memoryType: "analysis" });
    await expect(updateMemory(deps(failing), user, m.id, { content: "changed" })).rejects.toBeInstanceOf(MemoryBackendError);
    expect(await store.get(user, m.id)).toEqual(m);
    const [hit] = await store.search(user, lexicalVector("kept"), m.model!, {}, 1);
    expect(hit!.similarity).toBeCloseTo(1, 3);
  });
});
