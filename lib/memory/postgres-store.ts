/**
 * The memory store on PostgreSQL, used when QDRANT_URL is unset: the seed's user_memories rows (vector
 * as float4[]), the model of each in user_memory_models, and a version per user raised by every write
 * (user_memory_versions). Searches score in process over the user's vectors, kept in a VectorCache and
 * reloaded only when the version moved (another instance wrote); this instance's own writes update the
 * cache in place. Same scores, order and refusals as the Qdrant store (lib/memory/vectors.ts).
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { COPY_COLUMNS, decodeFloat4Array, float4Literal, memoryCopyChunks } from "./memory-copy";
import { checkPatch, checkRecord } from "./record-checks";
import {
  MixedModelsError,
  type Memory,
  type MemoryFilters,
  type MemoryPatch,
  type MemoryStore,
  type MemoryType,
  type NewMemoryRecord,
  type ScoredMemory,
} from "./types";
import { UserVectors, VectorCache, type CachedRow } from "./vector-cache";
import { compareScored, unitVector } from "./vectors";

export interface PostgresStoreOptions {
  /** Bytes of vectors kept in process across users (default 256 MB: about four users of 10,000 memories). */
  cacheBytes?: number;
}

interface MemoryRow {
  id: string;
  user_id: string;
  memory_type: MemoryType;
  company: string | null;
  content: string;
  timestamp: Date;
  model: string | null;
}

const SELECT_MEMORY = `SELECT m.id, m.user_id, m.memory_type, m.company, m.content, m."timestamp", e.model
  FROM user_memories m LEFT JOIN user_memory_models e ON e.memory_id = m.id`;

const toMemory = (r: MemoryRow): Memory => ({
  id: r.id,
  userId: r.user_id,
  memoryType: r.memory_type,
  company: r.company,
  content: r.content,
  timestamp: r.timestamp,
  model: r.model,
});

/** WHERE conditions for the filters, numbered after `params`. */
function filterSql(userId: string, filters: MemoryFilters): { where: string; params: unknown[] } {
  const params: unknown[] = [userId];
  const where = ["m.user_id = $1"];
  if (filters.memoryType !== undefined) where.push(`m.memory_type = $${params.push(filters.memoryType)}`);
  if (filters.company !== undefined) where.push(`m.company = $${params.push(filters.company)}`);
  if (filters.from !== undefined) where.push(`m."timestamp" >= $${params.push(filters.from)}`);
  if (filters.to !== undefined) where.push(`m."timestamp" <= $${params.push(filters.to)}`);
  return { where: where.join(" AND "), params };
}

export class PostgresMemoryStore implements MemoryStore {
  readonly kind = "postgres" as const;
  private readonly cache: VectorCache;
  private readonly loading = new Map<string, Promise<UserVectors>>();

  constructor(
    private readonly pool: pg.Pool,
    options: PostgresStoreOptions = {},
  ) {
    this.cache = new VectorCache(options.cacheBytes ?? 256 * 1024 * 1024);
  }

  /** Runs `work` in a transaction that first raises the user's version (which also queues writers of one user). */
  private async write<T>(userId: string, work: (client: pg.PoolClient) => Promise<T | null>): Promise<{ result: T | null; version: number }> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<{ version: string }>(
        `INSERT INTO user_memory_versions (user_id, version) VALUES ($1, 1)
         ON CONFLICT (user_id) DO UPDATE SET version = user_memory_versions.version + 1 RETURNING version`,
        [userId],
      );
      const result = await work(client);
      // Nothing changed (not the user's memory): nothing to announce either.
      await client.query(result === null ? "ROLLBACK" : "COMMIT");
      return { result, version: Number(rows[0]!.version) };
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async add(userId: string, records: NewMemoryRecord[]): Promise<Memory[]> {
    if (records.length === 0) return [];
    const checked = records.map(checkRecord);
    const { result, version } = await this.write(userId, async (client) => {
      const stream = client.query(copyFrom(`COPY user_memories (${COPY_COLUMNS}) FROM STDIN (FORMAT binary)`));
      await pipeline(Readable.from(memoryCopyChunks(checked.map((r) => ({ ...r, userId })))), stream);
      await client.query(
        `INSERT INTO user_memory_models (memory_id, user_id, model) SELECT unnest($1::uuid[]), $2, unnest($3::text[])`,
        [checked.map((r) => r.id), userId, checked.map((r) => r.model)],
      );
      return checked;
    });
    this.cache.apply(userId, version, (entry) => {
      for (const r of checked) entry.upsert({ id: r.id, memoryType: r.memoryType, company: r.company, timeMs: r.timestamp.getTime(), model: r.model, vector: r.vector });
    });
    return result!.map((r) => ({ id: r.id, userId, memoryType: r.memoryType, company: r.company, content: r.content, timestamp: r.timestamp, model: r.model }));
  }

