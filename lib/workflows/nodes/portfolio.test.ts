/**
 * The Allocate node in a recorded run of a saved workflow (real PostgreSQL, a database of this file's
 * own): a sector's stocks in, the allocation table and its metrics out, saved for the workflow's owner
 * when asked; a refused allocation fails the node by name and saves nothing.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { isTradingDay, previousTradingDay, vnDateOf, vnMidnightUtc } from "@/lib/market/calendar";
import { ingestDailyBars } from "@/lib/market/ingest";
import { roundToTick } from "@/lib/market/rules";
import { tradingDaysBack } from "@/lib/market/universe-closes";
import { normalDraws, tradingDays } from "@/test/synthetic-daily-series";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "../graph";
import { getRun, startRun } from "../run";
import { createWorkflow } from "../store";

const scratch = scratchDatabaseForFile("workflow_allocate");
const db = () => drizzle(scratch.pool, { schema });
let owner = "";
const today = vnDateOf(new Date());
const last = isTradingDay(today) ? today : previousTradingDay(today);

beforeAll(async () => {
  const pool = scratch.pool;
  owner = (await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ('owner@example.com', 'x') RETURNING id")).rows[0]!.id;
  await pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
       ('HPG', 'Hoa Phat', 'stock', 'HOSE', 'Steel'), ('HSG', 'Hoa Sen', 'stock', 'HOSE', 'Steel'), ('NKG', 'Nam Kim', 'stock', 'HOSE', 'Steel'), ('VCB', 'Vietcombank', 'stock', 'HOSE', 'Banks')`,
  );
  const days = tradingDays(tradingDaysBack(last, 300), last);
  const rows = ["HPG", "HSG", "NKG"].flatMap((symbol, k) => {
    const draw = normalDraws(40 + k);
    let p = 20_000 + 3_000 * k;
    return days.map((day) => {
      // Within HOSE's ±7 % daily limit, which ingest enforces.
      p *= Math.exp(Math.max(-0.06, Math.min(0.06, 0.0006 - 0.0002 * k + 0.018 * draw())));
      const close = roundToTick("HOSE", p);
      return { time: vnMidnightUtc(day), symbol, open: close, high: close, low: close, close, volume: 1_000 };
    });
  });
  await ingestDailyBars(pool, rows);
});

function graph(params: Record<string, unknown>, sector = "Steel"): WorkflowGraph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      { id: "t", type: "trigger.manual", position: { x: 0, y: 0 }, data: { params: {} } },
      { id: "u", type: "data.universe", position: { x: 300, y: 0 }, data: { params: { sector } } },
      { id: "a", type: "portfolio.allocate", position: { x: 600, y: 0 }, data: { params } },
    ],
    edges: [
      { id: "e1", source: "t", target: "u", sourceHandle: "trigger", targetHandle: "trigger" },
      { id: "e2", source: "u", target: "a", sourceHandle: "universe", targetHandle: "universe" },
    ],
  } as WorkflowGraph;
}

async function run(name: string, g: WorkflowGraph) {
  const w = await createWorkflow(db(), owner, name, g);
  if (!w.ok) throw new Error(w.error);
  const started = (await startRun(db(), scratch.pool, owner, w.value.id))!;
  const result = await started.finished;
  return { workflowId: w.value.id, result, row: (await getRun(db(), owner, w.value.id, started.runId))! };
}

const savedSets = async () => (await scratch.pool.query("SELECT id, workflow_id, method FROM portfolio_allocation_sets")).rows;

describe("Allocate node", () => {
  it("allocates a sector's stocks, outputs the table and metrics, and saves it for the workflow's owner", async () => {
    const { workflowId, result, row } = await run("Steel allocation", graph({ method: "min_volatility", lookbackDays: 200, save: true, name: "Steel from a workflow" }));
    expect(result.status, result.errorMessage ?? undefined).toBe("success");
    const node = (row.result as { nodes: Record<string, { output: { allocation: unknown; info: Record<string, unknown> } }> }).nodes.a!;
    const table = node.output.allocation as { symbol: string; weight: number; riskContribution: number }[];
    expect(table.map((r) => r.symbol).sort()).toEqual(["HPG", "HSG", "NKG"]);
    expect(table.reduce((s, r) => s + r.weight, 0)).toBeCloseTo(1, 9);
    expect(node.output.info).toMatchObject({ method: "min_volatility", asOf: last, excluded: [] });
    const sets = await savedSets();
    expect(sets).toEqual([{ id: node.output.info.savedAllocationId, workflow_id: workflowId, method: "min_volatility" }]);
    const { rows } = await scratch.pool.query("SELECT sum(a.allocation_pct::numeric)::text AS total, bool_and(a.user_id = $2) AS mine FROM portfolio_allocation_set_rows r JOIN portfolio_allocations a ON a.id = r.allocation_id WHERE r.set_id = $1", [sets[0].id, owner]);
    expect(Number(rows[0].total)).toBe(100);
    expect(rows[0].mine).toBe(true);
  });

  it("fails by name when the allocation is refused (a sector with one stock), saving nothing", async () => {
    const before = await savedSets();
    const { result } = await run("Banks allocation", graph({ method: "max_sharpe", save: true }, "Banks"));
    expect(result.status).toBe("failed");
    expect(result.errorMessage).toMatch(/Allocate.*at least two symbols; only VCB came in/);
    expect(await savedSets()).toEqual(before);
    const infeasible = await run("Too tight", graph({ method: "max_sharpe", maxWeight: 0.2, save: true }));
    expect(infeasible.result.errorMessage).toMatch(/at most 60 %/);
    expect(await savedSets()).toEqual(before);
  });
});
