/**
 * The memory store on Qdrant (QDRANT_URL), through @qdrant/js-client-rest: the seed's collection per
 * user, `user_memories_{user_id}`, 1536-dimensional with cosine distance, created on the user's first
 * write (a concurrent creation's 409 counts as done) with keyword/datetime payload indexes on every
 * field a filter names. A point is the memory's vector with the payload {user_id, memory_type,
 * company, timestamp (RFC 3339, UTC), content, embedding_model}; the vector is not repeated in it.
 *
 * Same answers as the PostgreSQL store: searches are exact (`params.exact`, no HNSW approximation),
 * similarities rounded to 4 decimals, ties ordered newest first then by id (a few extra points are
 * asked for so that ties at the cut are ordered here, not by Qdrant); lists are ordered by timestamp
 * with every point of the last timestamp fetched, then by id.
 */
import { QdrantClient } from "@qdrant/js-client-rest";
import { checkPatch, checkRecord } from "./record-checks";
import {
  MEMORY_DIMENSIONS,
  MemoryBackendError,
  MixedModelsError,
  type Memory,
  type MemoryFilters,
  type MemoryPatch,
  type MemoryStore,
  type MemoryType,
  type NewMemoryRecord,
  type ScoredMemory,
} from "./types";
import { compareNewest, compareScored, roundSimilarity, unitVector } from "./vectors";

export interface QdrantStoreOptions {
  url: string;
  apiKey?: string;
  /** Per request, in ms (default 5,000). */
  timeoutMs?: number;
}

export const collectionOf = (userId: string) => `user_memories_${userId}`;

/** Fields filtered on, with the index each needs (datetime also serves order_by). */
export const PAYLOAD_INDEXES = {
  user_id: "keyword",
  memory_type: "keyword",
  company: "keyword",
  timestamp: "datetime",
  embedding_model: "keyword",
} as const;

/** Points asked for beyond the limit so that equal similarities at the cut are ordered by our rule. */
const TIE_MARGIN = 8;
const UPSERT_BATCH = 256;
const SCROLL_PAGE = 1_000;

interface Payload {
  user_id: string;
  memory_type: MemoryType;
  company: string | null;
  timestamp: string;
  content: string;
  embedding_model: string;
}

type Condition = Record<string, unknown>;
interface Point {
  id: string | number;
  payload?: Record<string, unknown> | null;
  score?: number;
}

function filterOf(userId: string, filters: MemoryFilters, extra: Condition[] = []): { must: Condition[] } {
  const must: Condition[] = [{ key: "user_id", match: { value: userId } }];
  if (filters.memoryType !== undefined) must.push({ key: "memory_type", match: { value: filters.memoryType } });
  if (filters.company !== undefined) must.push({ key: "company", match: { value: filters.company } });
  if (filters.from !== undefined || filters.to !== undefined) {
    must.push({ key: "timestamp", range: { gte: filters.from?.toISOString() ?? null, lte: filters.to?.toISOString() ?? null } });
  }
  return { must: [...must, ...extra] };
}

function toMemory(userId: string, point: Point): Memory {
  const p = (point.payload ?? {}) as Partial<Payload>;
  return {
    id: String(point.id),
    userId,
    memoryType: p.memory_type as MemoryType,
    company: p.company ?? null,
    content: p.content ?? "",
    timestamp: new Date(p.timestamp ?? 0),
    model: p.embedding_model ?? null,
  };
}

const payloadOf = (userId: string, m: { memoryType: MemoryType; company: string | null; content: string; timestamp: Date; model: string }): Payload => ({
  user_id: userId,
  memory_type: m.memoryType,
  company: m.company,
  timestamp: m.timestamp.toISOString(),
  content: m.content,
  embedding_model: m.model,
});

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown })?.status;
  return typeof status === "number" ? status : undefined;
}

export class QdrantMemoryStore implements MemoryStore {
  readonly kind = "qdrant" as const;
  private readonly client: QdrantClient;
  private readonly timeoutMs: number;
  /** Collections this process made sure of (or is making sure of): one creation in flight per user. */
  private readonly ready = new Map<string, Promise<void>>();

  constructor(options: QdrantStoreOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.client = new QdrantClient({ url: options.url, apiKey: options.apiKey, timeout: this.timeoutMs, checkCompatibility: false });
  }