  async get(userId: string, id: string): Promise<Memory | null> {
    const { rows } = await this.pool.query<MemoryRow>(`${SELECT_MEMORY} WHERE m.user_id = $1 AND m.id = $2`, [userId, id]);
    return rows[0] ? toMemory(rows[0]) : null;
  }

  async update(userId: string, id: string, patch: MemoryPatch): Promise<Memory | null> {
    const checked = checkPatch(patch);
    const { result, version } = await this.write(userId, async (client) => {
      const sets: string[] = [];
      const params: unknown[] = [userId, id];
      if (checked.memoryType !== undefined) sets.push(`memory_type = $${params.push(checked.memoryType)}`);
      if (checked.company !== undefined) sets.push(`company = $${params.push(checked.company)}`);
      if (checked.content !== undefined) {
        sets.push(`content = $${params.push(checked.content.text)}`);
        sets.push(`embedding = $${params.push(float4Literal(checked.content.vector))}::real[]`);
      }
      const updated = await client.query(
        `UPDATE user_memories SET ${sets.length > 0 ? sets.join(", ") : "id = id"} WHERE user_id = $1 AND id = $2 RETURNING id`,
        params,
      );
      if (updated.rowCount === 0) return null;
      if (checked.content !== undefined) {
        await client.query(
          `INSERT INTO user_memory_models (memory_id, user_id, model) VALUES ($1, $2, $3)
           ON CONFLICT (memory_id) DO UPDATE SET model = EXCLUDED.model`,
          [id, userId, checked.content.model],
        );
      }
      const { rows } = await client.query<MemoryRow>(`${SELECT_MEMORY} WHERE m.user_id = $1 AND m.id = $2`, [userId, id]);
      return toMemory(rows[0]!);
    });
    if (result === null) return null;
    this.cache.apply(userId, version, (entry) => {
      if (checked.content !== undefined) {
        entry.upsert({ id, memoryType: result.memoryType, company: result.company, timeMs: result.timestamp.getTime(), model: result.model, vector: checked.content.vector });
      } else entry.patch(id, { memoryType: checked.memoryType, company: checked.company });
    });
    return result;
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const { result, version } = await this.write(userId, async (client) => {
      const { rowCount } = await client.query("DELETE FROM user_memories WHERE user_id = $1 AND id = $2", [userId, id]);
      return rowCount === 0 ? null : true;
    });
    if (result === null) return false;
    this.cache.apply(userId, version, (entry) => entry.remove(id));
    return true;
  }

  async list(userId: string, filters: MemoryFilters, limit: number): Promise<Memory[]> {
    const { where, params } = filterSql(userId, filters);
    const { rows } = await this.pool.query<MemoryRow>(
      `${SELECT_MEMORY} WHERE ${where} ORDER BY m."timestamp" DESC, m.id LIMIT $${params.push(limit)}`,
      params,
    );
    return rows.map(toMemory);
  }

  private async currentVersion(userId: string): Promise<number> {
    const { rows } = await this.pool.query<{ version: string }>("SELECT version FROM user_memory_versions WHERE user_id = $1", [userId]);
    return Number(rows[0]?.version ?? 0);
  }

  /** The user's vectors as of one snapshot: the version and the rows read in one repeatable-read transaction. */
  private async load(userId: string): Promise<UserVectors> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const { rows: v } = await client.query<{ version: string }>("SELECT version FROM user_memory_versions WHERE user_id = $1", [userId]);
      // array_send: the vector as bytes (hex on the wire), far cheaper to decode than 1,536 numbers as text.
      const { rows } = await client.query<{ id: string; memory_type: MemoryType; company: string | null; ms: number; model: string | null; vec: Buffer }>(
        `SELECT m.id, m.memory_type, m.company, (extract(epoch FROM m."timestamp") * 1000)::float8 AS ms, e.model, array_send(m.embedding) AS vec
           FROM user_memories m LEFT JOIN user_memory_models e ON e.memory_id = m.id
          WHERE m.user_id = $1`,
        [userId],
      );
      await client.query("COMMIT");
      const cached: CachedRow[] = rows.map((r) => ({
        id: r.id,
        memoryType: r.memory_type,
        company: r.company,
        timeMs: r.ms,
        model: r.model,
        vector: decodeFloat4Array(r.vec),
      }));
      return new UserVectors(Number(v[0]?.version ?? 0), cached);
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async vectorsOf(userId: string): Promise<UserVectors> {
    const version = await this.currentVersion(userId);
    const cached = this.cache.get(userId);
    if (cached && cached.version === version) return cached;
    const key = `${userId}:${version}`;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(userId).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    const loaded = await pending;
    const now = this.cache.get(userId);
    if (!now || now.version < loaded.version) this.cache.set(userId, loaded);
    return loaded;
  }

