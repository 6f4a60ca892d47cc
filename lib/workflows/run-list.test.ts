/**
 * The run lists (run-list.ts listRunsKeyset, run.ts listRunsPage) on a real PostgreSQL database of this file's own: the digest SQL cuts out of a stored
 * result summarises as the whole result does, the status filter, keyset pages that neither skip nor
 * repeat runs started in the same millisecond, and another user's runs never appear.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { runWorkflow } from "./engine";
import { testContext } from "./nodes/test-context";
import { runDigest, summariseRun } from "./outcome";
import { defaultRegistry } from "./registry";
import { listRunsPage, resultJson } from "./run";
import { listRunsKeyset, parseRunCursor, parseRunsPageQuery, runStatusCondition, runStatusFilterSchema, type RunCursor } from "./run-list";
import { candles, rsiGraph } from "./test-graphs";

const scratch = scratchDatabaseForFile("run_list");
const db = () => drizzle(scratch.pool, { schema });
let alice = "";
let bob = "";
let aliceRsi = "";
let aliceOther = "";
let bobWf = "";

let signalResult: unknown;
let quietResult: unknown;

async function insertRun(workflowId: string, status: string, at: string, result: unknown = null, errorMessage: string | null = null): Promise<string> {
  const { rows } = await scratch.pool.query<{ id: string }>(
    "INSERT INTO workflow_execution_logs (workflow_id, status, executed_at, result, error_message) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [workflowId, status, at, result === null ? null : JSON.stringify(result), errorMessage],
  );
  return rows[0]!.id;
}

beforeAll(async () => {
  const pool = scratch.pool;
  const user = async (email: string) => (await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [email])).rows[0]!.id;
  const workflow = async (userId: string, name: string) =>
    (await pool.query<{ id: string }>("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, $2, $3) RETURNING id", [userId, name, JSON.stringify(rsiGraph(30))])).rows[0]!.id;
  alice = await user("alice@example.com");
  bob = await user("bob@example.com");
  aliceRsi = await workflow(alice, "Steel RSI");
  aliceOther = await workflow(alice, "Banks");
  bobWf = await workflow(bob, "Bob's RSI");
  const signalRun = await runWorkflow(rsiGraph(30), defaultRegistry, testContext(candles, { trigger: { kind: "schedule", at: "2026-11-26T15:00:00+07:00" } }));
  signalResult = { ...(resultJson(signalRun) as object), trigger: { kind: "schedule", at: "2026-11-26T15:00:00+07:00" } };
  quietResult = resultJson(await runWorkflow(rsiGraph(0), defaultRegistry, testContext(candles))); // a run stored before the trigger was recorded
});

describe("the runs of one workflow", () => {
  it("each row has its mode and its outcome in a few words, as the whole result summarises; filtered by status", async () => {
    const signal = await insertRun(aliceRsi, "success", "2026-11-30T08:00:00Z", signalResult);
    const quiet = await insertRun(aliceRsi, "success", "2026-11-30T07:00:00Z", quietResult);
    const failed = await insertRun(aliceRsi, "failed", "2026-11-30T06:00:00Z", { nodes: {} }, '"Bars" (c) failed: the symbol XYZ does not exist');
    const queued = await insertRun(aliceRsi, "pending", "2026-11-30T09:00:00Z");
    const page = (await listRunsPage(db(), alice, aliceRsi))!;
    expect(page.total).toBe(4);
    expect(page.rows.map((r) => [r.id, r.mode, r.summary])).toEqual([
      [queued, "unknown", "Queued"],
      [signal, "scheduled", "1 signal: TLH · 1 alert: RSI oversold"],
      [quiet, "manual", "No signals"],
      [failed, "unknown", 'Failed: "Bars" (c) failed: the symbol XYZ does not exist'],
    ]);
    // The SQL digest summarises exactly as the whole stored result does.
    expect(page.rows[1]!.summary).toBe(summariseRun({ status: "success" }, runDigest(signalResult)).summary);

    const failedOnly = (await listRunsPage(db(), alice, aliceRsi, { status: "failed" }))!;
    expect(failedOnly).toMatchObject({ total: 1, totalOver: false, older: null, newer: null });
    expect(failedOnly.rows.map((r) => r.id)).toEqual([failed]);
    expect(runStatusFilterSchema.safeParse("nonsense").success).toBe(false);
    expect(runStatusFilterSchema.parse(undefined)).toBeUndefined();
  });

  it("another user's workflow is not found, and its runs are not listed", async () => {
    await insertRun(bobWf, "success", "2026-11-30T08:00:00Z", signalResult);
    expect(await listRunsPage(db(), alice, bobWf)).toBeNull();
    expect(await listRunsPage(db(), bob, aliceRsi)).toBeNull();
    expect((await listRunsKeyset(db(), alice, { workflowId: bobWf })).rows).toEqual([]);
  });
});

describe("the executions page", () => {
  it("lists every workflow of the user newest first, in keyset pages that neither skip nor repeat runs of the same millisecond, never another user's", async () => {
    // 7 runs of 'Banks' within one millisecond (microseconds apart) and 3 more of Bob's at the same instants.
    const banks: string[] = [];
    for (let i = 0; i < 7; i++) banks.push(await insertRun(aliceOther, i % 2 ? "failed" : "success", `2026-12-01T02:00:00.00012${i}Z`, quietResult, i % 2 ? "stopped" : null));
    for (let i = 0; i < 3; i++) await insertRun(bobWf, "success", `2026-12-01T02:00:00.00012${i}Z`, signalResult);
    const { rows: all } = await scratch.pool.query<{ id: string }>(
      "SELECT l.id FROM workflow_execution_logs l JOIN workflows w ON w.id = l.workflow_id WHERE w.user_id = $1 ORDER BY l.executed_at DESC, l.id DESC",
      [alice],
    );
    const seen: string[] = [];
    let before: RunCursor | null = null;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const page = await listRunsKeyset(db(), alice, { before, limit: 3 });
      seen.push(...page.rows.map((r) => r.id));
      for (const r of page.rows) expect([aliceRsi, aliceOther]).toContain(r.workflowId);
      if (!page.older) break;
      // The cursor goes through the page's link and back.
      before = parseRunCursor(page.older);
      expect(before).not.toBeNull();
    }
    expect(seen).toEqual(all.map((r) => r.id));
    expect(seen.slice(0, 7)).toEqual([...banks].reverse());
    const first = await listRunsKeyset(db(), alice, { limit: 1 });
    expect(first.rows[0]).toMatchObject({ workflowName: "Banks", mode: "manual", summary: "No signals" });

    const failed = await listRunsKeyset(db(), alice, { where: runStatusCondition("failed") });
    expect(failed.rows.length).toBeGreaterThan(0);
    expect(failed.rows.every((r) => r.status === "failed")).toBe(true);

    const bobs = await listRunsKeyset(db(), bob);
    expect(bobs.rows.length).toBe(4);
    expect(bobs.rows.every((r) => r.workflowId === bobWf && r.workflowName === "Bob's RSI")).toBe(true);
  });

  it("refuses a cursor that is not one, and a status that is not one", () => {
    expect(parseRunCursor("2026-12-01T02:00:00Z_x")).toBeNull();
    expect(parseRunCursor("'; DROP TABLE users; --")).toBeNull();
    expect(runStatusFilterSchema.safeParse("'; DROP TABLE users; --").success).toBe(false);
    expect(runStatusFilterSchema.parse("failed")).toBe("failed");
  });

  it("a page's query: what it cannot read is left out and named, the rest applied", () => {
    const cursor = "2026-12-01T02:00:00.123456Z_0b0e7a52-8f7e-4c55-9d55-0d2b3f3f7a10";
    expect(parseRunsPageQuery({ status: "failed", before: cursor })).toEqual({
      status: "failed",
      before: { executedAt: "2026-12-01T02:00:00.123456Z", id: "0b0e7a52-8f7e-4c55-9d55-0d2b3f3f7a10" },
      after: null,
      problems: [],
    });
    expect(parseRunsPageQuery({})).toEqual({ status: undefined, before: null, after: null, problems: [] });
    const bad = parseRunsPageQuery({ status: "done", after: "yesterday" });
    expect(bad).toMatchObject({ status: undefined, before: null, after: null });
    expect(bad.problems).toEqual(["not filtered: status is one of pending, running, success, failed", "not a runs list position: shown from the newest"]);
  });
});
