/**
 * `npm run bench:runs`: runs that stay small, in a scratch database of its own (created, loaded, dropped;
 * `--keep` leaves it).
 *
 *  1. The runs list at 100,000 runs of one workflow (plus 20 other workflows of 1,000 runs each; every run
 *     with a ~1 kB result, as wide as a real row): p50/p95 of the runs page's reads, first page and a page
 *     50,000 runs in, for
 *       - before: the page as it was (OFFSET paging and an uncounted count(*), without drizzle/0017's index);
 *       - after: keyset paging on drizzle/0017's index and the count capped at 1,000 (lib/workflows/run.ts's
 *         listRunsPage, as the page calls it).
 *     Target: p95 under 50 ms for both pages, after.
 *     Then one retention pass at that size (30 days, 1,000 a workflow), and a second one (nothing left to do).
 *  2. The size of a stored run for each starter template (lib/workflows/templates.ts), run over the demo
 *     market (2 years of daily bars): whole (as stored before the budget; what the builder's own run gets) and
 *     as stored now, against QUANTFLOW_RUN_RESULT_KB.
 *
 * Options: --runs 100000 --samples 200.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { SESSION_OPTIONS } from "../../db/client";
import * as schema from "../../db/schema";
import { seedDemoData } from "../../lib/demo/seed";
import { parseEnv } from "../../lib/env";
import { DEFAULT_PRUNE_BATCH, pruneRuns } from "../../lib/workflows/retention";
import { getRun, listRunsPage, runChannel, startRunOf } from "../../lib/workflows/run";
import { countRunsCapped, listRunsKeyset, parseRunCursor } from "../../lib/workflows/run-list";
import { STARTER_TEMPLATES } from "../../lib/workflows/templates";
import { jsonBytes } from "../../lib/workflows/truncate";
import { numberOption, runBench } from "./options";
import { withScratchDatabase } from "./scratch-database";

const log = (line: string) => console.log(`[bench:runs] ${line}`);
const RUNS = numberOption("runs", 100_000);
const SAMPLES = numberOption("samples", 200);
const OTHER_WORKFLOWS = 20;
const OTHER_RUNS = 1_000;
const PAGE_SIZE = 20;
/** The later page: this many runs in (page 2,501 of the old numbered pages at the default). */
const DEEP = Math.min(50_000, Math.floor(RUNS / 2));

const fmt = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => `${n.toFixed(2)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeIt(work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 10; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** The runs page's reads as they were before keyset paging (lib/workflows/run.ts at main before this change). */
async function offsetPage(pool: pg.Pool, workflowId: string, page: number) {
  const [{ rows: total }, { rows }] = await Promise.all([
    pool.query("SELECT count(*)::int AS total FROM workflow_execution_logs WHERE workflow_id = $1", [workflowId]),
    pool.query(
      `SELECT id, status, executed_at, duration_ms, error_message FROM workflow_execution_logs
        WHERE workflow_id = $1 ORDER BY executed_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [workflowId, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    ),
  ]);
  return { total: total[0]!.total as number, rows };
}

async function seedRuns(pool: pg.Pool, userId: string): Promise<string> {
  const t0 = performance.now();
  const wf = async (name: string) => (await pool.query<{ id: string }>("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, $2, '{}') RETURNING id", [userId, name])).rows[0]!.id;
  // One run a minute going back from now (100,000 minutes: about 69 days), the i-th run i minutes ago.
  const insert = (workflowId: string, from: number, n: number) =>
    pool.query(
      `INSERT INTO workflow_execution_logs (workflow_id, status, executed_at, duration_ms, error_message, result)
       SELECT $1, CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'success' END, now() - i * interval '1 minute', 100 + i % 900,
              CASE WHEN i % 10 = 0 THEN '"Candles" (c) failed: the symbol XYZ does not exist' END,
              ('{"nodes": {"t": {"status": "success", "durationMs": 1, "output": "' || repeat(md5(i::text), 30) || '"}}}')::jsonb
         FROM generate_series($2::int, $3::int) AS i`,
      [workflowId, from + 1, from + n],
    );
  const target = await wf("Every minute");
  for (let done = 0; done < RUNS; done += 20_000) await insert(target, done, Math.min(20_000, RUNS - done));
  for (let k = 0; k < OTHER_WORKFLOWS; k++) await insert(await wf(`Other ${k + 1}`), 0, OTHER_RUNS);
  await pool.query("VACUUM ANALYZE workflow_execution_logs");
  const { rows } = await pool.query<{ size: string }>("SELECT pg_size_pretty(pg_total_relation_size('workflow_execution_logs')) AS size");
  log(`seeded ${fmt(RUNS)} runs of one workflow and ${fmt(OTHER_WORKFLOWS * OTHER_RUNS)} of ${OTHER_WORKFLOWS} others in ${((performance.now() - t0) / 1000).toFixed(1)} s (table ${rows[0]!.size})`);
  return target;
}

