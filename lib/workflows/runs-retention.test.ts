/**
 * Runs that stay small, on a real PostgreSQL database of this file's own: the retention by age and by count
 * per workflow deletes exactly the rows it should (never a queued or running one), again is a no-op, and two
 * concurrent passes delete once; the runs list's keyset pages keep the order (ties to the microsecond
 * included), meet at their boundaries, and are scoped by owner; the hourly prune job is sent once per hour
 * by any number of instances.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import * as schema from "@/db/schema";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { pruneRuns } from "./retention";
import { countRunsCapped, listRunsKeyset, parseRunCursor, RUN_COUNT_CAP } from "./run-list";
import { listRunsPage } from "./run";

const scratch = scratchDatabaseForFile("runs_retention");
const db = () => drizzle(scratch.pool, { schema });
const extraPools: pg.Pool[] = [];
let alice = "";
let bob = "";
let wfA = "";
let wfB = "";
let wfBob = "";

const NOW = new Date("2026-12-02T05:00:00Z");

beforeAll(async () => {
  const q = scratch.pool;
  const user = async (email: string) => (await q.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [email])).rows[0]!.id;
  alice = await user("alice@retention.example");
  bob = await user("bob@retention.example");
  const wf = async (userId: string, name: string) => (await q.query<{ id: string }>("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, $2, '{}') RETURNING id", [userId, name])).rows[0]!.id;
  wfA = await wf(alice, "A");
  wfB = await wf(alice, "B");
  wfBob = await wf(bob, "Bob's");
});

afterAll(async () => {
  for (const p of extraPools) await p.end().catch(() => {});
});

/** Inserts runs of a workflow: one per item, `ageDays` before NOW (fractions allowed), the status given. */
async function addRuns(workflowId: string, runs: { ageDays: number; status?: string }[]): Promise<string[]> {
  const { rows } = await scratch.pool.query<{ id: string }>(
    `INSERT INTO workflow_execution_logs (workflow_id, status, executed_at, result)
     SELECT $1, r.status, $2::timestamptz - make_interval(secs => r.age * 86400), '{"nodes": {}}'::jsonb
       FROM unnest($3::float8[], $4::text[]) WITH ORDINALITY AS r(age, status, n)
      ORDER BY r.n
     RETURNING id`,
    [workflowId, NOW, runs.map((r) => r.ageDays), runs.map((r) => r.status ?? "success")],
  );
  return rows.map((r) => r.id);
}

const idsOf = async (workflowId: string) =>
  (await scratch.pool.query<{ id: string }>("SELECT id FROM workflow_execution_logs WHERE workflow_id = $1 ORDER BY executed_at DESC, id DESC", [workflowId])).rows.map((r) => r.id);

