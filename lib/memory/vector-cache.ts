/**
 * A user's memory vectors held in one Float32Array (row-major, MEMORY_DIMENSIONS per memory) beside
 * the fields searches filter on, so that a search is a loop of dot products in process rather than a
 * read of 6 KB per memory from PostgreSQL (which has no vector type here: pgvector is not available).
 * At 10,000 memories a user takes 61 MB; `VectorCache` keeps users up to a byte budget, least
 * recently used out first. Each entry carries the user's version (user_memory_versions) it reflects.
 */
import { MEMORY_DIMENSIONS, MEMORY_TYPES, type MemoryFilters, type MemoryType } from "./types";
import { roundSimilarity } from "./vectors";

const D = MEMORY_DIMENSIONS;
const NO_MODEL = -1;

export interface CachedRow {
  id: string;
  memoryType: MemoryType;
  company: string | null;
  timeMs: number;
  /** null: stored without a model (or with a vector of another size): never scored, always a mismatch. */
  model: string | null;
  /** Unit length, MEMORY_DIMENSIONS long; null when the stored vector is unusable. */
  vector: Float32Array | null;
}

export interface CacheHit {
  id: string;
  similarity: number;
  timeMs: number;
}

export interface CacheSearchResult {
  hits: CacheHit[];
  /** Memories among the filtered ones whose model is not the query's, by model ("" = unrecorded). */
  otherModels: Map<string, number>;
}

export class UserVectors {
  private n = 0;
  private vectors: Float32Array;
  private ids: string[] = [];
  private types: Uint8Array;
  private companies: Int32Array;
  private times: Float64Array;
  private models: Int32Array;
  private readonly rowOf = new Map<string, number>();
  private readonly companyIds = new Map<string, number>();
  private readonly modelIds = new Map<string, number>();
  private readonly modelNames: string[] = [];

  constructor(
    public version: number,
    rows: CachedRow[] = [],
  ) {
    const capacity = Math.max(16, rows.length);
    this.vectors = new Float32Array(capacity * D);
    this.types = new Uint8Array(capacity);
    this.companies = new Int32Array(capacity);
    this.times = new Float64Array(capacity);
    this.models = new Int32Array(capacity);
    for (const row of rows) this.upsert(row);
  }

  get size(): number {
    return this.n;
  }

  get bytes(): number {
    return this.vectors.byteLength + this.types.length * 17 + this.n * 80;
  }

