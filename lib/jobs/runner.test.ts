/**
 * The job runner against a real PostgreSQL (a database of this file's own) with TWO instances, each its
 * own pool and pg-boss on one schema, as two app servers would be: the global and per-user limits hold
 * across them, a user's queue is capped, jobs queued while no instance runs start on the next one, a
 * backfill interrupted by a crash is taken over by another instance and completes, a run interrupted the
 * same way ends failed saying why, and a graceful stop puts a backfill back in the queue.
 *
 * Backfills run the real handler against the DNSE stand-in (made-up bars), through a fetch that counts
 * the requests in flight per user, so "at once against DNSE" is measured where it matters.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import * as schema from "@/db/schema";
import { backfillJob, backfillJobHandler, startBackfill } from "@/lib/market/backfill";
import type { DnseFetchOptions } from "@/lib/market/dnse-chart";
import { BUILT_IN_NODES, createRegistry, defineNode } from "@/lib/workflows/registry";
import { queueRun, runJobHandler } from "@/lib/workflows/run";
import { startDnseChartStandIn, type DnseChartStandIn } from "@/test/dnse-chart-stand-in";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { jobsAhead, QueueFullError, readJob, readJobOfRun } from "./queue";
import { JobRunner, type JobRunnerOptions } from "./runner";

const scratch = scratchDatabaseForFile("jobs");
const BOSS_SCHEMA = "pgboss_jobs_test";
let dnse: DnseChartStandIn;
const users: Record<string, string> = {};
const pools: pg.Pool[] = [];
const runners: JobRunner[] = [];

// ---------------------------------------------------------------- what the jobs do, measured

/** Requests in flight at DNSE's stand-in: in all and per user (each user backfills symbols of their own prefix). */
const dnseLoad = { now: 0, max: 0, perUser: new Map<string, number>(), maxPerUser: 0, delayMs: 60, hold: null as Promise<void> | null, holdSymbol: "" };
/** The backfills' clock: March 2025 is within DNSE's ~90 days of minute history (lib/market/backfill.ts). */
const DNSE_NOW = Date.parse("2025-03-25T00:00:00Z");
function dnseOptions(): DnseFetchOptions {
  return {
    baseUrl: dnse.url,
    now: () => DNSE_NOW,
    log: () => {},
    sleep: async () => {},
    random: () => 0.5,
    maxAttempts: 2,
    timeoutMs: 60_000,
    fetch: async (url, init) => {
      const symbol = new URL(String(url)).searchParams.get("symbol")!;
      const who = symbol.slice(0, 1);
      dnseLoad.now++;
      dnseLoad.perUser.set(who, (dnseLoad.perUser.get(who) ?? 0) + 1);
      dnseLoad.max = Math.max(dnseLoad.max, dnseLoad.now);
      dnseLoad.maxPerUser = Math.max(dnseLoad.maxPerUser, dnseLoad.perUser.get(who)!);
      try {
        await new Promise((r) => setTimeout(r, dnseLoad.delayMs));
        if (dnseLoad.hold && symbol === dnseLoad.holdSymbol) {
          // A DNSE that does not answer (until the test lets it): the job hangs mid-chunk.
          await Promise.race([dnseLoad.hold, new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason), { once: true }))]);
        }
        return await fetch(url, init);
      } finally {
        dnseLoad.now--;
        dnseLoad.perUser.set(who, dnseLoad.perUser.get(who)! - 1);
      }
    },
  };
}

/** Runs in flight, in all and per workflow tag (one tag per user). */
const runLoad = { now: 0, max: 0, perTag: new Map<string, number>(), maxPerTag: 0, hold: null as Promise<void> | null };
const registry = createRegistry([
  ...BUILT_IN_NODES,
  defineNode({
    type: "test.work",
    label: "Work",
    category: "output",
    description: "",
    inputs: [],
    outputs: [{ id: "series", label: "S", type: "series" }],
    params: z.object({ tag: z.string(), ms: z.number().default(120), hang: z.boolean().default(false) }),
    async execute(_inputs, params, ctx) {
      runLoad.now++;
      runLoad.perTag.set(params.tag, (runLoad.perTag.get(params.tag) ?? 0) + 1);
      runLoad.max = Math.max(runLoad.max, runLoad.now);
      runLoad.maxPerTag = Math.max(runLoad.maxPerTag, runLoad.perTag.get(params.tag)!);
      try {
        await new Promise((r) => setTimeout(r, params.ms));
        if (params.hang && runLoad.hold) await Promise.race([runLoad.hold, new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true }))]);
        return { series: {} };
      } finally {
        runLoad.now--;
        runLoad.perTag.set(params.tag, runLoad.perTag.get(params.tag)! - 1);
      }
    },
  }),
]);

