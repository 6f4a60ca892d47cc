/**
 * The workflow store (unique names, refusals that store nothing, import/export round trip) and run
 * recording (pending → running → success/failed, the failing node named, truncated outputs) on a real
 * PostgreSQL database of this file's own.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { ingestDailyBars, refreshAggregates } from "@/lib/market/ingest";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "./graph";
import { BUILT_IN_NODES, createRegistry, defineNode } from "./registry";
import { BYTES_PER_BAR, getRun, listRunsPage, RunMemoryBudget, RunMemoryBudgetError, runChannel, startRun } from "./run";
import {
  createWorkflow,
  duplicateWorkflow,
  emptyGraph,
  exportWorkflow,
  importWorkflow,
  listWorkflowSummaries,
  renameWorkflowUnique,
  saveWorkflowGraph,
  setWorkflowActive,
} from "./store";
import { STARTER_TEMPLATES, ensureStarterWorkflows } from "./templates";
import { jsonBytes } from "./truncate";
import { z } from "zod";

const scratch = scratchDatabaseForFile("workflow_store");
const db = () => drizzle(scratch.pool, { schema });
let alice = "";
let bob = "";

const DAYS = 300;
beforeAll(async () => {
  const pool = scratch.pool;
  const user = async (email: string) => (await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [email])).rows[0]!.id;
  alice = await user("alice@example.com");
  bob = await user("bob@example.com");
  await pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
       ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel'), ('HSG', 'Hoa Sen Group', 'stock', 'HOSE', 'Steel'), ('VCB', 'Vietcombank', 'stock', 'HOSE', 'Banks')`,
  );
  const start = Date.UTC(2025, 0, 5, 17); // 00:00 in Vietnam
  const rows = ["HPG", "HSG", "VCB"].flatMap((symbol, k) =>
    Array.from({ length: DAYS }, (_, i) => {
      const close = 20_000 + 1000 * Math.sin(i / (7 + k)) + i * 5;
      return { time: new Date(start + i * 86_400_000), symbol, open: close, high: close + 100, low: close - 100, close, volume: 1_000_000 + i };
    }),
  );
  await ingestDailyBars(pool, rows);
  await refreshAggregates(pool);
});

function rsiGraph(symbols: string[]): WorkflowGraph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      { id: "t", type: "trigger.manual", position: { x: 0, y: 0 }, data: { params: {} } },
      { id: "c", type: "data.candles", position: { x: 400, y: 0 }, data: { label: "Bars", params: { symbols, resolution: "1D", lookback: 250 } } },
      { id: "r", type: "indicator.rsi", position: { x: 800, y: 0 }, data: { params: { period: 14 } } },
      { id: "th", type: "logic.threshold", position: { x: 1200, y: 0 }, data: { params: { operator: "<", level: 101 } } },
      { id: "s", type: "output.signals", position: { x: 1600, y: 0 }, data: { params: { reason: "always", latestOnly: true } } },
    ],
    edges: [
      { id: "e1", source: "t", target: "c", targetHandle: "trigger" },
      { id: "e2", source: "c", sourceHandle: "close", target: "r" },
      { id: "e3", source: "r", target: "th" },
      { id: "e4", source: "th", target: "s" },
    ],
  };
}

const countWorkflows = async (userId: string) => (await scratch.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM workflows WHERE user_id = $1", [userId])).rows[0]!.n;

describe("the store", () => {
  it("refuses a second workflow of the same name for the same user, with a clear message; another user may use it", async () => {
    expect(await createWorkflow(db(), alice, "Steel RSI")).toMatchObject({ ok: true });
    expect(await createWorkflow(db(), alice, "Steel RSI")).toEqual({ ok: false, error: 'You already have a workflow named "Steel RSI".' });
    expect(await createWorkflow(db(), bob, "Steel RSI")).toMatchObject({ ok: true });
    const other = await createWorkflow(db(), alice, "Other");
    if (!other.ok) throw new Error(other.error);
    expect(await renameWorkflowUnique(db(), alice, other.value.id, "Steel RSI")).toEqual({ ok: false, error: 'You already have a workflow named "Steel RSI".' });
    expect(await renameWorkflowUnique(db(), bob, other.value.id, "Mine now")).toMatchObject({ ok: false, notFound: true });
  });

  it("duplicates as 'X (copy)', then 'X (copy 2)', inactive", async () => {
    const w = await createWorkflow(db(), alice, "Dup me", rsiGraph(["HPG"]));
    if (!w.ok) throw new Error(w.error);
    await setWorkflowActive(db(), alice, w.value.id, true);
    const a = await duplicateWorkflow(db(), alice, w.value.id);
    const b = await duplicateWorkflow(db(), alice, w.value.id);
    expect(a).toMatchObject({ ok: true, value: { name: "Dup me (copy)", isActive: false, jsonGraph: rsiGraph(["HPG"]) } });
    expect(b).toMatchObject({ ok: true, value: { name: "Dup me (copy 2)" } });
    expect(await duplicateWorkflow(db(), bob, w.value.id)).toMatchObject({ ok: false, notFound: true });
  });

  it("refuses bad graphs with a message per problem and stores nothing", async () => {
    const before = await countWorkflows(alice);
    const cyc = rsiGraph(["HPG"]);
    cyc.edges.push({ id: "back", source: "s", target: "c", targetHandle: "universe" });
    const unknownType = rsiGraph(["HPG"]);
    unknownType.nodes.push({ id: "x", type: "nope.node", position: { x: 0, y: 0 }, data: { params: {} } });
    const cases: [unknown, RegExp][] = [
      [rsiGraph(["NOPE"]), /Bars" \(c\): the symbol NOPE does not exist/],
      [unknownType, /unknown node type "nope.node"/],
      [{ ...rsiGraph(["HPG"]), nodes: rsiGraph(["HPG"]).nodes.map((n) => (n.id === "th" ? { ...n, data: { params: { operator: "<" } } } : n)) }, /parameter level/],
      [{ schemaVersion: 1, nodes: [{ id: "t", type: "trigger.schedule", position: { x: 0, y: 0 }, data: { params: { cron: "* * * * * *" } } }], edges: [] }, /cron/],
    ];
    for (const [graph, message] of cases) {
      const created = await createWorkflow(db(), alice, `bad ${String(message)}`, graph);
      expect(created.ok).toBe(false);
      expect(!created.ok && created.error).toMatch(message);
      expect(!created.ok && created.problems?.length).toBeGreaterThan(0);
    }
    const big = { ...rsiGraph(["HPG"]), nodes: rsiGraph(["HPG"]).nodes.map((n) => ({ ...n, data: { ...n.data, label: "x".repeat(200), blob: "y".repeat(5_000_000) } })) };
    expect(await importWorkflow(db(), alice, JSON.stringify(big))).toMatchObject({ ok: false, error: expect.stringMatching(/MB/) });
    expect(await countWorkflows(alice)).toBe(before);

    // A save with a problem leaves the stored graph as it was.
    const w = await createWorkflow(db(), alice, "Saved once", rsiGraph(["HPG"]));
    if (!w.ok) throw new Error(w.error);
    expect(await saveWorkflowGraph(db(), alice, w.value.id, rsiGraph(["HPG", "ZZZ"]))).toMatchObject({ ok: false, problems: [{ nodeId: "c" }] });
    const { rows } = await scratch.pool.query("SELECT json_graph FROM workflows WHERE id = $1", [w.value.id]);
    expect(rows[0].json_graph).toEqual(rsiGraph(["HPG"]));
    expect(await saveWorkflowGraph(db(), bob, w.value.id, rsiGraph(["HPG"]))).toMatchObject({ ok: false, notFound: true });
    expect(await saveWorkflowGraph(db(), alice, w.value.id, rsiGraph(["HPG", "HSG"]))).toMatchObject({ ok: true });
  });

  it("exports and imports back the same graph; a taken name gets '(imported)'", async () => {
    const w = await createWorkflow(db(), alice, "Round trip", rsiGraph(["HPG", "VCB"]));
    if (!w.ok) throw new Error(w.error);
    expect(await exportWorkflow(db(), bob, w.value.id)).toBeNull();
    const file = (await exportWorkflow(db(), alice, w.value.id))!;
    expect(file.fileName).toBe("Round-trip.json");
    const back = await importWorkflow(db(), alice, file.json);
    expect(back).toMatchObject({ ok: true, value: { name: "Round trip (imported)", jsonGraph: rsiGraph(["HPG", "VCB"]) } });
    const bare = await importWorkflow(db(), bob, JSON.stringify(rsiGraph(["HPG"])), "Bare graph");
    expect(bare).toMatchObject({ ok: true, value: { name: "Bare graph" } });
    expect(await importWorkflow(db(), bob, "{not json")).toMatchObject({ ok: false, error: expect.stringMatching(/not JSON/) });
  });

  it("lays out an imported graph whose nodes have no positions or are piled up, and keeps one whose nodes stand apart", async () => {
    const own = rsiGraph(["HPG"]);
    const kept = await importWorkflow(db(), bob, JSON.stringify(own), "Kept arrangement");
    expect(kept).toMatchObject({ ok: true, value: { jsonGraph: own } });
    const xs = (w: Awaited<ReturnType<typeof importWorkflow>>) => (w.ok ? (w.value.jsonGraph as WorkflowGraph).nodes.map((n) => n.position.x) : []);
    const piled = { ...own, nodes: own.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) };
    const fromPile = await importWorkflow(db(), bob, JSON.stringify(piled), "From a pile");
    expect(fromPile.ok).toBe(true);
    expect(new Set(xs(fromPile)).size).toBe(own.nodes.length); // a chain: one column each, left to right
    expect(xs(fromPile)).toEqual([...xs(fromPile)].sort((a, b) => a - b));
    const unplaced = { ...own, nodes: own.nodes.map((n) => Object.fromEntries(Object.entries(n).filter(([k]) => k !== "position"))) };
    const fromNone = await importWorkflow(db(), bob, JSON.stringify(unplaced), "No positions");
    expect(fromNone.ok && xs(fromNone)).toEqual(xs(fromPile));
    // A position that is there but wrong is still refused, and nothing is stored.
    const before = await countWorkflows(bob);
    const bad = { ...own, nodes: own.nodes.map((n, i) => (i === 0 ? { ...n, position: "left" } : n)) };
    expect(await importWorkflow(db(), bob, JSON.stringify(bad), "Bad position")).toMatchObject({ ok: false });
    expect(await countWorkflows(bob)).toBe(before);
  });

  it("the starter templates are valid and given once", async () => {
    for (const t of STARTER_TEMPLATES) {
      const symbols = new Set(t.graph().nodes.flatMap((n) => (n.data.params as { symbols?: string[] }).symbols ?? []));
      await scratch.pool.query(
        "INSERT INTO market_symbols (symbol, name, kind, exchange) SELECT s, s, 'stock', 'HOSE' FROM unnest($1::text[]) s ON CONFLICT DO NOTHING",
        [[...symbols]],
      );
    }
    const carol = (await scratch.pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ('carol@example.com', 'x') RETURNING id")).rows[0]!.id;
    for (const t of STARTER_TEMPLATES) expect(await createWorkflow(db(), carol, `${t.name} check`, t.graph())).toMatchObject({ ok: true });
    expect(await ensureStarterWorkflows(scratch.pool, carol)).toBe(4);
    expect(await ensureStarterWorkflows(scratch.pool, carol)).toBe(0);
    const list = await listWorkflowSummaries(db(), carol, new Date("2026-11-26T02:00:00Z"));
    const golden = list.find((w) => w.name === "Golden cross on VN30")!;
    expect(golden).toMatchObject({ hasSchedule: true, isActive: false, nextRun: null });
    await setWorkflowActive(db(), carol, golden.id, true);
    const after = await listWorkflowSummaries(db(), carol, new Date("2026-11-26T02:00:00Z"));
    expect(after.find((w) => w.id === golden.id)!.nextRun?.toISOString()).toBe("2026-11-26T08:15:00.000Z");
  });
});

describe("recording runs", () => {
  it("pending → running → success, with every node's output truncated and NaN as null; the list shows it", async () => {
    const w = await createWorkflow(db(), alice, "Run me", rsiGraph(["HPG", "HSG"]));
    if (!w.ok) throw new Error(w.error);
    expect(await startRun(db(), scratch.pool, bob, w.value.id)).toBeNull();
    const started = (await startRun(db(), scratch.pool, alice, w.value.id))!;
    const seen: string[] = [];
    runChannel(started.runId)!.subscribe(() => seen.push("event"));
    const result = await started.finished;
    expect(result.status).toBe("success");
    expect(seen.length).toBeGreaterThan(5);
    expect(runChannel(started.runId)!.events().filter((e) => e.status === "success").map((e) => e.nodeId)).toEqual(["t", "c", "r", "th", "s"]);
    const row = (await getRun(db(), alice, w.value.id, started.runId))!;
    expect(row).toMatchObject({ status: "success", errorMessage: null });
    expect(row.durationMs).toBeGreaterThanOrEqual(0);
    const nodes = (row.result as { nodes: Record<string, { status: string; output: Record<string, unknown> }> }).nodes;
    expect(Object.keys(nodes).sort()).toEqual(["c", "r", "s", "t", "th"]);
    const hpg = (nodes.r!.output.series as Record<string, { values: { truncated: boolean; size: number; head: unknown[] } }>).HPG!;
    expect(hpg.values).toMatchObject({ truncated: true, size: 250 });
    expect(hpg.values.head[0]).toBeNull(); // the warm-up bars' NaN
    expect((nodes.s!.output.signals as unknown[]).length).toBe(2);
    // Every time stored is Vietnam time: the trigger's instant with +07:00, daily bars as their dates.
    expect((nodes.t!.output.trigger as { at: string }).at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+07:00$/);
    const closes = (nodes.c!.output.close as Record<string, { times: { tail: unknown[] } }>).HPG!;
    expect(closes.times.tail.at(-1)).toBe("2025-11-01"); // the 300th day from Monday 6 Jan 2025 (00:00 in Vietnam)
    const bars = (nodes.c!.output.candles as Record<string, { tail: { time: unknown }[] }>).HPG!;
    expect(bars.tail.at(-1)!.time).toBe("2025-11-01");
    for (const row of nodes.s!.output.signals as { time: string }[]) expect(row.time).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The trigger event is recorded with the result: the lists read the run's mode from it.
    expect((row.result as { trigger: { kind: string } }).trigger.kind).toBe("manual");
    expect(await getRun(db(), bob, w.value.id, started.runId)).toBeNull();
    const page = (await listRunsPage(db(), alice, w.value.id))!;
    expect(page.rows.map((r) => r.id)).toEqual([started.runId]);
    expect(await listRunsPage(db(), bob, w.value.id)).toBeNull();
    const summary = (await listWorkflowSummaries(db(), alice)).find((s) => s.id === w.value.id)!;
    expect(summary.lastRun).toMatchObject({ id: started.runId, status: "success" });
  });

  it("a run over the result budget is stored trimmed and says so; its own answer (the done event) is whole", async () => {
    const w = await createWorkflow(db(), alice, "Big result", rsiGraph(["HPG", "HSG", "VCB"]));
    if (!w.ok) throw new Error(w.error);
    const started = (await startRun(db(), scratch.pool, alice, w.value.id, { resultBudgetKb: 16 }))!;
    await started.finished;
    const full = runChannel(started.runId)!.done()!.result as Record<string, unknown>;
    expect(full.trimmed).toBeUndefined();
    expect(jsonBytes(full)).toBeGreaterThan(16 * 1024);
    const stored = (await getRun(db(), alice, w.value.id, started.runId))!.result as Record<string, unknown>;
    // jsonb writes its text a little differently (spaces after separators): the budget holds for the JSON written.
    expect(jsonBytes(stored)).toBeLessThanOrEqual(16 * 1024);
    expect(stored.trimmed).toMatchObject({ budgetBytes: 16 * 1024, fullBytes: jsonBytes(full) });
    // Trimmed or not, the stored result keeps the trigger event (the run's mode); the done event has it too.
    expect(stored.trigger).toMatchObject({ kind: "manual" });
    expect(full.trigger).toEqual(stored.trigger);
    const kept = (stored.trimmed as { keptPoints: number }).keptPoints;
    expect(kept).toBeGreaterThanOrEqual(1);
    type Series = { values: { size: number; head: unknown[]; tail: unknown[]; summary: unknown } };
    const storedRsi = ((stored.nodes as Record<string, { output: { series: Record<string, Series> } }>).r!.output.series).VCB!;
    const fullRsi = ((full.nodes as Record<string, { output: { series: Record<string, Series> } }>).r!.output.series).VCB!;
    expect(storedRsi.values.size).toBe(250);
    expect(storedRsi.values.tail).toEqual(fullRsi.values.tail.slice(-kept));
    expect(storedRsi.values.summary).toEqual(fullRsi.values.summary);
    // A small result is stored whole, with no note.
    const small = await createWorkflow(db(), alice, "Small result", rsiGraph(["HPG"]));
    if (!small.ok) throw new Error(small.error);
    const run2 = (await startRun(db(), scratch.pool, alice, small.value.id, { resultBudgetKb: 64 }))!;
    await run2.finished;
    const stored2 = (await getRun(db(), alice, small.value.id, run2.runId))!.result as Record<string, unknown>;
    expect(stored2.trimmed).toBeUndefined();
    expect(stored2).toEqual(runChannel(run2.runId)!.done()!.result);
  });

  it("a node that throws or runs past its limit fails the run with its name; the rest is recorded", async () => {
    const registry = createRegistry([
      ...BUILT_IN_NODES,
      defineNode({ type: "test.boom", label: "Boom", category: "logic", description: "", inputs: [], outputs: [{ id: "series", label: "S", type: "series" }], params: z.object({}), execute: () => { throw new Error("kaboom"); } }),
      defineNode({ type: "test.slow", label: "Slow", category: "logic", description: "", inputs: [], outputs: [{ id: "series", label: "S", type: "series" }], params: z.object({}), execute: () => new Promise(() => {}) }),
    ]);
    const graph = (type: string): WorkflowGraph => ({
      schemaVersion: 1,
      nodes: [
        { id: "x", type, position: { x: 0, y: 0 }, data: { label: "Bad node", params: {} } },
        { id: "r", type: "indicator.rsi", position: { x: 0, y: 0 }, data: { params: {} } },
      ],
      edges: [{ id: "e", source: "x", target: "r" }],
    });
    for (const [type, message] of [
      ["test.boom", 'Bad node" (x) failed: kaboom'],
      ["test.slow", 'Bad node" (x) failed: ran past its limit of 200 ms'],
    ] as const) {
      const [row] = await db().insert(schema.workflows).values({ userId: alice, name: `fails ${type}`, jsonGraph: graph(type) }).returning();
      const started = (await startRun(db(), scratch.pool, alice, row!.id, { registry, nodeTimeoutMs: 200 }))!;
      expect((await started.finished).status).toBe("failed");
      const log = (await getRun(db(), alice, row!.id, started.runId))!;
      expect(log.status).toBe("failed");
      expect(log.errorMessage).toContain(message);
      expect((log.result as { nodes: Record<string, { status: string }> }).nodes).toMatchObject({ x: { status: "failed" }, r: { status: "skipped" } });
    }
  });

  it("a run that reads past its memory budget fails at the node that passed it, naming the budget, and reads no further", async () => {
    // 0.15 MB ≈ 614 bars at BYTES_PER_BAR: the first node's 250 bars fit, the second node's 3 × 250 do not.
    const candles = (id: string, label: string, symbols: string[]) => ({ id, type: "data.candles", position: { x: 0, y: 0 }, data: { label, params: { symbols, resolution: "1D", lookback: 250 } } });
    const graph: WorkflowGraph = {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [{ id: "t", type: "trigger.manual", position: { x: 0, y: 0 }, data: { params: {} } }, candles("a", "Steel leader", ["HPG"]), candles("b", "Whole watchlist", ["HPG", "HSG", "VCB"])],
      edges: [
        { id: "ta", source: "t", target: "a", targetHandle: "trigger" },
        { id: "tb", source: "t", target: "b", targetHandle: "trigger" },
      ],
    };
    const [row] = await db().insert(schema.workflows).values({ userId: alice, name: "over budget", jsonGraph: graph }).returning();
    const started = (await startRun(db(), scratch.pool, alice, row!.id, { memoryMb: 0.15 }))!;
    const result = await started.finished;
    expect(result.status).toBe("failed");
    expect(result.nodes.a).toMatchObject({ status: "success" });
    expect(result.nodes.b).toMatchObject({ status: "failed" });
    const log = (await getRun(db(), alice, row!.id, started.runId))!;
    // One statement reads the three symbols; the database stops counting one bar past what is left.
    expect(log.errorMessage).toMatch(/"Whole watchlist" \(b\) failed: reading 3 symbol\(s\) at 1D over 250 bars \(at least 365 bars\) brought this run to 615 bars \(about 0.15 MB in memory\), over its memory budget of 0.15 MB \(QUANTFLOW_RUN_MEMORY_MB\)/);
    // The same graph within a budget that holds it runs through.
    const ok = (await startRun(db(), scratch.pool, alice, row!.id, { memoryMb: 1 }))!;
    expect((await ok.finished).status).toBe("success");
  });

  it("the memory budget counts bars across the run and stops at the first read past it", () => {
    const budget = new RunMemoryBudget(1); // 4,096 bars of BYTES_PER_BAR
    budget.charge(4000, "a");
    expect(budget.bytesUsed).toBe(4000 * BYTES_PER_BAR);
    expect(() => budget.charge(96, "b")).not.toThrow();
    expect(() => budget.charge(1, "reading X")).toThrow(RunMemoryBudgetError);
  });

  it("a stored graph that no longer passes its checks is a failed run naming the problem", async () => {
    const [row] = await db().insert(schema.workflows).values({ userId: alice, name: "stale", jsonGraph: { ...emptyGraph(), nodes: [{ id: "q", type: "gone.node", position: { x: 0, y: 0 }, data: { params: {} } }] } }).returning();
    const started = (await startRun(db(), scratch.pool, alice, row!.id))!;
    await started.finished;
    expect(await getRun(db(), alice, row!.id, started.runId)).toMatchObject({ status: "failed", errorMessage: expect.stringContaining('unknown node type "gone.node"') });
  });
});
