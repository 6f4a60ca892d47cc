/**
 * The recompute routes as the page or a notebook calls them: POST /api/value-chain/edges/{id}/analysis
 * and POST /api/value-chain/analysis, over demo data seeded into a database of this file's own (iron ore,
 * HPG, HSG: 5 years of daily bars and their demo links) plus symbols made to fail (no bars, constant
 * closes, too short). The app's handlers and session resolution run unchanged; next-auth's cookie check
 * and the app's database are set here. Only admins write; a refused or bad request stores nothing.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as schema from "@/db/schema";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { uniqueEmail } from "@/test/drizzle";

const edge = vi.hoisted(() => ({ session: null as { id: string; sid: string } | null, db: undefined as unknown }));
vi.mock("next-auth", () => ({
  getServerSession: async () => (edge.session ? { user: { id: edge.session.id, email: "", sid: edge.session.sid }, expires: "" } : null),
}));
vi.mock("@/app/_lib/auth-options", () => ({ authOptions: () => ({}) }));
vi.mock("@/db/client", () => ({ getDb: () => edge.db }));

const { POST: postEdgeAnalysis } = await import("@/app/api/value-chain/edges/[id]/analysis/route");
const { POST: postChainAnalysis } = await import("@/app/api/value-chain/analysis/route");
const { createApiToken } = await import("@/lib/auth/api-tokens");
const { seedDemoData } = await import("@/lib/demo/seed");
const { planDemoData } = await import("@/lib/demo/market");
const { ingestDailyBars } = await import("@/lib/market/ingest");
const { vnMidnightUtc } = await import("@/lib/market/calendar");

const scratch = scratchDatabaseForFile("vc_analysis_routes");
const NOW = new Date("2026-11-20T09:00:00Z");
const SYMBOLS = ["IRON_ORE", "HPG", "HSG"];
const plan = planDemoData({ now: NOW, symbols: SYMBOLS, intradayDays: 2 });

interface Account {
  id: string;
  sid: string;
  token: string;
}
let admin: Account;
let analyst: Account;
const ids: Record<string, string> = {};
const idOf = (key: string): string => ids[key] ?? "";

async function account(label: string, role: "admin" | "analyst"): Promise<Account> {
  const pool = scratch.pool;
  const { rows } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [uniqueEmail(label)]);
  const id = rows[0]!.id;
  await pool.query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET role = EXCLUDED.role", [id, role]);
  const sid = (await pool.query<{ id: string }>("INSERT INTO user_sessions (user_id) VALUES ($1) RETURNING id", [id])).rows[0]!.id;
  const made = await createApiToken(edge.db as never, id, `${label}'s notebook`);
  if (!made.ok) throw new Error("no token");
  return { id, sid, token: made.token };
}

/** A node (with a symbol, added to market_symbols when new) and its id. */
async function node(name: string, symbol: string | null): Promise<string> {
  if (symbol) {
    await scratch.pool.query("INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ($1, $2, 'stock', 'HOSE', 'Steel') ON CONFLICT DO NOTHING", [symbol, name]);
  }
  const existing = await scratch.pool.query<{ id: string }>("SELECT id FROM value_chain_nodes WHERE symbol = $1", [symbol]);
  if (existing.rows[0]) return existing.rows[0].id;
  const { rows } = await scratch.pool.query<{ id: string }>(
    "INSERT INTO value_chain_nodes (name, sector, node_type, symbol) VALUES ($1, 'Steel', 'Midstream', $2) RETURNING id",
    [name, symbol],
  );
  return rows[0]!.id;
}
async function link(key: string, source: string, target: string) {
  const { rows } = await scratch.pool.query<{ id: string }>("INSERT INTO value_chain_edges (source_id, target_id, relationship) VALUES ($1, $2, 'drives') RETURNING id", [source, target]);
  ids[key] = rows[0]!.id;
}

beforeAll(async () => {
  await seedDemoData(scratch.pool, { now: NOW, symbols: SYMBOLS, intradayDays: 2, demoUser: false });
  edge.db = drizzle(scratch.pool, { schema });
  admin = await account("analysis-admin", "admin");
  analyst = await account("analysis-analyst", "analyst");
  const days = plan.days;
  const eod = (symbol: string, from: number, close: (i: number) => number) =>
    days.slice(from).map((d, i) => ({ time: vnMidnightUtc(d), symbol, open: close(i), high: close(i), low: close(i), close: close(i), volume: 1000 }));
  const ore = await node("Iron ore", "IRON_ORE");
  const hpg = await node("Hoa Phat", "HPG");
  await node("Hoa Sen", "HSG");
  await link("noSymbol", ore, await node("Unlisted mill", null));
  await link("noBars", ore, await node("No bars", "NOBARS"));
  await link("constant", ore, await node("Flat", "FLAT"));
  await ingestDailyBars(scratch.pool, eod("FLAT", days.length - 800, () => 25_000));
  await link("short", ore, await node("Short", "SHORT"));
  await ingestDailyBars(scratch.pool, eod("SHORT", days.length - 40, (i) => 20_000 + 50 * (i % 7)));
  const { rows } = await scratch.pool.query<{ id: string }>("SELECT id FROM value_chain_edges WHERE source_id = $1 AND target_id = $2", [ore, hpg]);
  ids.oreHpg = rows[0]!.id;
});