  /** The rows of `ids` with their content, and the user's version as of the same snapshot. */
  private async rowsWithVersion(userId: string, ids: string[]): Promise<{ version: number; rows: MemoryRow[] }> {
    const { rows } = await this.pool.query<MemoryRow & { version: string }>(
      `SELECT v.version, m.id, m.user_id, m.memory_type, m.company, m.content, m."timestamp", e.model
         FROM (SELECT coalesce((SELECT version FROM user_memory_versions WHERE user_id = $1), 0) AS version) v
         LEFT JOIN (user_memories m LEFT JOIN user_memory_models e ON e.memory_id = m.id) ON m.user_id = $1 AND m.id = ANY($2::uuid[])`,
      [userId, ids],
    );
    return { version: Number(rows[0]!.version), rows: rows.filter((r) => r.id !== null) };
  }

  async search(userId: string, vector: Float32Array, model: string, filters: MemoryFilters, limit: number): Promise<ScoredMemory[]> {
    const query = unitVector(vector, "query vector");
    // Optimistic: score the vectors held here, then read the hits' rows and the version in one round
    // trip; only when the version moved since (another instance wrote) load again and score again.
    let entry = this.cache.get(userId);
    for (let attempt = 0; ; attempt++) {
      if (!entry || attempt > 0) entry = await this.vectorsOf(userId);
      const { hits, otherModels } = entry.search(query, model, filters, limit);
      const { version, rows } = await this.rowsWithVersion(userId, hits.map((h) => h.id));
      if (version !== entry.version && attempt === 0) continue;
      if (otherModels.size > 0) throw new MixedModelsError(model, [...otherModels].map(([m, count]) => ({ model: m, count })));
      const byId = new Map(rows.map((r) => [r.id, r]));
      const out: ScoredMemory[] = [];
      // A memory deleted between the two reads is left out.
      for (const hit of hits) {
        const row = byId.get(hit.id);
        if (row) out.push({ ...toMemory(row), similarity: hit.similarity });
      }
      return out.sort(compareScored);
    }
  }

  async modelCounts(userId: string): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ model: string; n: number }>(
      `SELECT coalesce(e.model, '') AS model, count(*)::int AS n
         FROM user_memories m LEFT JOIN user_memory_models e ON e.memory_id = m.id
        WHERE m.user_id = $1 GROUP BY 1`,
      [userId],
    );
    return new Map(rows.map((r) => [r.model, r.n]));
  }

  async *pages(userId: string, pageSize: number): AsyncIterable<Memory[]> {
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const { rows } = await this.pool.query<MemoryRow>(`${SELECT_MEMORY} WHERE m.user_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3`, [userId, after, pageSize]);
      if (rows.length === 0) return;
      yield rows.map(toMemory);
      after = rows.at(-1)!.id;
    }
  }

  async replaceVectors(userId: string, items: { id: string; vector: Float32Array; model: string }[]): Promise<void> {
    if (items.length === 0) return;
    const checked = items.map((item) => ({ ...item, vector: unitVector(item.vector, "memory's vector") }));
    await this.write(userId, async (client) => {
      await client.query(
        `UPDATE user_memories m SET embedding = v.embedding::real[]
           FROM unnest($2::uuid[], $3::text[]) AS v(id, embedding)
          WHERE m.user_id = $1 AND m.id = v.id`,
        [userId, checked.map((i) => i.id), checked.map((i) => float4Literal(i.vector))],
      );
      await client.query(
        `INSERT INTO user_memory_models (memory_id, user_id, model)
         SELECT v.id, $1, v.model FROM unnest($2::uuid[], $3::text[]) AS v(id, model)
           JOIN user_memories m ON m.id = v.id AND m.user_id = $1
         ON CONFLICT (memory_id) DO UPDATE SET model = EXCLUDED.model`,
        [userId, checked.map((i) => i.id), checked.map((i) => i.model)],
      );
      return true;
    });
    this.cache.drop(userId);
  }

  /** Deleting the account cascades to every row; this empties the store for a user who stays (and the cache). */
  async dropUser(userId: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("DELETE FROM user_memories WHERE user_id = $1", [userId]);
      // Raised, never reset: an instance holding the old vectors must see that they moved.
      await client.query("UPDATE user_memory_versions SET version = version + 1 WHERE user_id = $1", [userId]);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
      this.cache.drop(userId);
    }
  }
}