describe("retention", () => {
  beforeEach(async () => {
    await scratch.pool.query("DELETE FROM workflow_execution_logs");
  });

  it("by age: deletes finished runs older than the setting, keeps newer ones and every queued or running one", async () => {
    const [oldOk, oldFailed, oldPending, oldRunning, young, edge] = await addRuns(wfA, [
      { ageDays: 40 },
      { ageDays: 31, status: "failed" },
      { ageDays: 45, status: "pending" },
      { ageDays: 50, status: "running" },
      { ageDays: 2 },
      { ageDays: 29.9 },
    ]);
    const bobsOld = await addRuns(wfBob, [{ ageDays: 60 }]);
    const outcome = await pruneRuns(scratch.pool, { maxAgeDays: 30, maxPerWorkflow: 0, now: NOW, batchSize: 1 });
    expect(outcome).toMatchObject({ skipped: false, deletedByAge: 3, deletedByCount: 0 });
    // Batches of one row, per workflow: A's two and the empty one that ends them, Bob's one and its empty one.
    expect(outcome.batches).toBe(5);
    expect((await idsOf(wfA)).sort()).toEqual([oldPending, oldRunning, young, edge].sort());
    expect(await idsOf(wfBob)).toEqual([]);
    expect(bobsOld).toHaveLength(1);
    expect([oldOk, oldFailed]).toHaveLength(2);
  });

  it("by count: each workflow keeps its newest N; older finished ones go, a queued or running one stays", async () => {
    // Newest first in idsOf: ages 0.1 … 1.0 for A (10 runs), the 8th newest still running.
    const a = await addRuns(wfA, Array.from({ length: 10 }, (_, i) => ({ ageDays: (i + 1) / 10, status: i === 7 ? "running" : i === 9 ? "pending" : "success" })));
    const b = await addRuns(wfB, [{ ageDays: 1 }, { ageDays: 2 }]);
    const outcome = await pruneRuns(scratch.pool, { maxAgeDays: 0, maxPerWorkflow: 4, now: NOW });
    // A: the 4 newest kept; of the 6 older, the running (8th) and the pending (10th) stay.
    expect(outcome).toMatchObject({ skipped: false, deletedByAge: 0, deletedByCount: 4 });
    expect(await idsOf(wfA)).toEqual([a[0], a[1], a[2], a[3], a[7], a[9]]);
    expect(await idsOf(wfB)).toEqual(b);
  });

  it("keeps runs of the same microsecond apart by id: exactly N stay", async () => {
    const { rows } = await scratch.pool.query<{ id: string }>(
      "INSERT INTO workflow_execution_logs (workflow_id, status, executed_at) SELECT $1, 'success', '2026-12-01T00:00:00.123456Z' FROM generate_series(1, 7) RETURNING id",
      [wfA],
    );
    expect(rows).toHaveLength(7);
    await pruneRuns(scratch.pool, { maxAgeDays: 0, maxPerWorkflow: 3, now: NOW, batchSize: 2 });
    const kept = await idsOf(wfA);
    expect(kept).toEqual(rows.map((r) => r.id).sort().reverse().slice(0, 3));
  });

  it("is idempotent: a second pass deletes nothing; 0 and 0 keep everything", async () => {
    await addRuns(wfA, Array.from({ length: 30 }, (_, i) => ({ ageDays: i * 2 })));
    const first = await pruneRuns(scratch.pool, { maxAgeDays: 30, maxPerWorkflow: 10, now: NOW, batchSize: 4 });
    expect(first.deletedByAge + first.deletedByCount).toBe(20);
    const kept = await idsOf(wfA);
    expect(kept).toHaveLength(10);
    const second = await pruneRuns(scratch.pool, { maxAgeDays: 30, maxPerWorkflow: 10, now: NOW, batchSize: 4 });
    expect(second).toMatchObject({ skipped: false, deletedByAge: 0, deletedByCount: 0 });
    expect(await pruneRuns(scratch.pool, { maxAgeDays: 0, maxPerWorkflow: 0, now: NOW })).toMatchObject({ deletedByAge: 0, deletedByCount: 0, batches: 0 });
    expect(await idsOf(wfA)).toEqual(kept);
  });

  it("two concurrent passes (two instances' pools) delete once: one holds the lock, the other returns", async () => {
    await addRuns(wfA, Array.from({ length: 400 }, (_, i) => ({ ageDays: 31 + i / 1000 })));
    await addRuns(wfA, [{ ageDays: 1 }]);
    const other = new pg.Pool({ connectionString: scratch.url, max: 2 });
    other.on("error", () => undefined);
    extraPools.push(other);
    // Batches of one row: the first pass takes long enough for the second to find the lock taken.
    const [x, y] = await Promise.all([
      pruneRuns(scratch.pool, { maxAgeDays: 30, maxPerWorkflow: 0, now: NOW, batchSize: 1 }),
      pruneRuns(other, { maxAgeDays: 30, maxPerWorkflow: 0, now: NOW, batchSize: 1 }),
    ]);
    expect([x.skipped, y.skipped].sort()).toEqual([false, true]);
    expect(x.deletedByAge + y.deletedByAge).toBe(400);
    expect(await idsOf(wfA)).toHaveLength(1);
    // The lock was released: the next pass runs (and finds nothing).
    expect(await pruneRuns(other, { maxAgeDays: 30, maxPerWorkflow: 0, now: NOW })).toMatchObject({ skipped: false, deletedByAge: 0 });
  });
});

