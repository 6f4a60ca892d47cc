/**
 * A local stand-in for Qdrant's REST API (fakes are allowed for Qdrant; no server runs here), speaking
 * the JSON of Qdrant's OpenAPI schema (docs/redoc/v1.18.x/openapi.json, as generated into
 * @qdrant/js-client-rest's types): collections create/exists/get/delete, payload indexes, points
 * upsert/retrieve/delete/set-payload, scroll (with order_by), count and query, with Filter's
 * must/must_not, match.value and (datetime) range. Answers are `{result, status: "ok", time}`, errors
 * `{status: {error}, time}` with Qdrant's codes (404 missing collection, 409 existing one, 400 bad input).
 *
 * It also checks every request the client sends, strictly (unknown keys are refused as Qdrant's serde
 * would, or noted): a wrong vector size, a filter or order_by on a field without a payload index, a
 * vector repeated in the payload, a missing API key. Each problem is answered 400 and kept in
 * `violations`, which the contract suite expects to stay empty.
 *
 * Faults for the bad-path tests: `stall(ms)` holds every answer, `failNext(status)` answers the next
 * request with that HTTP status.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

type Id = string | number;
interface StoredPoint {
  id: Id;
  vector: Float32Array;
  payload: Record<string, unknown>;
  version: number;
}
interface Collection {
  size: number;
  distance: string;
  points: Map<string, StoredPoint>;
  indexes: Map<string, string>;
}

export interface QdrantStandIn {
  url: string;
  collections: Map<string, Collection>;
  requests: { method: string; path: string; body: unknown }[];
  violations: string[];
  stall(ms: number): void;
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

const id = z.union([z.uuid(), z.number().int().nonnegative()]);
const matchValue = z.object({ value: z.union([z.string(), z.number(), z.boolean()]) }).strict();
const range = z
  .object({ gt: z.union([z.string(), z.number()]).nullish(), gte: z.union([z.string(), z.number()]).nullish(), lt: z.union([z.string(), z.number()]).nullish(), lte: z.union([z.string(), z.number()]).nullish() })
  .strict();
const fieldCondition = z.object({ key: z.string().min(1), match: matchValue.optional(), range: range.optional() }).strict();
type FilterT = { must?: z.infer<typeof fieldCondition>[]; must_not?: z.infer<typeof fieldCondition>[]; should?: z.infer<typeof fieldCondition>[] };
const filter: z.ZodType<FilterT> = z
  .object({ must: z.array(fieldCondition).optional(), must_not: z.array(fieldCondition).optional(), should: z.array(fieldCondition).optional() })
  .strict();
const withPayload = z.union([z.boolean(), z.array(z.string())]);
const schemas = {
  createCollection: z.object({ vectors: z.object({ size: z.number().int().positive(), distance: z.enum(["Cosine", "Euclid", "Dot", "Manhattan"]) }).strict() }).strict(),
  createIndex: z.object({ field_name: z.string().min(1), field_schema: z.enum(["keyword", "integer", "float", "geo", "text", "bool", "datetime", "uuid"]) }).strict(),
  upsert: z.object({ points: z.array(z.object({ id, vector: z.array(z.number()), payload: z.record(z.string(), z.unknown()).nullish() }).strict()).min(1) }).strict(),
  retrieve: z.object({ ids: z.array(id), with_payload: withPayload.optional(), with_vector: z.boolean().optional() }).strict(),
  delete: z.union([z.object({ points: z.array(id) }).strict(), z.object({ filter }).strict()]),
  setPayload: z.object({ payload: z.record(z.string(), z.unknown()), points: z.array(id) }).strict(),
  scroll: z
    .object({
      filter: filter.optional(),
      limit: z.number().int().positive().optional(),
      offset: id.nullish(),
      with_payload: withPayload.optional(),
      with_vector: z.boolean().optional(),
      order_by: z.object({ key: z.string(), direction: z.enum(["asc", "desc"]).optional() }).strict().optional(),
    })
    .strict(),
  count: z.object({ filter: filter.optional(), exact: z.boolean().optional() }).strict(),
  query: z
    .object({
      query: z.array(z.number()),
      filter: filter.optional(),
      limit: z.number().int().positive().optional(),
      with_payload: withPayload.optional(),
      with_vector: z.boolean().optional(),
      params: z.object({ exact: z.boolean().optional(), hnsw_ef: z.number().optional() }).strict().optional(),
    })
    .strict(),
};
const QUERY_PARAMS: Record<string, string[]> = { wait: ["true", "false"], timeout: [], consistency: [], ordering: ["weak", "medium", "strong"] };

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const keyOf = (i: Id) => String(i).toLowerCase();

function normalise(vector: number[]): Float32Array {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum) || 1;
  return Float32Array.from(vector, (v) => v / norm);
}

function valueMatches(actual: unknown, cond: z.infer<typeof fieldCondition>, indexType: string | undefined): boolean {
  if (cond.match) return actual === cond.match.value;
  if (cond.range) {
    const asNumber = (v: unknown) => (indexType === "datetime" ? Date.parse(String(v)) : Number(v));
    if (actual === undefined || actual === null) return false;
    const x = asNumber(actual);
    const r = cond.range;
    if (r.gt != null && !(x > asNumber(r.gt))) return false;
    if (r.gte != null && !(x >= asNumber(r.gte))) return false;
    if (r.lt != null && !(x < asNumber(r.lt))) return false;
    if (r.lte != null && !(x <= asNumber(r.lte))) return false;
    return true;
  }
  return false;
}

export async function startQdrantStandIn(options: { apiKey?: string } = {}): Promise<QdrantStandIn> {
  const collections = new Map<string, Collection>();
  const requests: QdrantStandIn["requests"] = [];
  const violations: string[] = [];
  let stallMs = 0;
  let failures: { status: number; count: number } | null = null;
  let version = 0;

  const refuse = (status: number, message: string): never => {
    if (status === 400 || status === 401 || status === 403) violations.push(message);
    throw new Refusal(status, message);
  };
  const parse = <T>(schema: z.ZodType<T>, body: unknown, what: string): T => {
    const r = schema.safeParse(body);
    if (!r.success) return refuse(400, `Format error in JSON body of ${what}: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return r.data;
  };
  const collection = (name: string): Collection => collections.get(name) ?? refuse(404, `Not found: Collection \`${name}\` doesn't exist!`);

  function checkFilter(c: Collection, f: FilterT | undefined): void {
    for (const cond of [...(f?.must ?? []), ...(f?.must_not ?? []), ...(f?.should ?? [])]) {
      const index = c.indexes.get(cond.key);
      if (!index) refuse(400, `Bad request: filtering on "${cond.key}", which has no payload index (QuantFlow indexes every filtered field)`);
      if (cond.range && index !== "datetime" && index !== "integer" && index !== "float") refuse(400, `Bad request: range on "${cond.key}" needs a range index`);
      if (cond.range && index === "datetime") {
        for (const v of Object.values(cond.range)) if (v != null && Number.isNaN(Date.parse(String(v)))) refuse(400, `Bad request: "${v}" is not an RFC 3339 datetime`);
      }
      if (!cond.match && !cond.range) refuse(400, `Bad request: condition on "${cond.key}" has neither match nor range`);
    }
  }
  function matches(c: Collection, p: StoredPoint, f: FilterT | undefined): boolean {
    if (!f) return true;
    const test = (cond: z.infer<typeof fieldCondition>) => valueMatches(p.payload[cond.key], cond, c.indexes.get(cond.key));
    if (f.must && !f.must.every(test)) return false;
    if (f.must_not && f.must_not.some(test)) return false;
    if (f.should && f.should.length > 0 && !f.should.some(test)) return false;
    return true;
  }
  const payloadView = (p: StoredPoint, wp: z.infer<typeof withPayload> | undefined) =>
    wp === false ? null : Array.isArray(wp) ? Object.fromEntries(wp.filter((k) => k in p.payload).map((k) => [k, p.payload[k]])) : p.payload;
  const record = (p: StoredPoint, wp: z.infer<typeof withPayload> | undefined, wv: boolean | undefined) => ({
    id: p.id,
    payload: payloadView(p, wp),
    vector: wv ? Array.from(p.vector) : null,
  });
  const sortedById = (c: Collection) =>
    [...c.points.values()].sort((a, b) => (typeof a.id === typeof b.id ? (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0) : typeof a.id === "number" ? -1 : 1));

  function route(method: string, path: string, body: unknown): unknown {
    const m = /^\/collections\/([^/]+)(\/.*)?$/.exec(path);
    if (method === "GET" && path === "/") return { title: "qdrant - vector search engine (QuantFlow stand-in)", version: "1.18.0" };
    if (!m) return refuse(404, `Not found: ${path}`);
    const name = decodeURIComponent(m[1]!);
    const rest = m[2] ?? "";
    const op = `${method} ${rest || "/"}`;
    switch (op) {
      case "GET /exists":
        return { exists: collections.has(name) };
      case "PUT /": {
        const b = parse(schemas.createCollection, body, "create collection");
        if (collections.has(name)) return refuse(409, `Wrong input: Collection \`${name}\` already exists!`);
        collections.set(name, { size: b.vectors.size, distance: b.vectors.distance, points: new Map(), indexes: new Map() });
        return true;
      }
      case "GET /": {
        const c = collection(name);
        return {
          status: "green",
          optimizer_status: "ok",
          indexed_vectors_count: 0,
          points_count: c.points.size,
          segments_count: 1,
          config: { params: { vectors: { size: c.size, distance: c.distance }, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true } },
          payload_schema: Object.fromEntries([...c.indexes].map(([k, t]) => [k, { data_type: t, points: [...c.points.values()].filter((p) => p.payload[k] != null).length }])),
        };
      }
      case "DELETE /":
        return collections.delete(name);
      case "PUT /index": {
        const c = collection(name);
        const b = parse(schemas.createIndex, body, "create field index");
        const existing = c.indexes.get(b.field_name);
        if (existing && existing !== b.field_schema) return refuse(400, `Bad request: index on ${b.field_name} exists with another schema`);
        c.indexes.set(b.field_name, b.field_schema);
        return { operation_id: ++version, status: "completed" };
      }
      case "PUT /points": {
        const c = collection(name);
        const b = parse(schemas.upsert, body, "upsert points");
        for (const p of b.points) {
          if (p.vector.length !== c.size) return refuse(400, `Wrong input: Vector dimension error: expected dim: ${c.size}, got ${p.vector.length}`);
          if (!p.vector.every(Number.isFinite)) return refuse(400, "Format error in JSON body: vector holds a non-finite number");
          for (const [k, v] of Object.entries(p.payload ?? {})) {
            if (Array.isArray(v) && v.length > 100 && v.every((x) => typeof x === "number")) violations.push(`payload field "${k}" repeats a vector`);
          }
        }
        for (const p of b.points) {
          c.points.set(keyOf(p.id), { id: typeof p.id === "string" ? p.id.toLowerCase() : p.id, vector: c.distance === "Cosine" ? normalise(p.vector) : Float32Array.from(p.vector), payload: { ...(p.payload ?? {}) }, version: ++version });
        }
        return { operation_id: version, status: "completed" };
      }
      case "POST /points": {
        const c = collection(name);
        const b = parse(schemas.retrieve, body, "get points");
        return b.ids.map((i) => c.points.get(keyOf(i))).filter((p) => p !== undefined).map((p) => record(p, b.with_payload ?? true, b.with_vector));
      }
      case "POST /points/delete": {
        const c = collection(name);
        const b = parse(schemas.delete, body, "delete points");
        if ("points" in b) for (const i of b.points) c.points.delete(keyOf(i));
        else {
          checkFilter(c, b.filter);
          for (const [k, p] of c.points) if (matches(c, p, b.filter)) c.points.delete(k);
        }
        return { operation_id: ++version, status: "completed" };
      }
      case "POST /points/payload": {
        const c = collection(name);
        const b = parse(schemas.setPayload, body, "set payload");
        for (const i of b.points) {
          const p = c.points.get(keyOf(i));
          if (p) p.payload = { ...p.payload, ...b.payload };
        }
        return { operation_id: ++version, status: "completed" };
      }
      case "POST /points/scroll": {
        const c = collection(name);
        const b = parse(schemas.scroll, body, "scroll points");
        checkFilter(c, b.filter);
        const limit = b.limit ?? 10;
        let points = sortedById(c).filter((p) => matches(c, p, b.filter));
        if (b.order_by) {
          const index = c.indexes.get(b.order_by.key);
          if (index !== "datetime" && index !== "integer" && index !== "float") return refuse(400, `Bad request: No range index for \`order_by\` key: \`${b.order_by.key}\`. Please create one to use \`order_by\`.`);
          if (b.offset != null) return refuse(400, "Bad request: Cannot use an `offset` when using `order_by`");
          const value = (p: StoredPoint) => Date.parse(String(p.payload[b.order_by!.key]));
          const sign = b.order_by.direction === "desc" ? -1 : 1;
          // Equal values come in the reverse of id order: the client must not rely on Qdrant's tie order.
          points = points.reverse().sort((x, y) => sign * (value(x) - value(y)));
          return { points: points.slice(0, limit).map((p) => ({ ...record(p, b.with_payload, b.with_vector), order_value: value(p) })), next_page_offset: null };
        }
        if (b.offset != null) {
          const start = points.findIndex((p) => keyOf(p.id) >= keyOf(b.offset!));
          points = start < 0 ? [] : points.slice(start);
        }
        return { points: points.slice(0, limit).map((p) => record(p, b.with_payload, b.with_vector)), next_page_offset: points.length > limit ? points[limit]!.id : null };
      }
      case "POST /points/count": {
        const c = collection(name);
        const b = parse(schemas.count, body, "count points");
        checkFilter(c, b.filter);
        return { count: [...c.points.values()].filter((p) => matches(c, p, b.filter)).length };
      }
      case "POST /points/query": {
        const c = collection(name);
        const b = parse(schemas.query, body, "query points");
        checkFilter(c, b.filter);
        if (b.query.length !== c.size) return refuse(400, `Wrong input: Vector dimension error: expected dim: ${c.size}, got ${b.query.length}`);
        const q = c.distance === "Cosine" ? normalise(b.query) : Float32Array.from(b.query);
        const scored = [...c.points.values()]
          .filter((p) => matches(c, p, b.filter))
          .map((p) => {
            let s = 0;
            for (let i = 0; i < q.length; i++) s = Math.fround(s + Math.fround(p.vector[i]! * q[i]!));
            return { p, score: s };
          })
          // Ties in Qdrant's internal order (here: reverse insertion), not ours.
          .reverse()
          .sort((x, y) => y.score - x.score)
          .slice(0, b.limit ?? 10);
        return { points: scored.map(({ p, score }) => ({ ...record(p, b.with_payload, b.with_vector), version: p.version, score })) };
      }
      default:
        return refuse(404, `Not found: ${method} ${path}`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const started = performance.now();
      const url = new URL(req.url ?? "/", "http://stand-in");
      const method = req.method ?? "GET";
      const text = Buffer.concat(chunks).toString("utf8");
      let status = 200;
      let answer: unknown;
      try {
        const body = text === "" ? undefined : JSON.parse(text);
        requests.push({ method, path: url.pathname + url.search, body });
        if (options.apiKey !== undefined && req.headers["api-key"] !== options.apiKey) refuse(401, "Must provide an API key or an Authorization bearer token");
        if (text !== "" && !String(req.headers["content-type"] ?? "").startsWith("application/json")) refuse(400, "Content-Type must be application/json");
        for (const [k, v] of url.searchParams) {
          const allowed = QUERY_PARAMS[k];
          if (!allowed) refuse(400, `Unknown query parameter ${k}`);
          if (allowed!.length > 0 && !allowed!.includes(v)) refuse(400, `Bad query parameter ${k}=${v}`);
        }
        if (failures && failures.count > 0) {
          failures.count--;
          throw new Refusal(failures.status, "Service Unavailable (stand-in fault)");
        }
        answer = { result: route(method, url.pathname, body), status: "ok", time: (performance.now() - started) / 1000 };
      } catch (err) {
        status = err instanceof Refusal ? err.status : 400;
        answer = { status: { error: err instanceof Error ? err.message : String(err) }, time: (performance.now() - started) / 1000 };
      }
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
      };
      if (stallMs > 0) setTimeout(send, stallMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    collections,
    requests,
    violations,
    stall: (ms) => {
      stallMs = ms;
    },
    failNext: (status, count = 1) => {
      failures = { status, count };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
