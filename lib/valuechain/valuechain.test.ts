/**
 * lib/valuechain against real PostgreSQL: editing nodes and edges (every rule, in words; nothing stored
 * when refused), the change log, the analysis store, and reading the chain with the day's moves.
 * The run's database is shared with other files: everything here is told apart by its own symbols,
 * names and user.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ingestDailyBars } from "@/lib/market/ingest";
import { vnMidnightUtc } from "@/lib/market/calendar";
import { testPool } from "@/test/db";
import { testDb, uniqueEmail } from "@/test/drizzle";
import { listAnalyses, storeAnalyses, storeAnalysis } from "./analyses";
import { listChanges } from "./changes";
import { createEdge, createNode, deleteEdge, deleteNode, updateEdge, updateNode } from "./edit";
import { ValueChainError } from "./errors";
import { getEdge, readChain } from "./read";
import type { AnalysisResult } from "./schemas";

const db = testDb();
const pool = testPool();
const tag = randomBytes(3).toString("hex").toUpperCase();
/** Symbols of this file's own, known to market_symbols. */
const SYM = { a: `VCA${tag}`, b: `VCB${tag}`, c: `VCC${tag}` };
let userId: string;

beforeAll(async () => {
  const { rows } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [uniqueEmail("chain-editor")]);
  userId = rows[0]!.id;
  await pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector)
     SELECT s, 'Test ' || s, 'stock', 'HOSE', 'Steel' FROM unnest($1::text[]) AS s`,
    [Object.values(SYM)],
  );
});

const nodeName = (label: string) => `${label} ${tag}`;
const countNodes = async (name: string) =>
  (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM value_chain_nodes WHERE name = $1", [name])).rows[0]!.n;
const myChanges = async () =>
  (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM value_chain_changes WHERE user_id = $1", [userId])).rows[0]!.n;

async function refused(work: Promise<unknown>, code: string, message: RegExp) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValueChainError);
  expect(error).toMatchObject({ code });
  expect((error as Error).message).toMatch(message);
}

const node = (label: string, extra: Record<string, unknown> = {}) =>
  createNode(db, userId, { name: nodeName(label), sector: "Steel", nodeType: "Midstream", ...extra });

describe("nodes", () => {
  it("creates a node (symbol upper-cased and checked) and logs who, when and what", async () => {
    const created = await node("Maker", { symbol: ` ${SYM.a.toLowerCase()} `, description: "  " });
    expect(created).toMatchObject({ symbol: SYM.a, name: nodeName("Maker"), nodeType: "Midstream", description: null });
    const { rows } = await pool.query("SELECT user_id, entity, entity_id, action, before, after, changed_at FROM value_chain_changes WHERE entity_id = $1", [created.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: userId, entity: "node", action: "create", before: null });
    expect(rows[0].after).toEqual({ id: created.id, symbol: SYM.a, name: nodeName("Maker"), sector: "Steel", nodeType: "Midstream", description: null });
    expect(Math.abs(rows[0].changed_at.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("refuses each broken rule in words and stores nothing", async () => {
    const before = await myChanges();
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ nodeType: "Sideways" }, "invalid", /nodeType: node type must be Upstream, Midstream or Downstream/],
      [{ name: "   " }, "invalid", /name: name is required/],
      [{ sector: undefined }, "invalid", /sector: sector is required/],
      [{ symbol: "NOPE1" }, "unknown_symbol", /NOPE1 is not a known symbol/],
      [{ symbol: "HP G" }, "invalid", /symbol may hold only/],
      [{ symbol: SYM.a }, "duplicate_symbol", new RegExp(`${SYM.a} already has a node in the chain \\(${nodeName("Maker")}\\)`)],
      [{ colour: "red" }, "invalid", /unknown field\(s\): colour/],
      [{ name: "Steel\u0000" }, "invalid", /name contains a control character/],
      [{ description: "two\nlines\u0007" }, "invalid", /description contains a control character/],
    ];
    for (const [extra, code, message] of bad) {
      const label = `Bad ${JSON.stringify(extra)}`;
      await refused(node(label, extra), code, message);
      expect(await countNodes(nodeName(label))).toBe(0);
    }
    await refused(createNode(db, userId, "not an object"), "invalid", /send a node as a JSON object/);
    expect(await myChanges()).toBe(before);
  });

  it("updates a node, logging before and after; refuses a taken symbol and an unknown id", async () => {
    const n = await node("Renamed");
    const updated = await updateNode(db, userId, n.id, { name: nodeName("Renamed 2"), symbol: SYM.b, nodeType: "Upstream" });
    expect(updated).toMatchObject({ id: n.id, name: nodeName("Renamed 2"), symbol: SYM.b, nodeType: "Upstream", sector: "Steel" });
    const { rows } = await pool.query("SELECT before, after FROM value_chain_changes WHERE entity_id = $1 AND action = 'update'", [n.id]);
    expect(rows[0].before).toMatchObject({ name: nodeName("Renamed"), symbol: null, nodeType: "Midstream" });
    expect(rows[0].after).toMatchObject({ name: nodeName("Renamed 2"), symbol: SYM.b, nodeType: "Upstream" });

    await refused(updateNode(db, userId, n.id, { symbol: SYM.a }), "duplicate_symbol", /already has a node/);
    await refused(updateNode(db, userId, n.id, {}), "invalid", /nothing to change/);
    await refused(updateNode(db, userId, "00000000-0000-4000-8000-00000000dead", { name: "x" }), "not_found", /no node/);
    await refused(updateNode(db, userId, "not-a-uuid", { name: "x" }), "not_found", /no node/);
    const { rows: still } = await pool.query("SELECT symbol, name FROM value_chain_nodes WHERE id = $1", [n.id]);
    expect(still[0]).toEqual({ symbol: SYM.b, name: nodeName("Renamed 2") });
    // Unlisting frees the symbol.
    expect((await updateNode(db, userId, n.id, { symbol: "" })).symbol).toBeNull();
  });
});

describe("edges", () => {
  let up: string;
  let mid: string;
  let down: string;
  beforeAll(async () => {
    up = (await createNode(db, userId, { name: nodeName("Ore"), sector: "Commodities", nodeType: "Upstream" })).id;
    mid = (await node("Mill")).id;
    down = (await createNode(db, userId, { name: nodeName("Builder"), sector: "Construction", nodeType: "Downstream" })).id;
  });
  const edgeCount = async () =>
    (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM value_chain_edges WHERE source_id = ANY($1) OR target_id = ANY($1)", [[up, mid, down]])).rows[0]!.n;

  it("creates an edge and logs it with the names of its ends", async () => {
    const e = await createEdge(db, userId, { sourceId: up, targetId: mid, relationship: "supplies", correlationCoeff: 0.4, leadTimeDays: 3, weight: 0.4 });
    expect(e).toMatchObject({ sourceId: up, targetId: mid, relationship: "supplies", correlationCoeff: 0.4, leadTimeDays: 3, weight: 0.4, latestAnalysis: null });
    const { rows } = await pool.query("SELECT action, after FROM value_chain_changes WHERE entity_id = $1", [e.id]);
    expect(rows[0]).toMatchObject({ action: "create", after: { sourceName: nodeName("Ore"), targetName: nodeName("Mill"), relationship: "supplies" } });
  });

  it("refuses a self-loop, a duplicate link, an unknown end and out-of-range values; stores nothing", async () => {
    const before = [await edgeCount(), await myChanges()];
    await refused(createEdge(db, userId, { sourceId: mid, targetId: mid }), "invalid", /targetId: an edge cannot link a node to itself/);
    await refused(createEdge(db, userId, { sourceId: up, targetId: mid, relationship: " supplies " }), "duplicate_edge", /same source, target and relationship/);
    await refused(createEdge(db, userId, { sourceId: up, targetId: "00000000-0000-4000-8000-00000000dead" }), "unknown_node", /targetId: there is no node/);
    await refused(createEdge(db, userId, { sourceId: "x", targetId: mid }), "invalid", /sourceId must be a node id/);
    await refused(createEdge(db, userId, { sourceId: up, targetId: down, correlationCoeff: 1.5 }), "invalid", /correlation must be between -1 and 1/);
    await refused(createEdge(db, userId, { sourceId: up, targetId: down, correlationCoeff: "0.5" }), "invalid", /correlation must be a number/);
    await refused(createEdge(db, userId, { sourceId: up, targetId: down, leadTimeDays: 2.5 }), "invalid", /whole number/);
    await refused(createEdge(db, userId, { sourceId: up, targetId: down, weight: -0.1 }), "invalid", /weight must be between 0 and 1/);
    expect([await edgeCount(), await myChanges()]).toEqual(before);
  });

  it("counts two links without a relationship as the same, and another relationship as another link", async () => {
    await createEdge(db, userId, { sourceId: mid, targetId: down });
    await refused(createEdge(db, userId, { sourceId: mid, targetId: down, relationship: "" }), "duplicate_edge", /same source/);
    const other = await createEdge(db, userId, { sourceId: mid, targetId: down, relationship: "sells_to" });
    // The opposite direction is another link.
    await createEdge(db, userId, { sourceId: down, targetId: mid, relationship: "sells_to" });
    // An update that would make a duplicate or a self-loop is refused (the database's trigger or the check up front).
    await refused(updateEdge(db, userId, other.id, { relationship: null }), "duplicate_edge", /same source/);
    await refused(updateEdge(db, userId, other.id, { targetId: mid }), "self_loop", /itself/);
    expect((await getEdge(db, other.id))!.relationship).toBe("sells_to");
  });

  it("updates and deletes an edge, each logged", async () => {
    const e = await createEdge(db, userId, { sourceId: up, targetId: down, relationship: "feeds" });
    const updated = await updateEdge(db, userId, e.id, { correlationCoeff: -0.25, leadTimeDays: -2 });
    expect(updated).toMatchObject({ correlationCoeff: -0.25, leadTimeDays: -2, relationship: "feeds" });
    await deleteEdge(db, userId, e.id);
    expect(await getEdge(db, e.id)).toBeUndefined();
    const { rows } = await pool.query("SELECT action, before, after FROM value_chain_changes WHERE entity_id = $1 ORDER BY id", [e.id]);
    expect(rows.map((r) => r.action)).toEqual(["create", "update", "delete"]);
    expect(rows[1].before).toMatchObject({ correlationCoeff: null });
    expect(rows[1].after).toMatchObject({ correlationCoeff: -0.25, leadTimeDays: -2 });
    expect(rows[2]).toMatchObject({ after: null, before: { relationship: "feeds" } });
    await refused(deleteEdge(db, userId, e.id), "not_found", /no edge/);
  });

  it("deletes a node with its edges, logging each edge too", async () => {
    const victim = await node("Victim");
    const e1 = await createEdge(db, userId, { sourceId: up, targetId: victim.id });
    const e2 = await createEdge(db, userId, { sourceId: victim.id, targetId: down });
    const result = await deleteNode(db, userId, victim.id);
    expect(result.edgesRemoved).toBe(2);
    const { rows } = await pool.query("SELECT entity, entity_id, action FROM value_chain_changes WHERE entity_id = ANY($1) AND action = 'delete'", [[victim.id, e1.id, e2.id]]);
    expect(rows.map((r) => r.entity_id).sort()).toEqual([victim.id, e1.id, e2.id].sort());
    await refused(deleteNode(db, userId, victim.id), "not_found", /no node/);
  });
});

describe("the change log", () => {
  it("lists newest first, a page at a time, with who made each change", async () => {
    const first = await listChanges(db, { limit: 3 });
    expect(first.changes).toHaveLength(3);
    expect(first.changes.map((c) => c.id)).toEqual([...first.changes.map((c) => c.id)].sort((a, b) => b - a));
    expect(first.nextBefore).toBe(first.changes[2]!.id);
    const second = await listChanges(db, { limit: 3, before: first.nextBefore! });
    expect(second.changes[0]!.id).toBeLessThan(first.nextBefore!);
    const mine = (await listChanges(db, { limit: 200 })).changes.filter((c) => c.userId === userId);
    expect(mine.length).toBeGreaterThan(5);
    expect(mine[0]!.userEmail).toMatch(/^chain-editor-/);
    expect(mine.find((c) => c.entity === "edge" && c.action === "create")!.label).toMatch(/ → /);
    await refused(listChanges(db, { limit: 0 }), "invalid", /limit must be 1–200/);
  });

  it("keeps the changes of a deleted account, without its id", async () => {
    const { rows } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [uniqueEmail("leaver")]);
    const leaver = rows[0]!.id;
    const n = await createNode(db, leaver, { name: nodeName("Left behind"), sector: "Retail", nodeType: "Downstream" });
    await pool.query("DELETE FROM users WHERE id = $1", [leaver]);
    const { rows: log } = await pool.query("SELECT user_id, action FROM value_chain_changes WHERE entity_id = $1", [n.id]);
    expect(log).toEqual([{ user_id: null, action: "create" }]);
  });
});

function result(overrides: Partial<AnalysisResult> = {}): AnalysisResult {
  const maxLag = 3;
  return {
    windowYears: 3,
    asOf: "2026-11-20",
    maxLag,
    n: 740,
    leadTimeDays: 2,
    correlation: 0.41,
    significant: true,
    band: 3.23 / Math.sqrt(740),
    plainBand: 1.96 / Math.sqrt(740),
    weight: 0.41,
    lags: Array.from({ length: 2 * maxLag + 1 }, (_, i) => ({ k: i - maxLag, rho: i - maxLag === 2 ? 0.41 : 0.01 })),
    params: { source: "test" },
    ...overrides,
  };
}

describe("analyses", () => {
  let source: string;
  let target: string;
  let edgeId: string;
  let otherEdge: string;
  beforeAll(async () => {
    source = (await createNode(db, userId, { name: nodeName("Lead"), sector: "Commodities", nodeType: "Upstream", symbol: SYM.c })).id;
    target = (await node("Follow")).id;
    edgeId = (await createEdge(db, userId, { sourceId: source, targetId: target, relationship: "supplies" })).id;
    otherEdge = (await createEdge(db, userId, { sourceId: target, targetId: source, relationship: "buys" })).id;
  });
  const edgeValues = async (id: string) =>
    (await pool.query("SELECT correlation_coeff, lead_time_days, weight FROM value_chain_edges WHERE id = $1", [id])).rows[0];
  const historyCount = async () =>
    (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM value_chain_analyses WHERE edge_id = ANY($1)", [[edgeId, otherEdge]])).rows[0]!.n;

  it("stores a result in the history and on the edge, together", async () => {
    const stored = await storeAnalysis(db, edgeId, result(), { userId, computedAt: new Date("2026-11-20T10:00:00Z") });
    expect(stored).toMatchObject({ edgeId, windowYears: 3, asOf: "2026-11-20", n: 740, leadTimeDays: 2, correlation: 0.41, significant: true, computedBy: userId });
    expect(stored.lags).toHaveLength(7);
    expect(await edgeValues(edgeId)).toEqual({ correlation_coeff: 0.41, lead_time_days: 2, weight: 0.41 });
    const newer = await storeAnalysis(db, edgeId, result({ leadTimeDays: 3, correlation: -0.2, significant: false, weight: 0, lags: result().lags }));
    expect(await edgeValues(edgeId)).toEqual({ correlation_coeff: -0.2, lead_time_days: 3, weight: 0 });
    const history = await listAnalyses(db, edgeId);
    expect(history.map((a) => a.id)).toEqual([newer.id, stored.id]);
    expect((await getEdge(db, edgeId))!.latestAnalysis).toMatchObject({ id: newer.id, correlation: -0.2 });
  });

  it("refuses a bad result and a batch with a missing edge, changing nothing", async () => {
    const before = [await historyCount(), await edgeValues(edgeId), await edgeValues(otherEdge)];
    await refused(storeAnalysis(db, edgeId, result({ correlation: 1.2 })), "invalid", /correlation/);
    await refused(storeAnalysis(db, edgeId, result({ leadTimeDays: 9 })), "invalid", /leadTimeDays must be within ±maxLag/);
    await refused(storeAnalysis(db, edgeId, result({ lags: result().lags.slice(1) })), "invalid", /lags must hold/);
    await refused(storeAnalysis(db, edgeId, result({ windowYears: 2 as 3 })), "invalid", /windowYears must be 1, 3 or 5/);
    await refused(
      storeAnalyses(db, [
        { edgeId: otherEdge, result: result() },
        { edgeId: "00000000-0000-4000-8000-00000000dead", result: result() },
      ]),
      "not_found",
      /no edge/,
    );
    expect([await historyCount(), await edgeValues(edgeId), await edgeValues(otherEdge)]).toEqual(before);
  });

  it("reads the chain: edges with their latest analysis, listed nodes with the day's move", async () => {
    const day1 = vnMidnightUtc("2026-11-19");
    const day2 = vnMidnightUtc("2026-11-20");
    await ingestDailyBars(pool, [
      { time: day1, symbol: SYM.c, open: 20_000, high: 20_500, low: 19_900, close: 20_000, volume: 1_000 },
      { time: day2, symbol: SYM.c, open: 20_000, high: 21_500, low: 20_000, close: 21_400, volume: 1_000 },
    ]);
    const chain = await readChain(db, { now: new Date("2026-11-21T03:00:00Z") });
    const lead = chain.nodes.find((n) => n.id === source)!;
    expect(lead.market).toEqual({ close: 21_400, previousClose: 20_000, changePct: 7, asOf: day2 });
    expect(chain.nodes.find((n) => n.id === target)!.market).toBeNull();
    const edge = chain.edges.find((e) => e.id === edgeId)!;
    expect(edge.latestAnalysis).toMatchObject({ correlation: -0.2, leadTimeDays: 3 });
    expect(chain.edges.find((e) => e.id === otherEdge)!.latestAnalysis).toBeNull();
    // Lanes in order.
    const lanes = chain.nodes.map((n) => ["Upstream", "Midstream", "Downstream"].indexOf(n.nodeType));
    expect(lanes).toEqual([...lanes].sort((a, b) => a - b));
  });

  it("drops an edge's history with the edge", async () => {
    const e = await createEdge(db, userId, { sourceId: source, targetId: target, relationship: "temporary" });
    await storeAnalysis(db, e.id, result());
    await deleteEdge(db, userId, e.id);
    expect(await listAnalyses(db, e.id)).toEqual([]);
  });
});
