/**
 * /api/memories as scripts and the page call it: the app's handlers unchanged, only the edges replaced
 * (the session user, the app's pool = this run's database, OPENAI_BASE_URL = a local embeddings stand-in).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testPool } from "@/test/db";
import { uniqueEmail } from "@/test/drizzle";
import { startEmbeddingsStandIn, type EmbeddingsStandIn } from "@/test/embeddings-stand-in";

const edge = vi.hoisted(() => ({ user: null as { id: string; email: string; role: "analyst" } | null, pool: undefined as unknown, embeddingsUrl: "" }));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, env: () => ({ ...actual.parseEnv({}), OPENAI_BASE_URL: edge.embeddingsUrl, QUANTFLOW_EMBEDDING_MODEL: "stand-in-embedding" }) };
});
vi.mock("@/app/_lib/session", () => ({ getSessionUser: async () => edge.user }));
vi.mock("@/db/client", () => ({ getPool: () => edge.pool }));

const pool = testPool();
edge.pool = pool;
let embeddings: EmbeddingsStandIn;
const { GET: list, POST: create } = await import("@/app/api/memories/route");
const one = await import("@/app/api/memories/[id]/route");
const { GET: health } = await import("@/app/api/health/route");

let me: { id: string; email: string; role: "analyst" };
const call = (handler: (r: Request, c: never) => Promise<Response>, path: string, init: RequestInit = {}, id?: string) =>
  handler(new Request(`http://localhost${path}`, init), { params: Promise.resolve({ id: id ?? "" }) } as never);
const post = (body: unknown) => call(create, "/api/memories", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
const count = async () => (await pool.query("SELECT count(*)::int AS n FROM user_memories WHERE user_id = $1", [me.id])).rows[0].n as number;

beforeAll(async () => {
  embeddings = await startEmbeddingsStandIn();
  edge.embeddingsUrl = embeddings.url;
  const email = uniqueEmail("memroutes");
  const { rows } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [email]);
  me = { id: rows[0]!.id, email, role: "analyst" };
  await pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel'), ('HSG', 'Hoa Sen Group', 'stock', 'HOSE', 'Steel')
     ON CONFLICT DO NOTHING`,
  );
  edge.user = me;
});
afterAll(async () => {
  edge.user = null;
  await embeddings.close();
});

describe("/api/memories", () => {
  it("POST stores a memory (embedded by the configured endpoint) and answers it with its time in GMT+7", async () => {
    const res = await post({ content: "Tồn kho thép của Hòa Phát tăng", memoryType: "audit_finding", company: "hpg" });
    expect(res.status).toBe(201);
    const { memory } = await res.json();
    expect(memory).toMatchObject({ memoryType: "audit_finding", company: "HPG", content: "Tồn kho thép của Hòa Phát tăng", model: "stand-in-embedding" });
    expect(memory.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+07:00$/);
    expect(embeddings.requests.at(-1)!.body).toEqual({ model: "stand-in-embedding", input: ["Tồn kho thép của Hòa Phát tăng"] });
    const got = await call(one.GET, `/api/memories/${memory.id}`, {}, memory.id);
    expect((await got.json()).memory).toEqual(memory);
  });

  it("GET searches by meaning with a query (each with its similarity), lists newest first without one, with filters", async () => {
    await post({ content: "Hoa Sen xuất khẩu tôn giảm", memoryType: "analysis", company: "HSG" });
    await post({ content: "Prefer banks over steel this quarter", memoryType: "preference" });
    const found = await (await call(list, "/api/memories?query=hoa%20phat%20ton%20kho&limit=2")).json();
    expect(found.mode).toBe("semantic");
    expect(found.memories).toHaveLength(2);
    expect(found.memories[0]).toMatchObject({ company: "HPG", similarity: expect.any(Number) });
    expect(found.memories[0].similarity).toBeGreaterThan(found.memories[1].similarity);
    const recent = await (await call(list, "/api/memories")).json();
    expect(recent.mode).toBe("recent");
    expect(recent.memories.map((m: { memoryType: string }) => m.memoryType)).toEqual(["preference", "analysis", "audit_finding"]);
    expect(recent.memories[0].similarity).toBeNull();
    const filtered = await (await call(list, "/api/memories?query=thep&type=analysis&company=HSG&from=2020-01-01&to=2099-12-31")).json();
    expect(filtered.memories.map((m: { company: string }) => m.company)).toEqual(["HSG"]);
    expect(filtered.filters).toEqual({ type: "analysis", company: "HSG", from: "2020-01-01T00:00:00+07:00", to: "2099-12-31T23:59:59.999+07:00" });
  });

  it("refuses bad input with 400 and the reason, storing nothing", async () => {
    const before = await count();
    const cases: [unknown, RegExp][] = [
      [{ content: "", memoryType: "analysis" }, /needs some content/],
      [{ content: "   ", memoryType: "analysis" }, /needs some content/],
      [{ content: "x".repeat(20_001), memoryType: "analysis" }, /at most 20,000 characters/],
      [{ content: "ok", memoryType: "rumour" }, /Unknown memory type/],
      [{ content: "ok", memoryType: "analysis", company: "Hòa Phát" }, /must be a symbol/],
      [{ content: "ok", memoryType: "analysis", company: "ZZZQ" }, /Unknown symbol ZZZQ/],
      [{ content: 42, memoryType: "analysis" }, /Content must be text/],
      ["{not json", /as a JSON object/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect((await res.json()).error).toMatch(message);
    }
    for (const query of ["limit=0", "limit=101", "type=gossip", "from=yesterday", "from=2025-05-01&to=2025-04-01", "company=h%20p%20g"]) {
      expect((await call(list, `/api/memories?${query}`)).status, query).toBe(400);
    }
    expect(await count()).toBe(before);
  });

  it("the embeddings endpoint slow or failing: 503 with the reason, nothing stored", async () => {
    const before = await count();
    embeddings.script.push({ status: 400 });
    const refused = await post({ content: "HPG", memoryType: "analysis" });
    expect(refused.status).toBe(503);
    expect((await refused.json()).error).toMatch(/^The embeddings endpoint \(127\.0\.0\.1:\d+\) refused the request \(HTTP 400: stand-in answers 400\); nothing was stored\.$/);
    embeddings.script.push({ dimensions: 3 });
    expect((await post({ content: "HPG", memoryType: "analysis" })).status).toBe(503);
    expect(await count()).toBe(before);
  });

  it("PATCH re-embeds new content or changes type and company; DELETE removes; unknown ids and non-uuids are 404", async () => {
    const { memory } = await (await post({ content: "draft", memoryType: "analysis" })).json();
    const patch = (id: string, body: unknown) => call(one.PATCH, `/api/memories/${id}`, { method: "PATCH", body: JSON.stringify(body) }, id);
    const changed = await (await patch(memory.id, { content: "Dung Quất lò cao số 2", company: "HPG", memoryType: "audit_finding" })).json();
    expect(changed.memory).toMatchObject({ id: memory.id, content: "Dung Quất lò cao số 2", company: "HPG", memoryType: "audit_finding", timestamp: memory.timestamp });
    const found = await (await call(list, "/api/memories?query=dung%20quat&limit=1")).json();
    expect(found.memories[0].id).toBe(memory.id);
    expect((await patch(memory.id, {})).status).toBe(400);
    expect((await patch(memory.id, { company: null })).status).toBe(200);
    expect((await patch(crypto.randomUUID(), { company: "HPG" })).status).toBe(404);
    expect((await patch("../etc", { company: "HPG" })).status).toBe(404);
    expect((await call(one.DELETE, `/api/memories/${memory.id}`, { method: "DELETE" }, memory.id)).status).toBe(200);
    expect((await call(one.DELETE, `/api/memories/${memory.id}`, { method: "DELETE" }, memory.id)).status).toBe(404);
    expect((await call(one.GET, `/api/memories/${memory.id}`, {}, memory.id)).status).toBe(404);
  });

  it("signed out: 401", async () => {
    edge.user = null;
    try {
      expect((await call(list, "/api/memories")).status).toBe(401);
      expect((await post({ content: "x", memoryType: "analysis" })).status).toBe(401);
    } finally {
      edge.user = me;
    }
  });

  it("/api/health says which memory store and embedder are in use", async () => {
    const answer = await (await health(new Request("http://localhost/api/health"))).json();
    expect(answer.memory).toEqual({ store: "postgres", embedder: { kind: "remote", model: "stand-in-embedding" } });
  });
});