// ---------------------------------------------------------------- instances

function newPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: scratch.url, max: 6 });
  pool.on("error", () => undefined);
  pools.push(pool);
  return pool;
}

/** One app instance: its own pool, pg-boss and workers, on the shared database and pg-boss schema. */
async function startInstance(overrides: Partial<JobRunnerOptions> = {}, pool = newPool()): Promise<{ runner: JobRunner; pool: pg.Pool }> {
  const db = drizzle(pool, { schema });
  const runner = new JobRunner({
    pool,
    schema: BOSS_SCHEMA,
    supervise: false,
    pollingIntervalSeconds: 0.5,
    dispatchIntervalMs: 150,
    heartbeatMs: 100,
    staleAfterMs: 60_000,
    concurrency: { "workflow-run": 2, backfill: 2 },
    handlers: { backfill: backfillJobHandler(pool, dnseOptions), "workflow-run": runJobHandler(db, pool, { registry }) },
    log: () => {},
    ...overrides,
  });
  await runner.start();
  runners.push(runner);
  return { runner, pool };
}

/**
 * An instance that dies mid-job: it is dropped from the ones stopped at the end, and its database
 * connection stops answering (as a killed process's would), so nothing of it writes again.
 */
function crash(instance: { runner: JobRunner; pool: pg.Pool }): void {
  runners.splice(runners.indexOf(instance.runner), 1);
  instance.pool.query = (() => new Promise(() => {})) as never;
  instance.pool.connect = (() => new Promise(() => {})) as never;
}

async function stopAll(): Promise<void> {
  for (const r of runners.splice(0)) await r.stop(2_000).catch(() => {});
}

const q = () => scratch.pool;
const states = async (ids: string[]) => (await q().query<{ id: string; state: string }>("SELECT id, state FROM background_jobs WHERE id = ANY($1)", [ids])).rows;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const day = (d: number) => new Date(Date.UTC(2025, 2, d));
/** A short daily backfill: one chunk, a handful of made-up bars. */
const backfill = (symbol: string, fromDay = 3) => ({ symbol, resolution: "D" as const, from: day(fromDay), to: day(fromDay + 4) });

beforeAll(async () => {
  dnse = await startDnseChartStandIn({ synthetic: true, now: () => DNSE_NOW });
  for (const name of ["alice", "bob", "carol", "dave"]) {
    users[name] = (await q().query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [`${name}@jobs.example`])).rows[0]!.id;
  }
  const symbols = ["A1", "A2", "A3", "B1", "B2", "C1", "D1", "H1", "R1"];
  await q().query(`INSERT INTO market_symbols (symbol, name, kind, exchange) SELECT s, s, 'stock', 'HOSE' FROM unnest($1::text[]) s`, [symbols]);
});

afterAll(async () => {
  dnseLoad.hold = null;
  runLoad.hold = null;
  await stopAll();
  for (const p of pools) await p.end().catch(() => {});
  await dnse?.close();
});