  private grow(): void {
    const capacity = this.types.length * 2;
    const grown = <T extends Float32Array | Uint8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T, per = 1): T => {
      const next = make(capacity * per);
      next.set(old);
      return next;
    };
    this.vectors = grown(this.vectors, (n) => new Float32Array(n), D);
    this.types = grown(this.types, (n) => new Uint8Array(n));
    this.companies = grown(this.companies, (n) => new Int32Array(n));
    this.times = grown(this.times, (n) => new Float64Array(n));
    this.models = grown(this.models, (n) => new Int32Array(n));
  }

  private intern(map: Map<string, number>, value: string, names?: string[]): number {
    let id = map.get(value);
    if (id === undefined) {
      id = map.size;
      map.set(value, id);
      names?.push(value);
    }
    return id;
  }

  upsert(row: CachedRow): void {
    let at = this.rowOf.get(row.id);
    if (at === undefined) {
      if (this.n === this.types.length) this.grow();
      at = this.n++;
      this.rowOf.set(row.id, at);
      this.ids[at] = row.id;
    }
    this.types[at] = MEMORY_TYPES.indexOf(row.memoryType);
    this.companies[at] = row.company === null ? -1 : this.intern(this.companyIds, row.company);
    this.times[at] = row.timeMs;
    const usable = row.vector !== null && row.vector.length === D && row.model !== null;
    this.models[at] = usable ? this.intern(this.modelIds, row.model!, this.modelNames) : NO_MODEL;
    if (usable) this.vectors.set(row.vector!, at * D);
    else this.vectors.fill(0, at * D, at * D + D);
  }

  /** Changes the filter fields of a row, keeping its vector. */
  patch(id: string, fields: { memoryType?: MemoryType; company?: string | null }): void {
    const at = this.rowOf.get(id);
    if (at === undefined) return;
    if (fields.memoryType !== undefined) this.types[at] = MEMORY_TYPES.indexOf(fields.memoryType);
    if (fields.company !== undefined) this.companies[at] = fields.company === null ? -1 : this.intern(this.companyIds, fields.company);
  }

  remove(id: string): void {
    const at = this.rowOf.get(id);
    if (at === undefined) return;
    const last = this.n - 1;
    if (at !== last) {
      // The last row moves into the hole: order does not matter, searches sort what they find.
      this.vectors.copyWithin(at * D, last * D, last * D + D);
      this.types[at] = this.types[last]!;
      this.companies[at] = this.companies[last]!;
      this.times[at] = this.times[last]!;
      this.models[at] = this.models[last]!;
      const moved = this.ids[last]!;
      this.ids[at] = moved;
      this.rowOf.set(moved, at);
    }
    this.ids.length = last;
    this.rowOf.delete(id);
    this.n = last;
  }

  search(query: Float32Array, model: string, filters: MemoryFilters, limit: number): CacheSearchResult {
    const type = filters.memoryType === undefined ? -2 : MEMORY_TYPES.indexOf(filters.memoryType);
    // A company nobody's memory names matches nothing (-3 is never stored).
    const company = filters.company === undefined ? -2 : (this.companyIds.get(filters.company) ?? -3);
    const from = filters.from?.getTime() ?? -Infinity;
    const to = filters.to?.getTime() ?? Infinity;
    const modelId = this.modelIds.get(model) ?? -3;
    const otherModels = new Map<string, number>();
    const top: CacheHit[] = [];
    const { vectors, types, companies, times, models, ids } = this;
    // The query's non-zero dimensions: a lexical query has a few dozen of 1536, and skipping the zeros
    // changes no sum (each skipped term is 0) while saving most of the work.
    const nz: number[] = [];
    for (let k = 0; k < D; k++) if (query[k] !== 0) nz.push(k);
    const sparse = nz.length < D / 4;
    const nzIndex = Int32Array.from(nz);
    const nzValue = Float64Array.from(nz, (k) => query[k]!);
    for (let i = 0; i < this.n; i++) {
      if (type !== -2 && types[i] !== type) continue;
      if (company !== -2 && companies[i] !== company) continue;
      const t = times[i]!;
      if (t < from || t > to) continue;
      const m = models[i]!;
      if (m !== modelId) {
        const name = m === NO_MODEL ? "" : this.modelNames[m]!;
        otherModels.set(name, (otherModels.get(name) ?? 0) + 1);
        continue;
      }
      if (otherModels.size > 0) continue; // refused anyway: only counting now
      let dot = 0;
      const base = i * D;
      if (sparse) {
        for (let j = 0; j < nzIndex.length; j++) dot += vectors[base + nzIndex[j]!]! * nzValue[j]!;
      } else {
        for (let k = 0; k < D; k++) dot += vectors[base + k]! * query[k]!;
      }
      const hit = { id: ids[i]!, similarity: roundSimilarity(dot), timeMs: t };
      if (top.length === limit && !before(hit, top[limit - 1]!)) continue;
      let j = top.length === limit ? limit - 1 : top.length;
      while (j > 0 && before(hit, top[j - 1]!)) {
        top[j] = top[j - 1]!;
        j--;
      }
      top[j] = hit;
    }
    return { hits: otherModels.size > 0 ? [] : top, otherModels };
  }
}

/** The order of compareScored on cache hits. */
function before(a: CacheHit, b: CacheHit): boolean {
  if (a.similarity !== b.similarity) return a.similarity > b.similarity;
  if (a.timeMs !== b.timeMs) return a.timeMs > b.timeMs;
  return a.id < b.id;
}

/** Users' vectors up to `budgetBytes`, least recently used evicted first. */
export class VectorCache {
  private readonly users = new Map<string, UserVectors>();

  constructor(readonly budgetBytes: number) {}

  get(userId: string): UserVectors | undefined {
    const entry = this.users.get(userId);
    if (entry) {
      this.users.delete(userId);
      this.users.set(userId, entry); // most recently used last
    }
    return entry;
  }

  set(userId: string, entry: UserVectors): void {
    this.users.delete(userId);
    this.users.set(userId, entry);
    this.trim(userId);
  }

  drop(userId: string): void {
    this.users.delete(userId);
  }

  /** Applies a write that moved the user from `version - 1` to `version`; anything else drops the entry. */
  apply(userId: string, version: number, change: (entry: UserVectors) => void): void {
    const entry = this.users.get(userId);
    if (!entry) return;
    if (entry.version !== version - 1) {
      this.users.delete(userId);
      return;
    }
    change(entry);
    entry.version = version;
    this.trim(userId);
  }

  private trim(keep: string): void {
    let total = 0;
    for (const entry of this.users.values()) total += entry.bytes;
    for (const [userId, entry] of this.users) {
      if (total <= this.budgetBytes) break;
      if (userId === keep) continue;
      this.users.delete(userId);
      total -= entry.bytes;
    }
  }
}