  /** Runs a request; network errors, timeouts and unexpected answers become MemoryBackendError. */
  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw this.backendError(what, err);
    }
  }

  private backendError(what: string, err: unknown): MemoryBackendError {
    if (err instanceof MemoryBackendError) return err;
    const e = err as Error & { cause?: { code?: string; message?: string }; data?: { status?: { error?: string } } };
    const status = statusOf(err);
    let why: string;
    if (e?.name === "QdrantClientTimeoutError" || e?.name === "TimeoutError" || e?.name === "AbortError") why = `did not answer within ${this.timeoutMs} ms`;
    else if (status !== undefined) why = `answered HTTP ${status}${e.data?.status?.error ? ` (${String(e.data.status.error).slice(0, 200)})` : ""}`;
    else why = `cannot be reached (${e?.cause?.code ?? e?.cause?.message ?? e?.message ?? "unknown error"})`;
    return new MemoryBackendError(`Qdrant ${why} while ${what}.`, { cause: err });
  }

  /** The user's collection, created with its indexes when missing; concurrent first uses share one attempt. */
  private ensureCollection(userId: string): Promise<void> {
    let pending = this.ready.get(userId);
    if (!pending) {
      pending = this.createCollection(userId);
      this.ready.set(userId, pending);
      pending.catch(() => this.ready.delete(userId));
    }
    return pending;
  }

  private async createCollection(userId: string): Promise<void> {
    const name = collectionOf(userId);
    const { exists } = await this.call("checking the memory collection", () => this.client.collectionExists(name));
    if (!exists) {
      try {
        await this.client.createCollection(name, { vectors: { size: MEMORY_DIMENSIONS, distance: "Cosine" } });
      } catch (err) {
        // Another instance (or request) created it first: what we wanted.
        if (statusOf(err) !== 409) throw this.backendError("creating the memory collection", err);
      }
    }
    // Creating an index that exists with the same schema is accepted by Qdrant: safe to repeat.
    for (const [field, schema] of Object.entries(PAYLOAD_INDEXES)) {
      await this.call("indexing the memory collection", () => this.client.createPayloadIndex(name, { field_name: field, field_schema: schema, wait: true }));
    }
  }

  /** A read on a collection that does not exist (no memory written yet) answers `empty`. */
  private async read<T>(userId: string, what: string, empty: T, request: (name: string) => Promise<T>): Promise<T> {
    try {
      return await request(collectionOf(userId));
    } catch (err) {
      if (statusOf(err) === 404) {
        this.ready.delete(userId);
        return empty;
      }
      throw this.backendError(what, err);
    }
  }

  async add(userId: string, records: NewMemoryRecord[]): Promise<Memory[]> {
    if (records.length === 0) return [];
    const checked = records.map(checkRecord);
    await this.ensureCollection(userId);
    const name = collectionOf(userId);
    const written: string[] = [];
    try {
      for (let i = 0; i < checked.length; i += UPSERT_BATCH) {
        const batch = checked.slice(i, i + UPSERT_BATCH);
        written.push(...batch.map((r) => r.id));
        await this.client.upsert(name, {
          wait: true,
          points: batch.map((r) => ({ id: r.id, vector: Array.from(r.vector), payload: { ...payloadOf(userId, r) } })),
        });
      }
    } catch (err) {
      // All or none: take back what may have been written (a timed-out upsert may still land; a delete
      // sent after it is applied after it).
      await this.client.delete(name, { wait: true, points: written }).catch(() => undefined);
      throw this.backendError("storing memories", err);
    }
    return checked.map((r) => ({ id: r.id, userId, memoryType: r.memoryType, company: r.company, content: r.content, timestamp: r.timestamp, model: r.model }));
  }

  private async point(userId: string, id: string): Promise<Point | null> {
    const points = await this.read(userId, "reading a memory", [] as Point[], (name) => this.client.retrieve(name, { ids: [id], with_payload: true }));
    const point = points[0];
    // The collection is the user's; the payload's user_id is checked all the same.
    return point && (point.payload as Partial<Payload> | null)?.user_id === userId ? point : null;
  }

  async get(userId: string, id: string): Promise<Memory | null> {
    const point = await this.point(userId, id);
    return point ? toMemory(userId, point) : null;
  }

  async update(userId: string, id: string, patch: MemoryPatch): Promise<Memory | null> {
    const checked = checkPatch(patch);
    const point = await this.point(userId, id);
    if (!point) return null;
    const before = toMemory(userId, point);
    const after: Memory = {
      ...before,
      memoryType: checked.memoryType ?? before.memoryType,
      company: checked.company !== undefined ? checked.company : before.company,
      content: checked.content?.text ?? before.content,
      model: checked.content?.model ?? before.model,
    };
    const name = collectionOf(userId);
    if (checked.content) {
      // Vector and payload in one upsert: the new content is never stored beside the old vector.
      const vector = Array.from(checked.content.vector);
      await this.call("updating a memory", () =>
        this.client.upsert(name, { wait: true, points: [{ id, vector, payload: { ...payloadOf(userId, { ...after, model: after.model! }) } }] }),
      );
    } else {
      await this.call("updating a memory", () =>
        this.client.setPayload(name, { wait: true, points: [id], payload: { memory_type: after.memoryType, company: after.company } }),
      );
    }
    return after;
  }

  async delete(userId: string, id: string): Promise<boolean> {
    if (!(await this.point(userId, id))) return false;
    await this.call("deleting a memory", () => this.client.delete(collectionOf(userId), { wait: true, points: [id] }));
    return true;
  }

  private async scrollAll(userId: string, filter: object, withPayload: boolean | string[], what: string): Promise<Point[]> {
    const out: Point[] = [];
    let offset: string | number | undefined;
    for (;;) {
      const page = await this.read(userId, what, { points: [] as Point[], next_page_offset: null }, (name) =>
        this.client.scroll(name, { filter, limit: SCROLL_PAGE, offset, with_payload: withPayload, with_vector: false }),
      );
      out.push(...(page.points as Point[]));
      const next = page.next_page_offset;
      if (next === null || next === undefined || typeof next === "object") return out;
      offset = next as string | number;
    }
  }

  async list(userId: string, filters: MemoryFilters, limit: number): Promise<Memory[]> {
    const filter = filterOf(userId, filters);
    const page = await this.read(userId, "listing memories", { points: [] as Point[] }, (name) =>
      this.client.scroll(name, { filter, limit, with_payload: true, with_vector: false, order_by: { key: "timestamp", direction: "desc" } }),
    );
    let memories = (page.points as Point[]).map((p) => toMemory(userId, p));
    if (memories.length === limit && limit > 0) {
      // Qdrant orders equal timestamps as it likes: fetch all of the last one and order them by id.
      const last = memories.at(-1)!.timestamp.toISOString();
      const ties = await this.scrollAll(userId, filterOf(userId, filters, [{ key: "timestamp", range: { gte: last, lte: last } }]), true, "listing memories");
      const seen = new Set(memories.map((m) => m.id));
      memories = memories.concat(ties.map((p) => toMemory(userId, p)).filter((m) => !seen.has(m.id)));
    }
    return memories.sort(compareNewest).slice(0, limit);
  }

  async search(userId: string, vector: Float32Array, model: string, filters: MemoryFilters, limit: number): Promise<ScoredMemory[]> {
    const query = Array.from(unitVector(vector, "query vector"));
    const filter = filterOf(userId, filters);
    const others = await this.read(userId, "searching memories", { count: 0 }, (name) =>
      this.client.count(name, { filter: { ...filter, must_not: [{ key: "embedding_model", match: { value: model } }] }, exact: true }),
    );
    if (others.count > 0) {
      const points = await this.scrollAll(userId, { ...filter, must_not: [{ key: "embedding_model", match: { value: model } }] }, ["embedding_model"], "searching memories");
      const byModel = new Map<string, number>();
      for (const p of points) {
        const m = String((p.payload as Partial<Payload> | null)?.embedding_model ?? "");
        byModel.set(m, (byModel.get(m) ?? 0) + 1);
      }
      throw new MixedModelsError(model, [...byModel].map(([m, count]) => ({ model: m, count })));
    }
    const result = await this.read(userId, "searching memories", { points: [] as Point[] }, (name) =>
      this.client.query(name, { query, filter, limit: limit + TIE_MARGIN, with_payload: true, params: { exact: true } }),
    );
    return (result.points as Point[])
      .map((p) => ({ ...toMemory(userId, p), similarity: roundSimilarity(p.score ?? 0) }))
      .sort(compareScored)
      .slice(0, limit);
  }

  async modelCounts(userId: string): Promise<Map<string, number>> {
    const points = await this.scrollAll(userId, filterOf(userId, {}), ["embedding_model"], "counting memories");
    const counts = new Map<string, number>();
    for (const p of points) {
      const m = String((p.payload as Partial<Payload> | null)?.embedding_model ?? "");
      counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    return counts;
  }

  async *pages(userId: string, pageSize: number): AsyncIterable<Memory[]> {
    let offset: string | number | undefined;
    for (;;) {
      const page = await this.read(userId, "reading memories", { points: [] as Point[], next_page_offset: null }, (name) =>
        this.client.scroll(name, { filter: filterOf(userId, {}), limit: pageSize, offset, with_payload: true, with_vector: false }),
      );
      if (page.points.length > 0) yield (page.points as Point[]).map((p) => toMemory(userId, p));
      const next = page.next_page_offset;
      if (next === null || next === undefined || typeof next === "object") return;
      offset = next as string | number;
    }
  }

  async replaceVectors(userId: string, items: { id: string; vector: Float32Array; model: string }[]): Promise<void> {
    if (items.length === 0) return;
    const name = collectionOf(userId);
    const points = await this.read(userId, "re-embedding memories", [] as Point[], (n) => this.client.retrieve(n, { ids: items.map((i) => i.id), with_payload: true }));
    const byId = new Map(points.map((p) => [String(p.id), p]));
    const upserts = items
      .filter((i) => byId.has(i.id))
      .map((i) => ({
        id: i.id,
        vector: Array.from(unitVector(i.vector, "memory's vector")),
        payload: { ...(byId.get(i.id)!.payload as Record<string, unknown>), embedding_model: i.model },
      }));
    if (upserts.length > 0) await this.call("re-embedding memories", () => this.client.upsert(name, { wait: true, points: upserts }));
  }

  async dropUser(userId: string): Promise<void> {
    this.ready.delete(userId);
    try {
      await this.client.deleteCollection(collectionOf(userId));
    } catch (err) {
      if (statusOf(err) !== 404) throw this.backendError("deleting the memory collection", err);
    }
  }
}