type Handler = (request: Request, context: never) => Promise<Response>;
async function call(handler: Handler, who: Account | null, opts: { body?: unknown; id?: string; via?: "session" | "token" } = {}) {
  const { body, id, via = "session" } = opts;
  edge.session = who && via === "session" ? { id: who.id, sid: who.sid } : null;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (who && via === "token") headers.authorization = `Bearer ${who.token}`;
  const request = new Request("http://localhost/api/value-chain/analysis", {
    method: "POST",
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve({ id: id ?? "" }) } as never);
  edge.session = null;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: string } };
}

/** Everything a recompute writes: the history rows and every edge's stored values. */
async function stored() {
  const { rows: history } = await scratch.pool.query("SELECT count(*)::int AS n FROM value_chain_analyses");
  const { rows: edges } = await scratch.pool.query("SELECT id, correlation_coeff, lead_time_days, weight FROM value_chain_edges ORDER BY id");
  return { history: history[0].n as number, edges };
}

describe("POST /api/value-chain/edges/{id}/analysis", () => {
  it("refuses an analyst (403) and a signed-out caller (401), storing nothing", async () => {
    const before = await stored();
    for (const via of ["session", "token"] as const) {
      const r = await call(postEdgeAnalysis, analyst, { id: ids.oreHpg, via });
      expect(r.status, via).toBe(403);
      expect(r.body.error).toMatch(/Only an admin/);
    }
    expect((await call(postEdgeAnalysis, null, { id: ids.oreHpg })).status).toBe(401);
    expect(await stored()).toEqual(before);
  });

  it("lets an admin recompute an edge: stores a history row, updates the edge, answers the analysis", async () => {
    for (const [via, body] of [["session", undefined], ["token", { windowYears: 3, maxLag: 20, asOf: plan.days.at(-1) }]] as const) {
      const before = await stored();
      const r = await call(postEdgeAnalysis, admin, { id: ids.oreHpg, via, body });
      expect(r.status, via).toBe(200);
      // The demo plants iron ore's lead of 3 trading days on the steel makers (lib/demo/leads.ts).
      expect(r.body).toMatchObject({ edgeId: ids.oreHpg, leadTimeDays: 3, significant: true, windowYears: 3, maxLag: 20, asOf: plan.days.at(-1) });
      expect(r.body.n).toBeGreaterThan(700);
      expect(r.body.band as number).toBeCloseTo(3.2293 / Math.sqrt(r.body.n as number), 3);
      expect((r.body.lags as { k: number; rho: number }[]).map((l) => l.k)).toEqual(Array.from({ length: 41 }, (_, i) => i - 20));
      expect(r.body.computedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$/);
      expect(r.body.window).toMatchObject({ lastDay: plan.days.at(-1), days: (r.body.n as number) + 1 });
      const after = await stored();
      expect(after.history).toBe(before.history + 1);
      const row = after.edges.find((e) => e.id === ids.oreHpg);
      expect(row).toMatchObject({ lead_time_days: 3, correlation_coeff: r.body.correlation, weight: Math.abs(r.body.correlation as number) });
      const { rows } = await scratch.pool.query("SELECT computed_by FROM value_chain_analyses WHERE id = $1", [r.body.analysisId]);
      expect(rows[0].computed_by).toBe(admin.id);
    }
  });

  it("answers 400 with the reason for each input it cannot analyse, storing nothing", async () => {
    const before = await stored();
    const cases: [string, unknown, RegExp][] = [
      ["noSymbol", {}, /Unlisted mill has no symbol, so no price series/],
      ["noBars", {}, /NOBARS \(No bars\) has no daily bars between/],
      ["constant", {}, /FLAT does not move .*constant/],
      ["short", {}, /have 40 common trading days .*at least 60/],
      ["oreHpg", { windowYears: 1, maxLag: 200 }, /Testing lags up to 200 days needs at least 802 daily returns/],
      ["oreHpg", { windowYears: 5, asOf: plan.days.at(-100) }, /choose a shorter window/],
      ["oreHpg", { windowYears: 2 }, /windowYears must be 1, 3 or 5/],
      ["oreHpg", { maxLag: -3 }, /maxLag must be at least 1/],
      ["oreHpg", { asOf: "20.11.2026" }, /asOf must be a date written YYYY-MM-DD/],
      ["oreHpg", { lag: 3 }, /unknown field\(s\): lag/],
      ["oreHpg", "{not json", /Send the options .* as a JSON object/],
    ];
    for (const [key, body, reason] of cases) {
      const r = await call(postEdgeAnalysis, admin, { id: ids[key], body });
      expect(r.status, `${key} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error, `${key} ${JSON.stringify(body)}`).toMatch(reason);
    }
    expect(await stored()).toEqual(before);
  });

  it("answers 404 for an unknown edge", async () => {
    for (const id of ["00000000-0000-4000-8000-00000000dead", "not-a-uuid"]) {
      const r = await call(postEdgeAnalysis, admin, { id });
      expect(r.status).toBe(404);
      expect(r.body.error).toMatch(/no edge with id/);
    }
  });
});

describe("POST /api/value-chain/analysis", () => {
  it("refuses an analyst (403) and a signed-out caller (401), storing nothing", async () => {
    const before = await stored();
    expect((await call(postChainAnalysis, analyst, {})).status).toBe(403);
    expect((await call(postChainAnalysis, analyst, { via: "token" })).status).toBe(403);
    expect((await call(postChainAnalysis, null, {})).status).toBe(401);
    expect(await stored()).toEqual(before);
  });

  it("recomputes every edge, stores the successes together and says why the others failed", async () => {
    const before = await stored();
    const r = await call(postChainAnalysis, admin, { body: { windowYears: 3 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ windowYears: 3, maxLag: 20, asOf: plan.days.at(-1) });
    const edges = r.body.edges as ({ edgeId: string; ok: true; leadTimeDays: number } | { edgeId: string; ok: false; code: string; error: string })[];
    const byId = new Map(edges.map((e) => [e.edgeId, e]));
    expect(byId.get(idOf("oreHpg"))).toMatchObject({ ok: true, leadTimeDays: 3, significant: true });
    expect(byId.get(idOf("noSymbol"))).toMatchObject({ ok: false, code: "no-symbol" });
    expect(byId.get(idOf("noBars"))).toMatchObject({ ok: false, code: "no-series" });
    expect(byId.get(idOf("constant"))).toMatchObject({ ok: false, code: "constant-series" });
    expect(byId.get(idOf("short"))).toMatchObject({ ok: false, code: "too-few-days" });
    // The demo's three links (iron ore → HPG, HSG; HPG → HSG) and the four made to fail.
    expect(edges.length).toBe(7);
    const ok = edges.filter((e) => e.ok);
    expect(ok.length).toBe(3);
    const after = await stored();
    expect(after.history).toBe(before.history + 3);
    for (const e of ok) expect(after.edges.find((x) => x.id === e.edgeId)!.lead_time_days).toBe(e.leadTimeDays);
    for (const key of ["noSymbol", "noBars", "constant", "short"]) {
      expect(after.edges.find((x) => x.id === idOf(key))).toEqual(before.edges.find((x) => x.id === idOf(key)));
    }
  });

  it("answers 400 for bad options, storing nothing", async () => {
    const before = await stored();
    for (const body of [{ windowYears: 10 }, { maxLag: 1000 }, { asOf: "yesterday" }, [1, 2], "{"]) {
      const r = await call(postChainAnalysis, admin, { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(typeof r.body.error).toBe("string");
    }
    expect(await stored()).toEqual(before);
  });

  it("stores nothing when storing fails half-way", async () => {
    const before = await stored();
    // The third history row the chain writes is refused by the database.
    await scratch.pool.query(`CREATE FUNCTION test_refuse_third() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM value_chain_analyses WHERE xmin::text = txid_current()::text) >= 2 THEN
          RAISE EXCEPTION 'refused for the test';
        END IF;
        RETURN NEW;
      END $$`);
    await scratch.pool.query("CREATE TRIGGER test_refuse_third BEFORE INSERT ON value_chain_analyses FOR EACH ROW EXECUTE FUNCTION test_refuse_third()");
    try {
      const error = (await call(postChainAnalysis, admin, {}).catch((e: unknown) => e)) as Error & { cause?: Error };
      expect(error.cause?.message).toMatch(/refused for the test/);
    } finally {
      await scratch.pool.query("DROP TRIGGER test_refuse_third ON value_chain_analyses");
      await scratch.pool.query("DROP FUNCTION test_refuse_third()");
    }
    expect(await stored()).toEqual(before);
  });
});