describe("backfills across two instances", () => {
  it("30 from one user: 8 queued (the cap), 22 refused with a clear message, nothing stored for them", async () => {
    const accepted: string[] = [];
    const refused: Error[] = [];
    for (let i = 0; i < 30; i++) {
      try {
        // Distinct requests (an identical one would answer the same job).
        accepted.push((await startBackfill(q(), users.alice!, backfill(`A${(i % 3) + 1}`, 1 + Math.floor(i / 3)), { maxQueued: 8 })).jobId);
      } catch (e) {
        refused.push(e as Error);
      }
    }
    expect(accepted).toHaveLength(8);
    expect(refused).toHaveLength(22);
    expect(refused[0]).toBeInstanceOf(QueueFullError);
    expect(refused[0]!.message).toBe("You already have 8 backfills waiting to start, the most one user may queue; try again when one of them has started.");
    const { rows } = await q().query<{ n: number }>("SELECT count(*)::int AS n FROM background_jobs WHERE user_id = $1", [users.alice]);
    expect(rows[0]!.n).toBe(8);
    // Queued: the status says so, with how many go first; another user cannot see it.
    const last = await backfillJob(q(), users.alice!, accepted.at(-1)!);
    expect(last).toMatchObject({ status: "queued", ahead: 7, chunksDone: 0, chunksTotal: 1 });
    expect(await backfillJob(q(), users.bob!, accepted[0]!)).toBeUndefined();
  });

  it("run at most 2 at once in all and 1 per user, on two instances, and all complete", async () => {
    const others = [
      await startBackfill(q(), users.bob!, backfill("B1"), { maxQueued: 8 }),
      await startBackfill(q(), users.bob!, backfill("B2"), { maxQueued: 8 }),
      await startBackfill(q(), users.carol!, backfill("C1"), { maxQueued: 8 }),
    ].map((j) => j.jobId);
    dnseLoad.max = 0;
    dnseLoad.maxPerUser = 0;
    // Both instances start on the queue left by the previous case: 8 of Alice's, 2 of Bob's, 1 of Carol's.
    await Promise.all([startInstance(), startInstance()]);
    const { rows } = await q().query<{ id: string }>("SELECT id FROM background_jobs WHERE kind = 'backfill'");
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(others));
    let maxRunning = 0;
    await until("every backfill to end", async () => {
      const s = await states(ids);
      maxRunning = Math.max(maxRunning, s.filter((r) => r.state === "running").length);
      return s.every((r) => r.state === "done" || r.state === "failed");
    });
    expect((await states(ids)).map((r) => r.state)).toEqual(ids.map(() => "done"));
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(dnseLoad.max).toBe(2); // the global limit, reached
    expect(dnseLoad.maxPerUser).toBe(1); // never two of one user's at once
    await stopAll();
  });

  it("queued while no instance runs: the status answers from PostgreSQL, and the next instance to start runs it", async () => {
    const { jobId } = await startBackfill(q(), users.dave!, backfill("D1"), { maxQueued: 8 });
    expect(await backfillJob(q(), users.dave!, jobId)).toMatchObject({ status: "queued", ahead: 0 });
    await startInstance();
    await until("the backfill to end", async () => (await backfillJob(q(), users.dave!, jobId))?.status === "done");
    expect(await backfillJob(q(), users.dave!, jobId)).toMatchObject({ status: "done", chunksDone: 1, chunksTotal: 1 });
    await stopAll();
  });

  it("a backfill whose instance crashes is taken over by another instance and completes", async () => {
    let release = () => {};
    dnseLoad.hold = new Promise<void>((r) => (release = r));
    dnseLoad.holdSymbol = "H1";
    const crashing = await startInstance();
    const { jobId } = await startBackfill(q(), users.dave!, backfill("H1"), { maxQueued: 8 });
    await crashing.runner.wake("backfill");
    await until("the backfill to hang at DNSE", async () => (await q().query("SELECT 1 FROM background_jobs WHERE id = $1 AND started_at IS NOT NULL", [jobId])).rows.length === 1);
    crash(crashing);
    dnseLoad.hold = null;
    await startInstance({ staleAfterMs: 1_000 });
    await until("another instance to finish it", async () => (await backfillJob(q(), users.dave!, jobId))?.status === "done");
    release(); // the crashed instance's request answers at last: its late write must change nothing
    await new Promise((r) => setTimeout(r, 300));
    const job = await readJob(q(), users.dave!, "backfill", jobId);
    expect(job).toMatchObject({ state: "done", attempts: 2, error: null });
    await stopAll();
  });

  it("a graceful stop puts a running backfill back in the queue; the restarted instance completes it", async () => {
    dnseLoad.delayMs = 400;
    const first = await startInstance();
    // 1-minute bars over 20 days: 3 chunks of DNSE requests, 400 ms each.
    const { jobId } = await startBackfill(q(), users.dave!, { symbol: "D1", resolution: "1", from: day(3), to: day(23) }, { maxQueued: 8, now: new Date(DNSE_NOW) });
    await first.runner.wake("backfill");
    await until("the backfill to start", async () => (await readJob(q(), users.dave!, "backfill", jobId))?.startedAt != null);
    await first.runner.stop(5_000);
    runners.splice(runners.indexOf(first.runner), 1);
    expect(await readJob(q(), users.dave!, "backfill", jobId)).toMatchObject({ state: "queued", attempts: 1 });
    dnseLoad.delayMs = 60;
    await startInstance();
    await until("the restarted instance to finish it", async () => (await backfillJob(q(), users.dave!, jobId))?.status === "done");
    expect(await backfillJob(q(), users.dave!, jobId)).toMatchObject({ status: "done", chunksDone: 3, chunksTotal: 3 });
    await stopAll();
  });
});

