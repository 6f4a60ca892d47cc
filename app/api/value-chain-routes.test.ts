/**
 * The value-chain routes as a browser or a script calls them: the app's handlers and its session
 * resolution run unchanged (the cookie's session, or `Authorization: Bearer` with a personal API token);
 * only next-auth's cookie check and the app's database are set here. Reading is for every signed-in
 * user; writing for admins, and a refused or bad request stores nothing.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { testPool } from "@/test/db";
import { testDb, uniqueEmail } from "@/test/drizzle";

const edge = vi.hoisted(() => ({ session: null as { id: string; sid: string } | null, db: undefined as unknown }));
vi.mock("next-auth", () => ({
  getServerSession: async () => (edge.session ? { user: { id: edge.session.id, email: "", sid: edge.session.sid }, expires: "" } : null),
}));
vi.mock("@/app/_lib/auth-options", () => ({ authOptions: () => ({}) }));
vi.mock("@/db/client", () => ({ getDb: () => edge.db }));

const { GET: getChain } = await import("@/app/api/value-chain/route");
const { GET: getChanges } = await import("@/app/api/value-chain/changes/route");
const { POST: postNode } = await import("@/app/api/value-chain/nodes/route");
const { PATCH: patchNode, DELETE: deleteNode } = await import("@/app/api/value-chain/nodes/[id]/route");
const { POST: postEdge } = await import("@/app/api/value-chain/edges/route");
const { PATCH: patchEdge, DELETE: deleteEdge } = await import("@/app/api/value-chain/edges/[id]/route");
const { GET: getAnalyses } = await import("@/app/api/value-chain/edges/[id]/analyses/route");
const { createApiToken } = await import("@/lib/auth/api-tokens");
const { storeAnalysis } = await import("@/lib/valuechain/analyses");

const pool = testPool();
edge.db = testDb();
const tag = randomBytes(3).toString("hex").toUpperCase();
const SYMBOL = `VCR${tag}`;

interface Account {
  id: string;
  sid: string;
  token: string;
}
let admin: Account;
let analyst: Account;

async function account(label: string, role: "admin" | "analyst"): Promise<Account> {
  const { rows } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [uniqueEmail(label)]);
  const id = rows[0]!.id;
  await pool.query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET role = EXCLUDED.role", [id, role]);
  const sid = (await pool.query<{ id: string }>("INSERT INTO user_sessions (user_id) VALUES ($1) RETURNING id", [id])).rows[0]!.id;
  const made = await createApiToken(edge.db as never, id, `${label}'s notebook`);
  if (!made.ok) throw new Error("no token");
  return { id, sid, token: made.token };
}

beforeAll(async () => {
  admin = await account("chain-admin", "admin");
  analyst = await account("chain-analyst", "analyst");
  await pool.query("INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ($1, 'Route test', 'stock', 'HOSE', 'Steel')", [SYMBOL]);
});

type Handler = (request: Request, context: never) => Promise<Response>;
/** A request as `who` makes it: with the session cookie (`via: "session"`), a Bearer token, or signed out. */
async function call(handler: Handler, who: Account | null, opts: { method?: string; path?: string; body?: unknown; id?: string; via?: "session" | "token" } = {}) {
  const { method = "GET", path = "/api/value-chain", body, id, via = "session" } = opts;
  edge.session = who && via === "session" ? { id: who.id, sid: who.sid } : null;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (who && via === "token") headers.authorization = `Bearer ${who.token}`;
  const request = new Request(`http://localhost${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve({ id: id ?? "" }) } as never);
  edge.session = null;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: string } };
}

const name = (label: string) => `${label} ${tag}`;
const nodesNamed = async (label: string) => (await pool.query("SELECT id FROM value_chain_nodes WHERE name = $1", [name(label)])).rows.length;
const changesBy = async (user: Account) => (await pool.query("SELECT count(*)::int AS n FROM value_chain_changes WHERE user_id = $1", [user.id])).rows[0].n as number;

describe("writing the chain", () => {
  it("refuses an analyst (403) and a signed-out caller (401), storing nothing", async () => {
    const body = { name: name("Refused"), sector: "Steel", nodeType: "Midstream" };
    for (const via of ["session", "token"] as const) {
      const refused = await call(postNode, analyst, { method: "POST", body, via });
      expect(refused.status, via).toBe(403);
      expect(refused.body.error).toMatch(/Only an admin/);
    }
    expect((await call(postNode, null, { method: "POST", body })).status).toBe(401);
    const made = await call(postNode, admin, { method: "POST", body: { name: name("Target"), sector: "Steel", nodeType: "Midstream" } });
    const targetId = (made.body.node as { id: string }).id;
    expect((await call(patchNode, analyst, { method: "PATCH", id: targetId, body: { name: "x" } })).status).toBe(403);
    expect((await call(deleteNode, analyst, { method: "DELETE", id: targetId })).status).toBe(403);
    expect((await call(postEdge, analyst, { method: "POST", body: { sourceId: targetId, targetId } })).status).toBe(403);
    expect(await nodesNamed("Refused")).toBe(0);
    expect(await nodesNamed("Target")).toBe(1);
    expect(await changesBy(analyst)).toBe(0);
  });

  it("lets an admin add, change and remove nodes and edges, each in the change log", async () => {
    const ore = await call(postNode, admin, { method: "POST", body: { name: name("Ore"), sector: "Commodities", nodeType: "Upstream", symbol: SYMBOL.toLowerCase() } });
    expect(ore.status).toBe(201);
    const oreNode = ore.body.node as { id: string; symbol: string; createdAt: string };
    expect(oreNode.symbol).toBe(SYMBOL);
    expect(oreNode.createdAt).toMatch(/\+07:00$/);
    const mill = (await call(postNode, admin, { method: "POST", body: { name: name("Mill"), sector: "Steel", nodeType: "Midstream" }, via: "token" })).body.node as { id: string };

    const created = await call(postEdge, admin, { method: "POST", body: { sourceId: oreNode.id, targetId: mill.id, relationship: "supplies" } });
    expect(created.status).toBe(201);
    const edgeId = (created.body.edge as { id: string }).id;
    const patched = await call(patchEdge, admin, { method: "PATCH", id: edgeId, body: { correlationCoeff: 0.5, leadTimeDays: 3, weight: 0.5 } });
    expect(patched.status).toBe(200);
    expect(patched.body.edge).toMatchObject({ correlationCoeff: 0.5, leadTimeDays: 3, weight: 0.5, relationship: "supplies" });
    const renamed = await call(patchNode, admin, { method: "PATCH", id: mill.id, body: { name: name("Mill 2") } });
    expect(renamed.body.node).toMatchObject({ name: name("Mill 2") });

    const { rows } = await pool.query("SELECT entity, action, entity_id FROM value_chain_changes WHERE user_id = $1 ORDER BY id", [admin.id]);
    expect(rows.slice(-5).map((r) => `${r.entity} ${r.action}`)).toEqual(["node create", "node create", "edge create", "edge update", "node update"]);

    const removedEdge = await call(deleteEdge, admin, { method: "DELETE", id: edgeId });
    expect(removedEdge.body.deleted).toMatchObject({ id: edgeId, sourceName: name("Ore"), targetName: name("Mill 2") });
    const removed = await call(deleteNode, admin, { method: "DELETE", id: mill.id });
    expect(removed.body).toMatchObject({ edgesRemoved: 0 });
    expect((await call(deleteNode, admin, { method: "DELETE", id: mill.id })).status).toBe(404);
    expect((await call(patchEdge, admin, { method: "PATCH", id: "not-a-uuid", body: { weight: 1 } })).status).toBe(404);
    // Other files write to the shared log at the same time: look at this admin's lines of a long page.
    const log = await call(getChanges, analyst, { path: "/api/value-chain/changes?limit=200" });
    expect(log.status).toBe(200);
    const lines = (log.body.changes as { userId: string; userEmail: string; action: string; entity: string; changedAt: string; label: string }[]).filter((c) => c.userId === admin.id);
    expect(lines.slice(0, 2).map((c) => `${c.entity} ${c.action} ${c.label}`)).toEqual([`node delete ${name("Mill 2")}`, `edge delete ${name("Ore")} → ${name("Mill 2")} (supplies)`]);
    expect(lines[0]!.changedAt).toMatch(/\+07:00$/);
    expect(lines[0]!.userEmail).toMatch(/^chain-admin-/);
    const page = await call(getChanges, analyst, { path: "/api/value-chain/changes?limit=2" });
    expect((page.body.changes as unknown[]).length).toBe(2);
    expect(typeof page.body.nextBefore).toBe("number");
    expect((await call(getChanges, analyst, { path: "/api/value-chain/changes?limit=abc" })).status).toBe(400);
  });

  it("answers 400 with the reason for each broken rule, storing nothing", async () => {
    const a = (await call(postNode, admin, { method: "POST", body: { name: name("A"), sector: "Steel", nodeType: "Midstream" } })).body.node as { id: string };
    const b = (await call(postNode, admin, { method: "POST", body: { name: name("B"), sector: "Steel", nodeType: "Downstream" } })).body.node as { id: string };
    expect((await call(postEdge, admin, { method: "POST", body: { sourceId: a.id, targetId: b.id, relationship: "sells_to" } })).status).toBe(201);
    const before = await changesBy(admin);
    const edgesBefore = (await pool.query("SELECT count(*)::int AS n FROM value_chain_edges WHERE source_id = ANY($1) OR target_id = ANY($1)", [[a.id, b.id]])).rows[0].n;

    const nodeCases: [unknown, RegExp][] = [
      [{ name: name("Bad"), sector: "Steel", nodeType: "Sideways" }, /node type must be Upstream, Midstream or Downstream/],
      [{ name: name("Bad"), sector: "Steel", nodeType: "Upstream", symbol: "NOPE9" }, /NOPE9 is not a known symbol/],
      [{ name: name("Bad"), sector: "Steel", nodeType: "Upstream", symbol: SYMBOL }, /already has a node in the chain/],
      [{ name: "", sector: "Steel", nodeType: "Upstream" }, /name is required/],
      ["{not json", /Send the node .* as a JSON object/],
    ];
    for (const [body, reason] of nodeCases) {
      const r = await call(postNode, admin, { method: "POST", body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(reason);
    }
    const edgeCases: [unknown, RegExp][] = [
      [{ sourceId: a.id, targetId: a.id }, /cannot link a node to itself/],
      [{ sourceId: a.id, targetId: b.id, relationship: "sells_to" }, /already an edge with the same source, target and relationship/],
      [{ sourceId: a.id, targetId: b.id, correlationCoeff: -1.5 }, /correlation must be between -1 and 1/],
      [{ sourceId: a.id, targetId: "00000000-0000-4000-8000-00000000dead" }, /targetId: there is no node with this id/],
    ];
    for (const [body, reason] of edgeCases) {
      const r = await call(postEdge, admin, { method: "POST", body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(reason);
    }
    const badPatch = await call(patchNode, admin, { method: "PATCH", id: a.id, body: { nodeType: "Sideways" } });
    expect(badPatch.status).toBe(400);

    expect(await nodesNamed("Bad")).toBe(0);
    expect(await changesBy(admin)).toBe(before);
    expect((await pool.query("SELECT count(*)::int AS n FROM value_chain_edges WHERE source_id = ANY($1) OR target_id = ANY($1)", [[a.id, b.id]])).rows[0].n).toBe(edgesBefore);
    expect((await pool.query("SELECT node_type FROM value_chain_nodes WHERE id = $1", [a.id])).rows[0].node_type).toBe("Midstream");
  });
});

describe("GET /api/value-chain", () => {
  it("answers any signed-in user, by session or token, nodes and edges with the latest analysis in +07:00; 401 signed out", async () => {
    const s = (await call(postNode, admin, { method: "POST", body: { name: name("Src"), sector: "Commodities", nodeType: "Upstream" } })).body.node as { id: string };
    const t = (await call(postNode, admin, { method: "POST", body: { name: name("Dst"), sector: "Steel", nodeType: "Midstream" } })).body.node as { id: string };
    const e = (await call(postEdge, admin, { method: "POST", body: { sourceId: s.id, targetId: t.id } })).body.edge as { id: string };
    await storeAnalysis(edge.db as never, e.id, {
      windowYears: 1,
      asOf: "2026-11-20",
      maxLag: 1,
      n: 240,
      leadTimeDays: 1,
      correlation: 0.3,
      significant: true,
      band: 0.15,
      plainBand: 0.13,
      weight: 0.3,
      lags: [
        { k: -1, rho: 0.01 },
        { k: 0, rho: 0.02 },
        { k: 1, rho: 0.3 },
      ],
    }, { computedAt: new Date("2026-11-20T10:00:00Z") });

    for (const via of ["session", "token"] as const) {
      const r = await call(getChain, analyst, { via });
      expect(r.status, via).toBe(200);
      const nodes = r.body.nodes as { id: string; name: string; market: unknown }[];
      const edges = r.body.edges as { id: string; latestAnalysis: Record<string, unknown> | null; correlationCoeff: number }[];
      expect(nodes.find((n) => n.id === s.id)).toMatchObject({ name: name("Src"), nodeType: "Upstream", symbol: null, market: null });
      const mine = edges.find((x) => x.id === e.id)!;
      expect(mine).toMatchObject({ sourceId: s.id, targetId: t.id, correlationCoeff: 0.3, leadTimeDays: 1, weight: 0.3 });
      expect(mine.latestAnalysis).toMatchObject({ computedAt: "2026-11-20T17:00:00+07:00", windowYears: 1, asOf: "2026-11-20", n: 240, leadTimeDays: 1, significant: true, lags: [{ k: -1, rho: 0.01 }, { k: 0, rho: 0.02 }, { k: 1, rho: 0.3 }] });
    }
    expect((await call(getChain, null)).status).toBe(401);
    const revoked = await call(getChain, { ...analyst, token: "qf_not_a_real_token" }, { via: "token" });
    expect(revoked.status).toBe(401);
  });
});

describe("GET /api/value-chain/edges/{id}/analyses", () => {
  it("answers any signed-in user an edge's recomputations, newest first, in +07:00; 404 for an unknown edge, 400 for a bad limit, 401 signed out", async () => {
    const s = (await call(postNode, admin, { method: "POST", body: { name: name("HistSrc"), sector: "Steel", nodeType: "Upstream" } })).body.node as { id: string };
    const t = (await call(postNode, admin, { method: "POST", body: { name: name("HistDst"), sector: "Steel", nodeType: "Midstream" } })).body.node as { id: string };
    const e = (await call(postEdge, admin, { method: "POST", body: { sourceId: s.id, targetId: t.id } })).body.edge as { id: string };
    const path = `/api/value-chain/edges/${e.id}/analyses`;
    expect((await call(getAnalyses, analyst, { path, id: e.id })).body).toEqual({ analyses: [] });
    const result = (correlation: number, leadTimeDays: number) => ({
      windowYears: 3 as const, asOf: "2026-11-20", maxLag: 1, n: 300, leadTimeDays, correlation, significant: true, band: 0.12, plainBand: 0.11, weight: Math.abs(correlation),
      lags: [{ k: -1, rho: 0.01 }, { k: 0, rho: 0.02 }, { k: 1, rho: correlation }],
    });
    await storeAnalysis(edge.db as never, e.id, result(0.3, 1), { computedAt: new Date("2026-11-19T10:00:00Z") });
    await storeAnalysis(edge.db as never, e.id, result(0.4, 1), { computedAt: new Date("2026-11-20T10:00:00Z"), userId: admin.id });

    for (const via of ["session", "token"] as const) {
      const r = await call(getAnalyses, analyst, { path, id: e.id, via });
      expect(r.status, via).toBe(200);
      const list = r.body.analyses as { computedAt: string; correlation: number; computedBy: string | null }[];
      expect(list.map((a) => [a.computedAt, a.correlation])).toEqual([["2026-11-20T17:00:00+07:00", 0.4], ["2026-11-19T17:00:00+07:00", 0.3]]);
      expect(list[0]).toMatchObject({ computedBy: admin.id, windowYears: 3, n: 300, band: 0.12, plainBand: 0.11 });
    }
    expect((await call(getAnalyses, analyst, { path: `${path}?limit=1`, id: e.id })).body.analyses).toHaveLength(1);
    const bad = await call(getAnalyses, analyst, { path: `${path}?limit=0`, id: e.id });
    expect(bad).toEqual({ status: 400, body: { error: "limit must be 1–200" } });
    expect((await call(getAnalyses, analyst, { path: "/x", id: "not-a-uuid" })).status).toBe(404);
    expect((await call(getAnalyses, analyst, { path: "/x", id: "6f1c1f2e-0000-4000-8000-00000000dead" })).status).toBe(404);
    expect((await call(getAnalyses, null, { path, id: e.id })).status).toBe(401);
  });
});
