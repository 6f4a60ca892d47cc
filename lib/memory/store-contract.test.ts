/**
 * One contract for every memory store: the PostgreSQL store always; the Qdrant store against a real
 * Qdrant when QDRANT_URL is set, else against the local stand-in (test/qdrant-stand-in.ts), which also
 * checks every request the client sends. Then both stores, fed the same memories, must answer alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { testPool } from "@/test/db";
import { startQdrantStandIn, type QdrantStandIn } from "@/test/qdrant-stand-in";
import { uniqueEmail } from "@/test/drizzle";
import { LEXICAL_MODEL, lexicalVector } from "./lexical-embedder";
import { PostgresMemoryStore } from "./postgres-store";
import { QdrantMemoryStore } from "./qdrant-store";
import { MAX_CONTENT_LENGTH, MEMORY_DIMENSIONS, MemoryInputError, MixedModelsError, type MemoryStore, type MemoryType, type NewMemoryRecord } from "./types";

const pool = testPool();
const realQdrant = env().QDRANT_URL;
let standIn: QdrantStandIn | undefined;

beforeAll(async () => {
  if (!realQdrant) standIn = await startQdrantStandIn({ apiKey: "contract-key" });
});
afterAll(async () => {
  await standIn?.close();
});

async function newUser(label = "memory"): Promise<string> {
  const { rows } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [uniqueEmail(label)]);
  return rows[0]!.id;
}

const FACTORIES: { name: string; make: () => MemoryStore }[] = [
  { name: "PostgreSQL", make: () => new PostgresMemoryStore(pool) },
  {
    name: realQdrant ? "Qdrant (QDRANT_URL)" : "Qdrant (local stand-in)",
    make: () => (realQdrant ? new QdrantMemoryStore({ url: realQdrant, apiKey: env().QDRANT_API_KEY }) : new QdrantMemoryStore({ url: standIn!.url, apiKey: "contract-key" })),
  },
];

const memory = (content: string, extra: Partial<NewMemoryRecord> = {}): NewMemoryRecord => ({
  memoryType: "analysis",
  company: null,
  content,
  vector: lexicalVector(content),
  model: LEXICAL_MODEL,
  ...extra,
});

const at = (iso: string) => new Date(iso);

describe.each(FACTORIES)("memory store contract: $name", ({ make }) => {
  let store: MemoryStore;
  beforeAll(() => {
    store = make();
  });

  it("stores a memory with its vector and gives it back, its time a UTC instant, its model named", async () => {
    const user = await newUser();
    const [made] = await store.add(user, [memory("HPG: inventory risk from falling steel prices", { memoryType: "audit_finding", company: "HPG", timestamp: at("2025-12-24T10:00:00Z") })]);
    expect(made).toMatchObject({ userId: user, memoryType: "audit_finding", company: "HPG", model: LEXICAL_MODEL });
    expect(await store.get(user, made!.id)).toEqual(made);
    expect(made!.timestamp.toISOString()).toBe("2025-12-24T10:00:00.000Z");
  });

  it("lists newest first, equal times by id, with filters on type, company and an inclusive time range", async () => {
    const user = await newUser();
    const same = at("2025-06-01T03:00:00Z");
    const stored = await store.add(user, [
      memory("VCB credit growth", { company: "VCB", timestamp: at("2025-01-01T00:00:00Z") }),
      memory("prefer steel makers", { memoryType: "preference", timestamp: at("2025-03-01T00:00:00Z") }),
      memory("HPG margins", { company: "HPG", timestamp: same }),
      memory("HSG margins", { company: "HSG", timestamp: same }),
      memory("NKG margins", { company: "NKG", timestamp: same }),
      memory("HPG audit", { memoryType: "audit_finding", company: "HPG", timestamp: at("2025-09-01T00:00:00Z") }),
    ]);
    const ids = (ms: { id: string }[]) => ms.map((m) => m.id);
    const tied = stored.slice(2, 5).map((m) => m.id).sort();
    expect(ids(await store.list(user, {}, 10))).toEqual([stored[5]!.id, ...tied, stored[1]!.id, stored[0]!.id]);
    // The cut falls inside the tie: the first two by id, whatever the backend's own tie order.
    expect(ids(await store.list(user, {}, 3))).toEqual([stored[5]!.id, tied[0], tied[1]]);
    expect(ids(await store.list(user, { company: "HPG" }, 10))).toEqual([stored[5]!.id, stored[2]!.id]);
    expect(ids(await store.list(user, { memoryType: "preference" }, 10))).toEqual([stored[1]!.id]);
    expect(ids(await store.list(user, { from: at("2025-03-01T00:00:00Z"), to: same }, 10))).toEqual([...tied, stored[1]!.id]);
    expect(await store.list(user, { company: "FPT" }, 10)).toEqual([]);
  });

  it("finds by meaning of the words: Vietnamese without diacritics finds the text with them, most similar first", async () => {
    const user = await newUser();
    const [steel, hoaPhat, bank] = await store.add(user, [
      memory("Giá thép giảm làm tăng rủi ro hàng tồn kho", { company: "HSG", timestamp: at("2025-02-01T00:00:00Z") }),
      memory("Tập đoàn Hòa Phát mở rộng lò cao Dung Quất", { company: "HPG", timestamp: at("2025-02-02T00:00:00Z") }),
      memory("Vietcombank credit growth slows", { company: "VCB", timestamp: at("2025-02-03T00:00:00Z") }),
    ]);
    const search = (q: string, filters = {}) => store.search(user, lexicalVector(q), LEXICAL_MODEL, filters, 3);
    const thep = await search("gia thep");
    expect(thep[0]!.id).toBe(steel!.id);
    expect(thep.map((m) => m.similarity)).toEqual([...thep.map((m) => m.similarity)].sort((a, b) => b - a));
    expect((await search("Hoa Phat"))[0]!.id).toBe(hoaPhat!.id);
    expect((await search("hoa phat", { company: "VCB" })).map((m) => m.id)).toEqual([bank!.id]);
    expect(await search("hoa phat", { memoryType: "preference" })).toEqual([]);
    expect((await search("thep", { to: at("2025-02-01T00:00:00Z") })).map((m) => m.id)).toEqual([steel!.id]);
    const [top] = await search("Giá thép giảm làm tăng rủi ro hàng tồn kho");
    expect(top!.similarity).toBeCloseTo(1, 5);
    expect(top).toMatchObject({ content: steel!.content, company: "HSG", model: LEXICAL_MODEL });
  });

  it("orders equal similarities newest first, then by id, also at the cut", async () => {
    const user = await newUser();
    const text = "HPG inventory risk";
    const older = at("2025-01-01T00:00:00Z");
    const newer = at("2025-05-01T00:00:00Z");
    const stored = await store.add(user, [memory(text, { timestamp: older }), memory(text, { timestamp: newer }), memory(text, { timestamp: older }), memory(text, { timestamp: older })]);
    const olderIds = [stored[0]!.id, stored[2]!.id, stored[3]!.id].sort();
    const hits = await store.search(user, lexicalVector(text), LEXICAL_MODEL, {}, 3);
    expect(hits.map((h) => h.id)).toEqual([stored[1]!.id, olderIds[0], olderIds[1]]);
  });

  it("refuses bad records and stores nothing of their batch", async () => {
    const user = await newUser();
    const good = memory("a good memory");
    const bad: [string, NewMemoryRecord][] = [
      ["wrong dimension", { ...good, vector: new Float32Array(MEMORY_DIMENSIONS - 1).fill(0.1) }],
      ["empty content", { ...good, content: "   " }],
      ["content too long", { ...good, content: "x".repeat(MAX_CONTENT_LENGTH + 1) }],
      ["unknown type", { ...good, memoryType: "gossip" as MemoryType }],
      ["company not a symbol", { ...good, company: "hòa phát; DROP" }],
      ["zero vector", { ...good, vector: new Float32Array(MEMORY_DIMENSIONS) }],
      ["not finite", { ...good, vector: new Float32Array(MEMORY_DIMENSIONS).fill(Number.NaN) }],
    ];
    for (const [why, record] of bad) await expect(store.add(user, [good, record]), why).rejects.toBeInstanceOf(MemoryInputError);
    await expect(store.search(user, new Float32Array(12).fill(1), LEXICAL_MODEL, {}, 5)).rejects.toThrow(/12 dimensions; memories use 1536/);
    expect(await store.list(user, {}, 10)).toEqual([]);
    await expect(store.update(user, crypto.randomUUID(), { content: { text: "", vector: lexicalVector("x"), model: LEXICAL_MODEL } })).rejects.toBeInstanceOf(MemoryInputError);
  });

  it("updates content with its new vector, or type and company alone; another user's id is not found", async () => {
    const [owner, other] = [await newUser(), await newUser()];
    const [m] = await store.add(owner, [memory("HPG leads HSG by two days", { company: "HPG" })]);
    expect(await store.update(other, m!.id, { company: "FPT" })).toBeNull();
    expect(await store.delete(other, m!.id)).toBe(false);
    expect(await store.get(other, m!.id)).toBeNull();
    expect(await store.update(owner, m!.id, { memoryType: "audit_finding", company: "HSG" })).toMatchObject({ memoryType: "audit_finding", company: "HSG", content: m!.content });
    const text = "Dung Quất blast furnace restarted";
    const updated = await store.update(owner, m!.id, { content: { text, vector: lexicalVector(text), model: LEXICAL_MODEL } });
    expect(updated).toMatchObject({ id: m!.id, content: text, company: "HSG", memoryType: "audit_finding", timestamp: m!.timestamp });
    expect(await store.get(owner, m!.id)).toEqual(updated);
    const [hit] = await store.search(owner, lexicalVector("dung quat"), LEXICAL_MODEL, { company: "HSG" }, 1);
    expect(hit!.id).toBe(m!.id);
    expect(await store.search(owner, lexicalVector("dung quat"), LEXICAL_MODEL, { company: "HPG" }, 1)).toEqual([]);
  });

  it("deletes; one user never sees, finds or lists another's memories", async () => {
    const [alice, bob] = [await newUser("alice"), await newUser("bob")];
    const [a] = await store.add(alice, [memory("alice's private finding on FPT", { company: "FPT" })]);
    await store.add(bob, [memory("bob's note on FPT", { company: "FPT" })]);
    expect((await store.list(bob, {}, 10)).map((m) => m.content)).toEqual(["bob's note on FPT"]);
    expect((await store.search(bob, lexicalVector("alice's private finding on FPT"), LEXICAL_MODEL, {}, 10)).map((m) => m.content)).toEqual(["bob's note on FPT"]);
    expect(await store.delete(alice, a!.id)).toBe(true);
    expect(await store.delete(alice, a!.id)).toBe(false);
    expect(await store.get(alice, a!.id)).toBeNull();
    expect(await store.search(alice, lexicalVector("finding"), LEXICAL_MODEL, {}, 10)).toEqual([]);
    // A user with no memory at all (no collection yet on Qdrant) reads as empty.
    const carol = await newUser("carol");
    expect(await store.list(carol, {}, 5)).toEqual([]);
    expect(await store.search(carol, lexicalVector("x"), LEXICAL_MODEL, {}, 5)).toEqual([]);
    expect(await store.get(carol, a!.id)).toBeNull();
  });

  it("refuses a search across memories of different models, re-embeds them, then searches", async () => {
    const user = await newUser();
    await store.add(user, [memory("HPG steel", { company: "HPG" }), memory("VCB bank", { company: "VCB", model: "text-embedding-3-small" })]);
    const search = (filters = {}) => store.search(user, lexicalVector("steel"), LEXICAL_MODEL, filters, 5);
    await expect(search()).rejects.toBeInstanceOf(MixedModelsError);
    await expect(search()).rejects.toThrow(/1 by text-embedding-3-small.*npm run memory:reembed/);
    // Filtered to memories of the query's model only, it may go on.
    expect((await search({ company: "HPG" })).map((m) => m.company)).toEqual(["HPG"]);
    expect(Object.fromEntries(await store.modelCounts(user))).toEqual({ [LEXICAL_MODEL]: 1, "text-embedding-3-small": 1 });
    for await (const page of store.pages(user, 1)) {
      await store.replaceVectors(user, page.map((m) => ({ id: m.id, vector: lexicalVector(m.content), model: LEXICAL_MODEL })));
    }
    expect(Object.fromEntries(await store.modelCounts(user))).toEqual({ [LEXICAL_MODEL]: 2 });
    expect((await search()).map((m) => m.company)).toEqual(["HPG", "VCB"]);
  });

  it("drops everything of a user", async () => {
    const [user, other] = [await newUser(), await newUser()];
    await store.add(user, [memory("one"), memory("two")]);
    await store.add(other, [memory("kept")]);
    await store.dropUser(user);
    expect(await store.list(user, {}, 10)).toEqual([]);
    expect(await store.list(other, {}, 10)).toHaveLength(1);
  });
});

describe("both stores answer alike", () => {
  it("the same memories give the same lists and searches, ids, similarities and order", async () => {
    const [pgStore, qdrant] = FACTORIES.map((f) => f.make()) as [MemoryStore, MemoryStore];
    const user = await newUser("parity");
    const words = ["thép", "Hòa Phát", "tồn kho", "lãi suất", "ngân hàng", "HPG", "HSG", "xây dựng", "quặng sắt", "biên lợi nhuận", "xuất khẩu", "FPT"];
    const companies = ["HPG", "HSG", "NKG", "VCB", "FPT", null];
    const types: MemoryType[] = ["analysis", "audit_finding", "preference"];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 48271) % 2147483647) % n + n) % n;
    const records: NewMemoryRecord[] = [];
    for (let i = 0; i < 120; i++) {
      const content = Array.from({ length: 3 + rand(5) }, () => words[rand(words.length)]).join(" ");
      records.push({ ...memory(content), id: crypto.randomUUID(), company: companies[rand(companies.length)]!, memoryType: types[rand(3)]!, timestamp: new Date(Date.UTC(2025, rand(6), 1 + rand(3))) });
    }
    await pgStore.add(user, records);
    await qdrant.add(user, records);
    for (const filters of [{}, { company: "HPG" }, { memoryType: "audit_finding" as const }, { from: new Date(Date.UTC(2025, 2, 1)), to: new Date(Date.UTC(2025, 4, 2)) }]) {
      expect(await qdrant.list(user, filters, 25)).toEqual(await pgStore.list(user, filters, 25));
      for (const q of ["thep hoa phat", "ngân hàng lãi suất", "HSG", "quang sat xay dung"]) {
        const [a, b] = [await pgStore.search(user, lexicalVector(q), LEXICAL_MODEL, filters, 10), await qdrant.search(user, lexicalVector(q), LEXICAL_MODEL, filters, 10)];
        expect(b.map((m) => [m.id, m.similarity])).toEqual(a.map((m) => [m.id, m.similarity]));
      }
    }
  });
});
