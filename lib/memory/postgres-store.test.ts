/** The PostgreSQL store's in-process vectors: right after another instance's writes, and without pgvector. */
import { describe, expect, it } from "vitest";
import { testPool } from "@/test/db";
import { uniqueEmail } from "@/test/drizzle";
import { LEXICAL_MODEL, lexicalVector } from "./lexical-embedder";
import { PostgresMemoryStore } from "./postgres-store";
import type { NewMemoryRecord } from "./types";

const pool = testPool();
const memory = (content: string): NewMemoryRecord => ({ memoryType: "analysis", company: null, content, vector: lexicalVector(content), model: LEXICAL_MODEL });
const newUser = async () => (await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [uniqueEmail("pgmem")])).rows[0]!.id;

describe("PostgreSQL memory store", () => {
  it("a search on one instance sees what another instance wrote, changed and deleted", async () => {
    const user = await newUser();
    const [a, b] = [new PostgresMemoryStore(pool), new PostgresMemoryStore(pool)];
    const search = async (s: PostgresMemoryStore, q: string) => (await s.search(user, lexicalVector(q), LEXICAL_MODEL, {}, 5)).map((m) => m.content);
    const [steel] = await a.add(user, [memory("steel prices fall")]);
    expect(await search(a, "steel")).toEqual(["steel prices fall"]); // a's cache is loaded now
    await b.add(user, [memory("steel exports rise")]);
    expect((await search(a, "steel")).sort()).toEqual(["steel exports rise", "steel prices fall"]);
    await b.update(user, steel!.id, { content: { text: "bank credit", vector: lexicalVector("bank credit"), model: LEXICAL_MODEL } });
    expect(await search(a, "bank credit")).toEqual(["bank credit", "steel exports rise"]);
    await b.delete(user, steel!.id);
    expect(await search(a, "bank credit")).toEqual(["steel exports rise"]);
    // Its own writes update its cache in place (same answers).
    await a.add(user, [memory("bank margins")]);
    expect(await search(a, "bank")).toEqual(["bank margins", "steel exports rise"]);
  });

  it("a row stored without a model (or with a vector of another size) makes searches refuse until re-embedded", async () => {
    const user = await newUser();
    const s = new PostgresMemoryStore(pool);
    await s.add(user, [memory("kept")]);
    await pool.query("INSERT INTO user_memories (user_id, memory_type, content, embedding) VALUES ($1, 'analysis', 'legacy', '{0.1}')", [user]);
    await pool.query("UPDATE user_memory_versions SET version = version + 1 WHERE user_id = $1", [user]);
    await expect(s.search(user, lexicalVector("kept"), LEXICAL_MODEL, {}, 5)).rejects.toThrow(/1 by an unrecorded model/);
    for await (const page of s.pages(user, 10)) await s.replaceVectors(user, page.map((m) => ({ id: m.id, vector: lexicalVector(m.content), model: LEXICAL_MODEL })));
    expect((await s.search(user, lexicalVector("legacy"), LEXICAL_MODEL, {}, 5))[0]!.content).toBe("legacy");
  });

  it("stores vectors as float4[] that read back exactly (no pgvector needed)", async () => {
    const user = await newUser();
    const s = new PostgresMemoryStore(pool);
    const [m] = await s.add(user, [memory("exact floats")]);
    const { rows } = await pool.query<{ embedding: number[] }>("SELECT embedding FROM user_memories WHERE id = $1", [m!.id]);
    expect(Float32Array.from(rows[0]!.embedding)).toEqual(lexicalVector("exact floats"));
  });
});
