/**
 * What the contract suite cannot see from outside: the requests the Qdrant store sends (checked by the
 * stand-in against Qdrant's REST schema), the collection's shape, concurrent first uses, and Qdrant
 * slow or gone. Fakes only for Qdrant (test/qdrant-stand-in.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startQdrantStandIn, type QdrantStandIn } from "@/test/qdrant-stand-in";
import { LEXICAL_MODEL, lexicalVector } from "./lexical-embedder";
import { collectionOf, PAYLOAD_INDEXES, QdrantMemoryStore } from "./qdrant-store";
import { MemoryBackendError, type NewMemoryRecord } from "./types";

let q: QdrantStandIn;
beforeAll(async () => {
  q = await startQdrantStandIn({ apiKey: "secret-key" });
});
afterAll(() => q.close());

const memory = (content: string, extra: Partial<NewMemoryRecord> = {}): NewMemoryRecord => ({ memoryType: "analysis", company: "HPG", content, vector: lexicalVector(content), model: LEXICAL_MODEL, ...extra });
const store = (timeoutMs = 2_000, url = q.url) => new QdrantMemoryStore({ url, apiKey: "secret-key", timeoutMs });

describe("Qdrant store", () => {
  it("creates user_memories_{user_id} on first write: 1536 dimensions, cosine, payload indexes on the filtered fields; the vector is not in the payload", async () => {
    const user = crypto.randomUUID();
    const s = store();
    expect(await s.list(user, {}, 5)).toEqual([]);
    expect(q.collections.has(collectionOf(user))).toBe(false); // reads create nothing
    const [m] = await s.add(user, [memory("Giá thép giảm", { timestamp: new Date("2025-12-24T10:00:00Z") })]);
    const c = q.collections.get(`user_memories_${user}`)!;
    expect({ size: c.size, distance: c.distance }).toEqual({ size: 1536, distance: "Cosine" });
    expect(Object.fromEntries(c.indexes)).toEqual(PAYLOAD_INDEXES);
    const point = c.points.get(m!.id)!;
    expect(point.payload).toEqual({ user_id: user, memory_type: "analysis", company: "HPG", timestamp: "2025-12-24T10:00:00.000Z", content: "Giá thép giảm", embedding_model: LEXICAL_MODEL });
    await s.search(user, lexicalVector("thep"), LEXICAL_MODEL, { company: "HPG", from: new Date("2025-01-01T00:00:00Z") }, 5);
    expect(q.requests.at(-1)).toMatchObject({ method: "POST", path: `/collections/user_memories_${user}/points/query`, body: { limit: 5 + 8, params: { exact: true }, with_payload: true } });
    expect(q.violations).toEqual([]);
  });

  it("two concurrent first uses (two app instances) both succeed, with one collection", async () => {
    const user = crypto.randomUUID();
    const [a, b] = [store(), store()];
    const results = await Promise.all([a.add(user, [memory("one")]), b.add(user, [memory("two")]), a.add(user, [memory("three")])]);
    expect(results.flat()).toHaveLength(3);
    expect(q.collections.get(collectionOf(user))!.points.size).toBe(3);
    expect(q.violations).toEqual([]);
  });

  it("deleting the user drops the collection; dropping a missing one is fine", async () => {
    const user = crypto.randomUUID();
    const s = store();
    await s.add(user, [memory("x")]);
    await s.dropUser(user);
    expect(q.collections.has(collectionOf(user))).toBe(false);
    await s.dropUser(user);
    // And a later write makes it again.
    await s.add(user, [memory("y")]);
    expect(q.collections.get(collectionOf(user))!.points.size).toBe(1);
  });

  it("Qdrant slow: a clear error within the timeout, and the memory is not left behind", async () => {
    const user = crypto.randomUUID();
    const s = store(300);
    await s.add(user, [memory("before")]);
    q.stall(1_000);
    try {
      const started = Date.now();
      const err = await s.add(user, [memory("during")]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MemoryBackendError);
      expect((err as Error).message).toMatch(/^Qdrant did not answer within 300 ms while storing memories\./);
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect(s.search(user, lexicalVector("x"), LEXICAL_MODEL, {}, 5)).rejects.toThrow(/did not answer within 300 ms/);
    } finally {
      q.stall(0);
    }
    await new Promise((r) => setTimeout(r, 1_100)); // the stalled answers drain
    expect((await s.list(user, {}, 10)).map((m) => m.content)).toEqual(["before"]);
  });

  it("Qdrant failing or unreachable: a clear error, nothing stored", async () => {
    const user = crypto.randomUUID();
    const s = store();
    await s.add(user, [memory("kept")]);
    q.failNext(503);
    await expect(s.add(user, [memory("refused")])).rejects.toThrow(/^Qdrant answered HTTP 503/);
    expect((await s.list(user, {}, 10)).map((m) => m.content)).toEqual(["kept"]);
    const gone = store(500, "http://127.0.0.1:9");
    await expect(gone.add(crypto.randomUUID(), [memory("x")])).rejects.toThrow(/^Qdrant cannot be reached \(/);
    await expect(gone.get(crypto.randomUUID(), crypto.randomUUID())).rejects.toBeInstanceOf(MemoryBackendError);
  });

  it("a wrong API key is refused by Qdrant and reported", async () => {
    const s = new QdrantMemoryStore({ url: q.url, apiKey: "wrong", timeoutMs: 1_000 });
    await expect(s.add(crypto.randomUUID(), [memory("x")])).rejects.toThrow(/HTTP 401/);
    q.violations.length = 0; // the refusal above is the stand-in doing its job
  });
});