async function benchList(pool: pg.Pool, db: ReturnType<typeof drizzle<typeof schema>>, userId: string, workflowId: string) {
  // The cursor of the run DEEP runs in, as the page's "Older →" link would carry it after DEEP / 20 pages.
  const deepCursor = (await listRunsPage(db, userId, workflowId))!;
  const { rows: at } = await pool.query<{ c: string }>(
    `SELECT to_char(executed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || id AS c FROM workflow_execution_logs
      WHERE workflow_id = $1 ORDER BY executed_at DESC, id DESC OFFSET $2 LIMIT 1`,
    [workflowId, DEEP - 1],
  );
  const before = parseRunCursor(at[0]!.c)!;
  const deepPage = 1 + DEEP / PAGE_SIZE;

  // Same rows either way.
  const oldDeep = await offsetPage(pool, workflowId, deepPage);
  const newDeep = (await listRunsPage(db, userId, workflowId, { before }))!;
  if (JSON.stringify(oldDeep.rows.map((r) => r.id)) !== JSON.stringify(newDeep.rows.map((r) => r.id))) throw new Error("the keyset page and the OFFSET page differ");
  if (deepCursor.rows.length !== PAGE_SIZE) throw new Error("the first page is short");

  // The server's own time for each query (EXPLAIN ANALYZE's Execution Time, median of 15): apart from the
  // client, the network and the other processes of a busy machine.
  const serverMs = async (text: string, params: unknown[]) => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
      times.push((rows[0]!["QUERY PLAN"] as { "Execution Time": number }[])[0]!["Execution Time"]);
    }
    return times.sort((a, b) => a - b)[7]!;
  };
  const COUNT_ALL = "SELECT count(*)::int FROM workflow_execution_logs WHERE workflow_id = $1";
  const OFFSET_LIST = "SELECT id, status, executed_at, duration_ms, error_message FROM workflow_execution_logs WHERE workflow_id = $1 ORDER BY executed_at DESC, id DESC LIMIT 20 OFFSET $2";
  const KEYSET_LIST = `SELECT l.id, l.workflow_id, l.status, l.executed_at, l.duration_ms, l.error_message, to_char(l.executed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
     FROM workflow_execution_logs l INNER JOIN workflows w ON w.id = l.workflow_id AND w.user_id = $1
    WHERE l.workflow_id = $2 AND (l.executed_at, l.id) < ($3::timestamptz, $4::uuid) ORDER BY l.executed_at DESC, l.id DESC LIMIT 21`;
  const COUNT_CAPPED = "SELECT count(*)::int FROM (SELECT 1 FROM workflow_execution_logs WHERE workflow_id = $1 LIMIT 1001) capped";

  log(`before: the 0017 index dropped, OFFSET paging, count(*) of every run`);
  await pool.query("DROP INDEX workflow_execution_logs_workflow_id_executed_at_id_idx");
  await pool.query("ANALYZE workflow_execution_logs");
  const beforeFirst = await timeIt(() => offsetPage(pool, workflowId, 1));
  const beforeDeep = await timeIt(() => offsetPage(pool, workflowId, deepPage));
  const server = {
    count: await serverMs(COUNT_ALL, [workflowId]),
    offsetDeep: await serverMs(OFFSET_LIST, [workflowId, DEEP]),
  };
  const keysetNoIndex = await timeIt(() => listRunsPage(db, userId, workflowId, { before }));
  await pool.query("CREATE INDEX workflow_execution_logs_workflow_id_executed_at_id_idx ON workflow_execution_logs (workflow_id, executed_at DESC, id DESC)");
  await pool.query("ANALYZE workflow_execution_logs");
  log(`after: keyset paging on the 0017 index, the count capped at 1,000`);
  const afterFirst = await timeIt(() => listRunsPage(db, userId, workflowId));
  const afterDeep = await timeIt(() => listRunsPage(db, userId, workflowId, { before }));
  const listOnly = await timeIt(() => listRunsKeyset(db, userId, { workflowId, before, limit: PAGE_SIZE }));
  const countOnly = await timeIt(() => countRunsCapped(db, workflowId));
  const serverAfter = {
    count: await serverMs(COUNT_CAPPED, [workflowId]),
    keysetDeep: await serverMs(KEYSET_LIST, [userId, workflowId, before.executedAt, before.id]),
  };

  const line = (label: string, b: { p50: number; p95: number }, a: { p50: number; p95: number }) =>
    log(
      `  ${label.padEnd(30)} before p50 ${ms(b.p50).padStart(10)} p95 ${ms(b.p95).padStart(10)} | after p50 ${ms(a.p50).padStart(9)} p95 ${ms(a.p95).padStart(9)} | ${(b.p50 / a.p50).toFixed(1)}× at p50, ${(b.p95 / a.p95).toFixed(1)}× at p95`,
    );
  log(`the runs page's reads (${SAMPLES} samples each; ${fmt(RUNS)} runs of the workflow):`);
  line("first page", beforeFirst, afterFirst);
  line(`page ${fmt(deepPage)} (${fmt(DEEP)} runs in)`, beforeDeep, afterDeep);
  log(`  (keyset paging without the 0017 index, page ${fmt(deepPage)}: p50 ${ms(keysetNoIndex.p50)} p95 ${ms(keysetNoIndex.p95)})`);
  log(`  (after, its parts: the keyset list query p50 ${ms(listOnly.p50)} p95 ${ms(listOnly.p95)}; the capped count p50 ${ms(countOnly.p50)} p95 ${ms(countOnly.p95)})`);
  log(
    `  in the server (EXPLAIN ANALYZE, median): page ${fmt(deepPage)}'s rows ${ms(server.offsetDeep)} → ${ms(serverAfter.keysetDeep)} (${(server.offsetDeep / serverAfter.keysetDeep).toFixed(0)}×); the count ${ms(server.count)} → ${ms(serverAfter.count)} (${(server.count / serverAfter.count).toFixed(0)}×)`,
  );
  if (process.argv.includes("--explain")) {
    // The plan of the later page's list query, as listRunsKeyset writes it.
    const { rows: plan } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${KEYSET_LIST}`, [userId, workflowId, before.executedAt, before.id]);
    for (const r of plan) log(`    ${r["QUERY PLAN"] as string}`);
  }
  const met = afterFirst.p95 < 50 && afterDeep.p95 < 50;
  log(`target (p95 under 50 ms, first and later page): ${met ? "met" : "NOT met"}`);
}

/** The retention pass at this size: down to the default 1,000 runs a workflow, then a second pass (nothing to do). */
async function benchPrune(pool: pg.Pool) {
  for (const label of ["first pass", "second pass"]) {
    const t0 = performance.now();
    const outcome = await pruneRuns(pool, { maxAgeDays: 30, maxPerWorkflow: 1000 });
    log(
      `retention (30 days, 1,000 a workflow), ${label}: ${fmt(outcome.deletedByAge)} deleted by age, ${fmt(outcome.deletedByCount)} by count, in ${fmt(outcome.batches)} batches of at most ${DEFAULT_PRUNE_BATCH}, ${((performance.now() - t0) / 1000).toFixed(2)} s`,
    );
  }
}

async function benchTemplates(pool: pg.Pool, db: ReturnType<typeof drizzle<typeof schema>>, budgetKb: number) {
  const t0 = performance.now();
  await seedDemoData(pool, { intradayDays: 1, historyYears: 2, log: () => {} });
  log(`seeded the demo market (2 years of daily bars) and its starter workflows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const { rows: wfs } = await pool.query<{ id: string; name: string; json_graph: unknown; user_id: string }>(
    "SELECT w.id, w.name, w.json_graph, w.user_id FROM workflows w JOIN users u ON u.id = w.user_id WHERE u.email = 'demo@quantflow.local'",
  );
  log(`the stored result of each starter template (budget QUANTFLOW_RUN_RESULT_KB = ${budgetKb} kB):`);
  for (const template of STARTER_TEMPLATES) {
    const wf = wfs.find((w) => w.name === template.name);
    if (!wf) {
      log(`  ${template.name}: not among the demo analyst's workflows`);
      continue;
    }
    const { runId, finished } = await startRunOf(db, pool, { id: wf.id, jsonGraph: wf.json_graph, userId: wf.user_id }, { chat: null, resultBudgetKb: budgetKb });
    const result = await finished;
    const whole = runChannel(runId)!.done()!.result;
    const row = (await getRun(db, wf.user_id, wf.id, runId))!;
    const { rows: col } = await pool.query<{ bytes: number }>("SELECT pg_column_size(result) AS bytes FROM workflow_execution_logs WHERE id = $1", [runId]);
    const trimmed = (row.result as { trimmed?: { keptPoints: number; outputsOmitted?: boolean } }).trimmed;
    const before = jsonBytes(whole);
    const after = jsonBytes(row.result);
    log(
      `  ${template.name.padEnd(34)} ${result.status.padEnd(7)} whole ${kb(before).padStart(9)} → stored ${kb(after).padStart(8)} (${(before / after).toFixed(1)}× smaller; jsonb on disk ${kb(col[0]!.bytes)})${trimmed ? `, trimmed to ${trimmed.keptPoints} point${trimmed.keptPoints === 1 ? "" : "s"} at each end` : ", untouched"}`,
    );
  }
}

async function run(serverUrl: string, budgetKb: number) {
  return withScratchDatabase(serverUrl, { label: "runs", log, pool: { max: 6, options: SESSION_OPTIONS } }, async ({ pool }) => {
    const db = drizzle(pool, { schema });
    const userId = (await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ('bench@runs.example', 'x') RETURNING id")).rows[0]!.id;
    const workflowId = await seedRuns(pool, userId);
    await benchList(pool, db, userId, workflowId);
    await benchPrune(pool);
    await benchTemplates(pool, db, budgetKb);
  });
}

const env = parseEnv();
runBench(log, () => run(env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", env.QUANTFLOW_RUN_RESULT_KB));