describe("workflow runs across two instances", () => {
  const workflowOf = async (user: string, tag: string, extra: Record<string, unknown> = {}) => {
    // A trigger and an output: a manual run of anything less is refused before it is queued.
    const graph = {
      schemaVersion: 1,
      nodes: [
        { id: "t", type: "trigger.manual", position: { x: 0, y: -200 }, data: { params: {} } },
        { id: "w", type: "test.work", position: { x: 0, y: 0 }, data: { label: `Work of ${tag}`, params: { tag, ...extra } } },
      ],
      edges: [],
    };
    const { rows } = await q().query<{ id: string }>("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, $2, $3) RETURNING id", [user, `wf ${tag} ${Math.random()}`, JSON.stringify(graph)]);
    return rows[0]!.id;
  };
  const runStatus = async (runId: string) => (await q().query<{ status: string; error_message: string | null }>("SELECT status, error_message FROM workflow_execution_logs WHERE id = $1", [runId])).rows[0]!;

  it("run at most 2 at once in all and 1 per user; the queue says how many are ahead; a full queue refuses", async () => {
    const db = drizzle(q(), { schema });
    const plan: [string, number][] = [["alice", 3], ["bob", 2], ["carol", 1], ["dave", 1]];
    const runIds: string[] = [];
    for (const [name, n] of plan) {
      const wf = await workflowOf(users[name]!, name);
      for (let i = 0; i < n; i++) runIds.push((await queueRun(db, q(), users[name]!, wf, { maxQueued: 3, registry }))!.runId);
    }
    // Alice's fourth waiting run is one too many; it stores nothing (no log row, no job).
    const aliceWf = await workflowOf(users.alice!, "alice");
    const logsBefore = (await q().query("SELECT count(*)::int AS n FROM workflow_execution_logs")).rows[0]!.n as number;
    await expect(queueRun(db, q(), users.alice!, aliceWf, { maxQueued: 3, registry })).rejects.toThrow(/You already have 3 runs waiting to start/);
    expect((await q().query("SELECT count(*)::int AS n FROM workflow_execution_logs")).rows[0]!.n).toBe(logsBefore);
    // Another user's workflow is not found.
    expect(await queueRun(db, q(), users.bob!, aliceWf, { maxQueued: 3, registry })).toBeNull();
    // The last one queued has every other ahead of it; the job is its owner's only.
    const lastJob = (await readJobOfRun(q(), users.dave!, runIds.at(-1)!))!;
    expect(await jobsAhead(q(), lastJob)).toBe(6);
    expect(await readJobOfRun(q(), users.alice!, runIds.at(-1)!)).toBeUndefined();

    runLoad.max = 0;
    runLoad.maxPerTag = 0;
    await Promise.all([startInstance(), startInstance()]);
    await until("every run to end", async () => (await Promise.all(runIds.map(runStatus))).every((r) => r.status === "success" || r.status === "failed"));
    expect((await Promise.all(runIds.map(runStatus))).map((r) => r.status)).toEqual(runIds.map(() => "success"));
    expect(runLoad.max).toBe(2);
    expect(runLoad.maxPerTag).toBe(1);
    await stopAll();
  });

  it("a run whose instance crashes ends failed, saying why, on both its job and its run row", async () => {
    let release = () => {};
    runLoad.hold = new Promise<void>((r) => (release = r));
    const crashing = await startInstance();
    const wf = await workflowOf(users.carol!, "carol-hang", { hang: true, ms: 1 });
    const { runId, jobId } = (await queueRun(drizzle(q(), { schema }), q(), users.carol!, wf, { maxQueued: 3, registry }))!;
    await crashing.runner.wake("workflow-run");
    await until("the run to start", async () => (await runStatus(runId)).status === "running");
    crash(crashing);
    await startInstance({ staleAfterMs: 1_000 });
    await until("the run to be failed", async () => (await readJob(q(), users.carol!, "workflow-run", jobId))?.state === "failed");
    expect((await readJob(q(), users.carol!, "workflow-run", jobId))!.error).toMatch(/^interrupted: the app instance running it stopped \(restart or crash\) before it ended/);
    expect(await runStatus(runId)).toMatchObject({ status: "failed", error_message: expect.stringMatching(/interrupted: .*start it again/) });
    release();
    runLoad.hold = null;
    await stopAll();
  });
});