describe("the runs list's keyset pages", () => {
  let runs: string[] = [];
  beforeAll(async () => {
    await scratch.pool.query("DELETE FROM workflow_execution_logs");
    // 45 runs of A, newest first: 5 share one microsecond (ties ordered by id), the rest a second apart.
    runs = await addRuns(wfA, Array.from({ length: 40 }, (_, i) => ({ ageDays: (i + 1) / 86_400 })));
    await scratch.pool.query("INSERT INTO workflow_execution_logs (workflow_id, status, executed_at) SELECT $1, 'success', $2::timestamptz - interval '20.5 seconds' + interval '1 microsecond' FROM generate_series(1, 5)", [
      wfA,
      NOW,
    ]);
    await scratch.pool.query("INSERT INTO workflow_execution_logs (workflow_id, status, executed_at) VALUES ($1, 'failed', $2)", [wfB, NOW]);
    await scratch.pool.query("INSERT INTO workflow_execution_logs (workflow_id, status, executed_at) VALUES ($1, 'success', $2)", [wfBob, NOW]);
    runs = await idsOf(wfA);
    expect(runs).toHaveLength(45);
  });

  it("walks every run once, newest first, ties by id, forwards and back", async () => {
    const seen: string[] = [];
    const cursors: (string | null)[] = [];
    let before = null as ReturnType<typeof parseRunCursor>;
    for (;;) {
      const page = await listRunsKeyset(db(), alice, { workflowId: wfA, before, limit: 10 });
      seen.push(...page.rows.map((r) => r.id));
      cursors.push(page.newer);
      if (!page.older) break;
      expect(page.rows).toHaveLength(10);
      before = parseRunCursor(page.older);
    }
    expect(seen).toEqual(runs);
    expect(cursors[0]).toBeNull(); // the first page is the newest
    // Back from the last page: the page before it again, the same rows in the same order.
    const last = await listRunsKeyset(db(), alice, { workflowId: wfA, before, limit: 10 });
    expect(last.rows.map((r) => r.id)).toEqual(runs.slice(40));
    const previous = await listRunsKeyset(db(), alice, { workflowId: wfA, after: parseRunCursor(last.newer), limit: 10 });
    expect(previous.rows.map((r) => r.id)).toEqual(runs.slice(30, 40));
    expect(previous.older).toBe(previous.rows.at(-1)!.cursor);
    // Back to the newest: its `newer` is null.
    const newest = await listRunsKeyset(db(), alice, { workflowId: wfA, after: parseRunCursor(previous.rows[0]!.cursor), limit: 50 });
    expect(newest.rows.map((r) => r.id)).toEqual(runs.slice(0, 30));
    expect(newest.newer).toBeNull();
  });

  it("a page boundary inside a microsecond tie loses and repeats nothing", async () => {
    const all = (await listRunsKeyset(db(), alice, { workflowId: wfA, limit: 200 })).rows;
    const tie = all.findIndex((r, i) => i > 0 && r.cursor.split("_")[0] === all[i - 1]!.cursor.split("_")[0]);
    expect(tie).toBeGreaterThan(0);
    const page = await listRunsKeyset(db(), alice, { workflowId: wfA, before: parseRunCursor(all[tie]!.cursor), limit: 3 });
    expect(page.rows.map((r) => r.id)).toEqual(all.slice(tie + 1, tie + 4).map((r) => r.id));
    expect(all[tie]!.cursor).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z_[0-9a-f-]{36}$/);
  });

  it("is scoped by the owner: another user's workflow gives nothing; all of mine without a workflow id", async () => {
    expect((await listRunsKeyset(db(), bob, { workflowId: wfA })).rows).toEqual([]);
    expect((await listRunsKeyset(db(), bob)).rows.map((r) => r.workflowId)).toEqual([wfBob]);
    const mine = await listRunsKeyset(db(), alice, { limit: 200 });
    expect(mine.rows).toHaveLength(46);
    expect(new Set(mine.rows.map((r) => r.workflowId))).toEqual(new Set([wfA, wfB]));
    expect(await listRunsPage(db(), bob, wfA)).toBeNull();
  });

  it("reads the summary columns and the outcome's digest only, never the result; takes extra conditions", async () => {
    const page = await listRunsKeyset(db(), alice, { workflowId: wfA, limit: 1 });
    expect(Object.keys(page.rows[0]!).sort()).toEqual(["cursor", "durationMs", "errorMessage", "executedAt", "id", "mode", "status", "summary", "tone", "workflowId", "workflowName"]);
    expect(page.rows[0]).toMatchObject({ workflowName: "A", mode: "unknown", summary: "No signals", tone: "quiet" });
    const failed = await listRunsKeyset(db(), alice, { where: inArray(schema.workflowExecutionLogs.status, ["failed"]) });
    expect(failed.rows.map((r) => r.workflowId)).toEqual([wfB]);
  });

  it("a malformed cursor is no cursor; limits are clamped", async () => {
    for (const bad of ["", "x", "2026-12-02T04:00:00Z", "2026-13-45T99:00:00Z_6f1c3f9e-2f55-4b0e-9a38-0c0d1b7c9a11", "2026-12-02T04:00:00Z_'; DROP TABLE x"]) {
      expect(parseRunCursor(bad)).toBeNull();
    }
    expect(parseRunCursor("2026-12-02T04:00:00.123456Z_6F1C3F9E-2F55-4B0E-9A38-0C0D1B7C9A11")).toEqual({ executedAt: "2026-12-02T04:00:00.123456Z", id: "6f1c3f9e-2f55-4b0e-9a38-0c0d1b7c9a11" });
    expect((await listRunsKeyset(db(), alice, { workflowId: wfA, limit: 0 })).rows).toHaveLength(1);
    expect((await listRunsKeyset(db(), alice, { workflowId: wfA, limit: 10_000 })).rows).toHaveLength(45);
  });

  it("the runs page's count stops at the cap", async () => {
    expect(await countRunsCapped(db(), wfA)).toEqual({ count: 45, over: false });
    const page = (await listRunsPage(db(), alice, wfA))!;
    expect(page).toMatchObject({ total: 45, totalOver: false });
    expect(page.rows).toHaveLength(20);
    expect(RUN_COUNT_CAP).toBe(1_000);
    await scratch.pool.query("INSERT INTO workflow_execution_logs (workflow_id, status) SELECT $1, 'success' FROM generate_series(1, $2::int)", [wfB, RUN_COUNT_CAP]);
    expect(await countRunsCapped(db(), wfB)).toEqual({ count: RUN_COUNT_CAP, over: true });
    expect((await listRunsPage(db(), alice, wfB))!).toMatchObject({ total: RUN_COUNT_CAP, totalOver: true });
  });
});
