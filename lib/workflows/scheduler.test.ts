/**
 * Schedules exactly once per tick with TWO app instances (two pg-boss objects, two pools) on one
 * database: both tick the same minutes (a fake clock: tick(now) is called directly), and every tick of an
 * active scheduled workflow runs once. Non-trading days are skipped when asked; a deactivated or deleted
 * workflow has no schedule any more.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { JobRunner } from "@/lib/jobs/runner";
import { runJobHandler } from "./run";
import { firesAt, RETENTION_MINUTE, RETENTION_QUEUE, tickJobId, WorkflowScheduler } from "./scheduler";
import { setWorkflowActive } from "./store";

const scratch = scratchDatabaseForFile("workflow_scheduler");
const pools: pg.Pool[] = [];
const instances: WorkflowScheduler[] = [];
const runners: JobRunner[] = [];
let userId = "";

function scheduled(cron: string, tradingDaysOnly: boolean) {
  return {
    schemaVersion: 1,
    nodes: [{ id: "tick", type: "trigger.schedule", position: { x: 0, y: 0 }, data: { label: "Every minute", params: { cron, tradingDaysOnly } } }],
    edges: [],
  };
}

async function addWorkflow(name: string, cron: string, tradingDaysOnly: boolean): Promise<string> {
  const { rows } = await scratch.pool.query<{ id: string }>("INSERT INTO workflows (user_id, name, json_graph, is_active) VALUES ($1, $2, $3, true) RETURNING id", [
    userId,
    name,
    JSON.stringify(scheduled(cron, tradingDaysOnly)),
  ]);
  return rows[0]!.id;
}

const logs = async (workflowId: string) =>
  (await scratch.pool.query<{ status: string }>("SELECT status FROM workflow_execution_logs WHERE workflow_id = $1", [workflowId])).rows.map((r) => r.status);

async function settled(workflowId: string, expected: number): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const rows = await logs(workflowId);
    if (rows.length >= expected && rows.every((s) => s === "success" || s === "failed")) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // A little longer: a duplicate, if there were one, would show up now.
  await new Promise((r) => setTimeout(r, 1200));
  return logs(workflowId);
}

beforeAll(async () => {
  userId = (await scratch.pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ('sched@example.com', 'x') RETURNING id")).rows[0]!.id;
  // Two app instances: each its own pool and its own pg-boss, one database. Started one after the other
  // as two deployments would be (pg-boss creates its schema on the first start).
  for (let i = 0; i < 2; i++) {
    const pool = new pg.Pool({ connectionString: scratch.url, max: 4 });
    pool.on("error", () => undefined);
    pools.push(pool);
    const db = drizzle(pool, { schema });
    // Each instance also runs the run queue the ticks feed (lib/jobs), as the app does.
    const jobs = new JobRunner({
      pool,
      schema: "pgboss_test",
      supervise: false,
      pollingIntervalSeconds: 0.5,
      dispatchIntervalMs: 300,
      concurrency: { "workflow-run": 2, backfill: 1 },
      handlers: { "workflow-run": runJobHandler(db, pool) },
      log: () => {},
    });
    await jobs.start();
    runners.push(jobs);
    const instance = new WorkflowScheduler({ db, pool, schema: "pgboss_test", pollingIntervalSeconds: 0.5, supervise: false, log: () => {}, wake: () => jobs.wake("workflow-run") });
    await instance.start();
    instances.push(instance);
  }
});

afterAll(async () => {
  for (const s of instances) await s.stop();
  for (const r of runners) await r.stop();
  for (const p of pools) await p.end();
});

const vn = (local: string) => new Date(`${local}:00+07:00`);

describe("the tick", () => {
  it("fires on the cron's minutes in Vietnam time, honouring trading days", () => {
    expect(firesAt("15 15 * * 1-5", vn("2026-11-26T15:15"), true)).toBe(true);
    expect(firesAt("15 15 * * 1-5", vn("2026-11-26T15:16"), true)).toBe(false);
    expect(firesAt("* * * * *", vn("2026-11-28T10:00"), true)).toBe(false); // a Saturday
    expect(firesAt("* * * * *", vn("2026-11-28T10:00"), false)).toBe(true);
    expect(tickJobId("a", "b", vn("2026-11-26T10:00"))).toBe(tickJobId("a", "b", vn("2026-11-26T10:00")));
    expect(tickJobId("a", "b", vn("2026-11-26T10:00"))).not.toBe(tickJobId("a", "b", vn("2026-11-26T10:01")));
  });
});

describe("two instances on one database", () => {
  it("run an every-minute workflow exactly once per tick", async () => {
    const id = await addWorkflow("Every minute", "* * * * *", true);
    const ticks = ["2026-11-26T09:00", "2026-11-26T09:01", "2026-11-26T09:02", "2026-11-26T09:03"].map(vn);
    for (const t of ticks) {
      // Both instances tick the same minute at the same time (seconds apart in real life).
      const created = await Promise.all(instances.map((s, k) => s.tick(new Date(t.getTime() + k * 1500))));
      expect(created.reduce((a, b) => a + b, 0)).toBe(1);
      // A late tick of the same minute adds nothing either.
      expect(await instances[1]!.tick(new Date(t.getTime() + 59_000))).toBe(0);
    }
    const rows = await settled(id, ticks.length);
    expect(rows).toEqual(ticks.map(() => "success"));
  });

  it("skip non-trading days when asked, and not otherwise", async () => {
    const tradingOnly = await addWorkflow("Trading days", "0 10 * * *", true);
    const everyDay = await addWorkflow("Every day", "0 10 * * *", false);
    const saturday = vn("2026-11-28T10:00");
    await Promise.all(instances.map((s) => s.tick(saturday)));
    expect(await settled(everyDay, 1)).toEqual(["success"]);
    expect(await logs(tradingOnly)).toEqual([]);
  });

  it("no longer run a workflow once it is deactivated or deleted", async () => {
    await scratch.pool.query("UPDATE workflows SET is_active = false"); // the earlier cases' workflows
    const paused = await addWorkflow("Paused", "30 11 * * *", false);
    const deleted = await addWorkflow("Deleted", "30 11 * * *", false);
    await setWorkflowActive(drizzle(scratch.pool, { schema }), userId, paused, false);
    await scratch.pool.query("DELETE FROM workflows WHERE id = $1", [deleted]);
    const created = await Promise.all(instances.map((s) => s.tick(vn("2026-11-26T11:30"))));
    expect(created).toEqual([0, 0]);
    expect(await settled(paused, 0)).toEqual([]);
  });

  it("send one prune job an hour however many instances tick, and it prunes once by the settings", async () => {
    const wf = await addWorkflow("Pruned", "0 0 1 1 *", false);
    const { rows } = await scratch.pool.query<{ id: string; old: boolean }>(
      `INSERT INTO workflow_execution_logs (workflow_id, status, executed_at)
       VALUES ($1, 'success', now() - interval '60 days'), ($1, 'running', now() - interval '60 days'), ($1, 'failed', now() - interval '1 day')
       RETURNING id, executed_at < now() - interval '30 days' AS old`,
      [wf],
    );
    const hourJobs = async () => (await scratch.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss_test.job WHERE name = $1", [RETENTION_QUEUE])).rows[0]!.n;
    const before = await hourJobs();
    // Not at other minutes; at the retention minute, both instances (and a late tick) send one job between them.
    await Promise.all(instances.map((s) => s.tick(new Date(Date.UTC(2026, 10, 26, 3, RETENTION_MINUTE + 1)))));
    expect(await hourJobs()).toBe(before);
    const at = new Date(Date.UTC(2026, 10, 26, 3, RETENTION_MINUTE));
    await Promise.all(instances.map((s, k) => s.tick(new Date(at.getTime() + k * 1500))));
    await instances[0]!.tick(new Date(at.getTime() + 58_000));
    expect(await hourJobs()).toBe(before + 1);
    // The default settings (30 days): the old finished run goes; the old running one and the young one stay.
    const kept = async () => (await scratch.pool.query<{ id: string }>("SELECT id FROM workflow_execution_logs WHERE workflow_id = $1 ORDER BY id", [wf])).rows.map((r) => r.id);
    for (let i = 0; i < 100 && (await kept()).length === 3; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await kept()).toEqual([rows[1]!.id, rows[2]!.id].sort());
    expect(rows.map((r) => r.old)).toEqual([true, true, false]);
  });
});
