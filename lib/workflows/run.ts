/**
 * Runs a saved workflow for its owner and records it in workflow_execution_logs: a row is inserted
 * `pending`, turns `running`, and ends `success` or `failed` with duration_ms, the result JSONB (every
 * node's state and truncated output; NaN is null) and error_message naming the failing node(s).
 * The stored result is trimmed to QUANTFLOW_RUN_RESULT_KB (truncate.ts, trimResultToBudget); the run's
 * own answer (its `done` event while the run is followed in this process) carries it untrimmed.
 *
 * The nodes reach data only through the services wired here: ctx.candles → readCandlesMany (every symbol
 * in one statement), ctx.snapshot →
 * computeSnapshot, ctx.universe → market_symbols. Node states are published on an in-process channel per
 * run (the events route streams them); a run started on another instance is followed through its row.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/database";
import { workflowExecutionLogs, workflows } from "@/db/schema";
import { MAX_CANDLE_LIMIT, queryCandles, type CandleResolution } from "@/lib/market/candles";
import { lookbackWindow, readCandlesMany, SET_BASED_RESOLUTIONS, TooManyBarsError, type CandleLookback } from "@/lib/market/candles-many";
import type { Queryable } from "@/lib/market/queryable";
import { computeSnapshot } from "@/lib/market/snapshot";
import { UnknownSymbolError } from "@/lib/market/symbols";
import type { ExchangeCode } from "@/lib/market/types";
import { getWorkflow } from "@/lib/ownership/owned";
import { allocateForWorkflow } from "@/lib/portfolio/workflow-allocate";
import { env } from "@/lib/env";
import { enqueueJob, type JobPool } from "@/lib/jobs/queue";
import { notifyRunEnded } from "@/lib/notifications/app";
import type { JobHandler } from "@/lib/jobs/runner";
import { toVnIso } from "@/lib/time";
import { readChainGraph } from "@/lib/valuechain/graph";
import pg from "pg";
import { appMemoryDeps } from "@/lib/memory/app";
import type { MemoryDeps } from "@/lib/memory/memories";
import { chatFor } from "@/lib/memory/openai-chat";
import { memoryServicesFor } from "./memory-services";
import { runWorkflow, type NodeStateEvent, type RunOptions, type RunResult, type RunServices } from "./engine";
import { missingForRun, NotReadyToRunError } from "./readiness";
import { countRunsCapped, listRunsKeyset, runStatusCondition, type RunCursor, type RunStatusFilter } from "./run-list";
import { trimResultToBudget } from "./truncate";
import { defaultRegistry, type NodeRegistry } from "./registry";
import type { CandlesBySymbol, ChatServices, TriggerEvent } from "./types";

export type RunStatus = "pending" | "running" | "success" | "failed";

/** What the events route sends: one per node state change, then `done`. */
export interface RunStreamEvent {
  nodeId: string;
  status: NodeStateEvent["status"];
  durationMs?: number;
  error?: string;
}
export interface RunDoneEvent {
  status: "success" | "failed";
  durationMs: number;
  /** Why a run failed before any node ran (e.g. interrupted while queued). */
  error?: string;
  /**
   * The run's result ({ nodes, problems?, trigger }): untrimmed when the run is followed live in the process that
   * ran it; the stored copy (perhaps trimmed, then with `trimmed`) when it is replayed from its row.
   */
  result?: unknown;
}

export interface RunTimings {
  /** Milliseconds spent inside ctx.candles/snapshot/universe (the database). */
  dataMs: number;
}

/** Statements a read of many symbols runs at once on a pool (set-based reads split, others symbol by symbol): the pool has few connections. */
const CANDLE_CONCURRENCY = 4;

/**
 * What a bar read costs a run in memory, estimated: the bar object with its Date (~210 bytes measured
 * on Node 20) plus its share of the Candles node's close and volume series (~24), rounded up.
 */
export const BYTES_PER_BAR = 256;

/** Megabytes for a message: two decimals under 10 MB (a test's small budget), whole above. */
const megabytes = (bytes: number) => {
  const mb = bytes / 1024 / 1024;
  return mb < 10 ? mb.toFixed(2) : String(Math.round(mb));
};

/** The error of a run that read more than its memory budget allows. */
export class RunMemoryBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunMemoryBudgetError";
  }
}

/**
 * The bars one run may hold (QUANTFLOW_RUN_MEMORY_MB), counted as they are read, across all its data
 * nodes: the read that passes the budget fails its node (the engine names the node) before the next
 * symbol is fetched, so a run cannot grow the process by much more than its budget.
 */
export class RunMemoryBudget {
  private bars = 0;
  constructor(readonly megabytes: number) {}

  get bytesUsed(): number {
    return this.bars * BYTES_PER_BAR;
  }

  /** The bars this run may still read. */
  get barsLeft(): number {
    return Math.max(0, Math.floor((this.megabytes * 1024 * 1024) / BYTES_PER_BAR) - this.bars);
  }

  charge(bars: number, what: string): void {
    this.bars += bars;
    if (this.bytesUsed > this.megabytes * 1024 * 1024) {
      throw new RunMemoryBudgetError(
        `${what} brought this run to ${this.bars.toLocaleString("en-US")} bars (about ${megabytes(this.bytesUsed)} MB in memory), over its memory budget of ${this.megabytes} MB (QUANTFLOW_RUN_MEMORY_MB); ask for fewer symbols, a shorter lookback or a coarser resolution`,
      );
    }
  }
}

/**
 * Resolutions without a set-based read (readCandlesMany): queryCandles per symbol, a few at a time, each
 * at most the chart's page of bars (MAX_CANDLE_LIMIT), charged to the budget as they come.
 */
async function candlesOneByOne(q: Queryable, symbols: string[], resolution: CandleResolution, lookback: CandleLookback, budget: RunMemoryBudget, signal: AbortSignal): Promise<CandlesBySymbol> {
  const window = lookbackWindow(lookback, new Date());
  const limit = Math.min(window.limit ?? MAX_CANDLE_LIMIT, MAX_CANDLE_LIMIT);
  const from = window.from === "-infinity" ? undefined : window.from;
  const out: CandlesBySymbol = {};
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < symbols.length && !failed) {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("stopped");
      const symbol = symbols[next++]!;
      try {
        const { candles } = await queryCandles(q, { symbol, resolution, from, to: window.to, limit });
        budget.charge(candles.length, `reading ${symbol} (${candles.length.toLocaleString("en-US")} bars of ${resolution})`);
        out[symbol] = candles;
      } catch (e) {
        failed = true; // the other readers stop at their next symbol
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CANDLE_CONCURRENCY, symbols.length) }, worker));
  return Object.fromEntries(symbols.filter((s) => s in out).map((s) => [s, out[s]!]));
}

export function databaseServices(
  q: Queryable,
  trigger: TriggerEvent,
  timings: RunTimings = { dataMs: 0 },
  now: () => Date = () => new Date(),
  budget: RunMemoryBudget = new RunMemoryBudget(env().QUANTFLOW_RUN_MEMORY_MB),
  /** The workflow and its owner: the Allocate node saves for them. Without it, ctx.allocate is absent. */
  owner?: { db: Database; userId: string; workflowId: string },
): RunServices {
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      timings.dataMs += performance.now() - t0;
    }
  };
  return {
    now,
    trigger,
    candles: (symbols: string[], resolution: CandleResolution, lookback: number | CandleLookback, signal: AbortSignal) =>
      timed(async () => {
        if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("stopped");
        const asked: CandleLookback = typeof lookback === "number" ? { bars: lookback } : lookback;
        const what = `reading ${symbols.length.toLocaleString("en-US")} symbol(s) at ${resolution} over ${"bars" in asked ? `${asked.bars.toLocaleString("en-US")} bars` : `${asked.days.toLocaleString("en-US")} trading days`}`;
        try {
          if (!(SET_BASED_RESOLUTIONS as readonly string[]).includes(resolution)) return await candlesOneByOne(q, symbols, resolution, asked, budget, signal);
          // One statement for every symbol; the database stops counting one bar past the budget.
          const { series, total } = await readCandlesMany(q, { symbols, resolution, lookback: asked, now: now() }, { maxBars: budget.barsLeft, statements: q instanceof pg.Pool ? CANDLE_CONCURRENCY : 1 });
          budget.charge(total, `${what} (${total.toLocaleString("en-US")} bars)`);
          return Object.fromEntries(series);
        } catch (e) {
          if (e instanceof TooManyBarsError) budget.charge(e.atLeast, `${what} (at least ${e.atLeast.toLocaleString("en-US")} bars)`);
          if (e instanceof UnknownSymbolError) throw new Error(`the symbol ${e.symbol} does not exist`);
          throw e;
        }
      }),
    snapshot: (market: ExchangeCode) => timed(() => computeSnapshot(q, market, now)),
    universe: (filter: { exchange?: ExchangeCode; sector?: string }) =>
      timed(async () => {
        const { rows } = await q.query(
          `SELECT symbol FROM market_symbols
            WHERE kind = 'stock' AND ($1::text IS NULL OR exchange = $1) AND ($2::text IS NULL OR lower(sector) = lower($2))
            ORDER BY symbol`,
          [filter.exchange ?? null, filter.sector ?? null],
        );
        return rows.map((r) => r.symbol as string);
      }),
    valueChain: () => timed(() => readChainGraph(q)),
    ...(owner ? { allocate: (request) => timed(() => allocateForWorkflow(owner.db, q, { userId: owner.userId, workflowId: owner.workflowId }, request)) } : {}),
  };
}

// ---------------------------------------------------------------- the in-process channel of a run's events

interface Channel {
  events: RunStreamEvent[];
  done?: RunDoneEvent;
  listeners: Set<() => void>;
}
const g = globalThis as { __quantflowRunChannels?: Map<string, Channel> };
const channels = (g.__quantflowRunChannels ??= new Map<string, Channel>());

/** Follows a run started in this process: every event so far, then each new one; undefined if unknown here. */
export function runChannel(runId: string): { events: () => RunStreamEvent[]; done: () => RunDoneEvent | undefined; subscribe: (f: () => void) => () => void } | undefined {
  const ch = channels.get(runId);
  if (!ch) return undefined;
  return {
    events: () => ch.events,
    done: () => ch.done,
    subscribe: (f) => {
      ch.listeners.add(f);
      return () => ch.listeners.delete(f);
    },
  };
}

// ---------------------------------------------------------------- recording

export interface StartRunOptions extends Pick<RunOptions, "nodeTimeoutMs" | "runTimeoutMs" | "signal"> {
  trigger?: TriggerEvent;
  registry?: NodeRegistry;
  /** What the run may read (default QUANTFLOW_RUN_MEMORY_MB). */
  memoryMb?: number;
  /** The memory store and embedder of the memory nodes (default the app's, lib/memory/app.ts). */
  memoryDeps?: () => MemoryDeps;
  /** The AI analyst's chat endpoint (default the environment's; null: none). */
  chat?: ChatServices | null;
  /** The stored result's budget in kB (default QUANTFLOW_RUN_RESULT_KB). */
  resultBudgetKb?: number;
}

/** The result as plain JSON: every node's state; the refusal's problems when the graph did not pass its checks. (executeRun adds the trigger event, which tells the run's mode.) */
export function resultJson(result: RunResult): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ nodes: result.nodes, ...(result.problems ? { problems: result.problems } : {}) }, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v)));
}

/**
 * Inserts the pending row of a run of the user's workflow and starts it; `finished` settles when the
 * row has its final status (it never rejects: a failure is recorded). null: not the user's workflow.
 */
export async function startRun(
  db: Database,
  q: Queryable,
  userId: string,
  workflowId: string,
  options: StartRunOptions = {},
): Promise<{ runId: string; finished: Promise<RunResult> } | null> {
  const workflow = await getWorkflow(db, userId, workflowId);
  if (!workflow) return null;
  return startRunOf(db, q, workflow, options);
}

/** Runs at once, in this process, outside the queue (tests, benchmarks): the workflow row is already known. */
export async function startRunOf(
  db: Database,
  q: Queryable,
  workflow: { id: string; jsonGraph: unknown; userId?: string },
  options: StartRunOptions = {},
): Promise<{ runId: string; finished: Promise<RunResult> }> {
  const [row] = await db.insert(workflowExecutionLogs).values({ workflowId: workflow.id, status: "pending" }).returning({ id: workflowExecutionLogs.id });
  const runId = row!.id;
  return { runId, finished: executeRun(db, q, workflow, runId, options) };
}

/**
 * Runs the workflow into its pending log row: `running`, then `success` or `failed` with the result.
 * Never rejects: a failure is recorded. Its node states go to the run's in-process channel.
 */
export function executeRun(db: Database, q: Queryable, workflow: { id: string; jsonGraph: unknown; userId?: string }, runId: string, options: StartRunOptions = {}): Promise<RunResult> {
  const channel: Channel = { events: [], listeners: new Set() };
  channels.set(runId, channel);
  const publish = () => channel.listeners.forEach((f) => f());
  return (async (): Promise<RunResult> => {
    const trigger = options.trigger ?? { kind: "manual", at: toVnIso(new Date()) };
    let result: RunResult;
    try {
      await db.update(workflowExecutionLogs).set({ status: "running" }).where(eq(workflowExecutionLogs.id, runId));
      const budget = new RunMemoryBudget(options.memoryMb ?? env().QUANTFLOW_RUN_MEMORY_MB);
      const owner = workflow.userId ? { db, userId: workflow.userId, workflowId: workflow.id } : undefined;
      const services = { ...databaseServices(q, trigger, undefined, undefined, budget, owner), ...(await memoryNodeServices(q, workflow, runId, options)) };
      result = await runWorkflow(workflow.jsonGraph, options.registry ?? defaultRegistry, services, {
        nodeTimeoutMs: options.nodeTimeoutMs,
        runTimeoutMs: options.runTimeoutMs,
        signal: options.signal,
        onNodeState: (e) => {
          channel.events.push({ nodeId: e.nodeId, status: e.status, ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}), ...(e.error ? { error: e.error } : {}) });
          publish();
        },
      });
    } catch (e) {
      result = { status: "failed", durationMs: 0, nodes: {}, errorMessage: `the run could not start: ${(e as Error).message}` };
    }
    // The trigger event is kept with the result: it tells the run's mode (manual, scheduled) to the lists.
    const full = { ...resultJson(result), trigger };
    try {
      const stored = trimResultToBudget(full, (options.resultBudgetKb ?? env().QUANTFLOW_RUN_RESULT_KB) * 1024);
      await db
        .update(workflowExecutionLogs)
        .set({ status: result.status, durationMs: result.durationMs, result: stored, errorMessage: result.errorMessage })
        .where(eq(workflowExecutionLogs.id, runId));
    } catch (e) {
      console.error(`[workflows] run ${runId} could not be recorded: ${(e as Error).message}`);
    }
    channel.done = { status: result.status, durationMs: result.durationMs, result: full };
    publish();
    // Alerts reach the owner (lib/notifications) once the run's row is final; needs a pool (transactions).
    if (result.status === "success" && "connect" in q) await notifyRunEndedOf(q as JobPool, workflow, runId, result, trigger);
    // Late subscribers read the row; keep the channel a minute for a stream that connects just after.
    setTimeout(() => channels.delete(runId), 60_000).unref?.();
    return result;
  })();
}

async function notifyRunEndedOf(pool: JobPool, workflow: { id: string; jsonGraph: unknown; userId?: string }, runId: string, result: RunResult, trigger: TriggerEvent): Promise<void> {
  const { rows } = await pool.query("SELECT user_id, name FROM workflows WHERE id = $1", [workflow.id]).catch(() => ({ rows: [] as Record<string, unknown>[] }));
  if (!rows[0]) return;
  const outputs = Object.fromEntries(Object.entries(result.nodes).map(([id, n]) => [id, n.output]));
  await notifyRunEnded(pool, { workflow: { id: workflow.id, name: rows[0].name as string, userId: rows[0].user_id as string, jsonGraph: workflow.jsonGraph }, runId, outputs, trigger });
}

/**
 * ctx.memory (the workflow owner's memories), ctx.chat and ctx.run for the memory nodes. The app's
 * memory store needs a pool (its writes are transactions): q is one in the app; a run on anything else
 * gets no ctx.memory unless options.memoryDeps gives it, and its memory nodes fail saying so.
 */
async function memoryNodeServices(q: Queryable, workflow: { id: string; userId?: string }, runId: string, options: StartRunOptions) {
  const userId = workflow.userId ?? ((await q.query("SELECT user_id FROM workflows WHERE id = $1", [workflow.id])).rows[0]?.user_id as string | undefined);
  const deps = options.memoryDeps ?? ("connect" in q && "totalCount" in q ? () => appMemoryDeps(q as unknown as pg.Pool) : undefined);
  const chat = options.chat === undefined ? chatFor(env()) : options.chat;
  return {
    run: { id: runId, workflowId: workflow.id },
    ...(userId && deps ? { memory: memoryServicesFor(deps, userId) } : {}),
    ...(chat ? { chat } : {}),
  };
}

// ---------------------------------------------------------------- runs through the queue (lib/jobs)

interface RunJobParams {
  workflowId: string;
  runId: string;
  trigger: TriggerEvent;
}

/**
 * Queues a run of the user's workflow: its log row (`pending`) and its job in one transaction, so a
 * refused run (QueueFullError: the user's queue is full; NotReadyToRunError: a manual run of a graph
 * with no trigger or no output) stores nothing. null: not the user's workflow.
 * The run starts when QUANTFLOW_MAX_CONCURRENT_RUNS and "one running run per user" allow.
 */
export async function queueRun(
  db: Database,
  pool: JobPool,
  userId: string,
  workflowId: string,
  options: { trigger?: TriggerEvent; maxQueued: number; registry?: NodeRegistry },
): Promise<{ runId: string; jobId: string } | null> {
  const workflow = await getWorkflow(db, userId, workflowId);
  if (!workflow) return null;
  const trigger = options.trigger ?? { kind: "manual", at: toVnIso(new Date()) };
  // A run asked for by hand is refused before the transaction when it cannot produce anything: no log
  // row, no job. (A schedule's tick has its trigger by definition and is left to run and be recorded.)
  if (trigger.kind === "manual") {
    const missing = missingForRun(workflow.jsonGraph, options.registry ?? defaultRegistry);
    if (missing.length > 0) throw new NotReadyToRunError(missing);
  }
  const { id, params } = await enqueueJob(pool, {
    kind: "workflow-run",
    userId,
    params: { workflowId, trigger },
    maxQueued: options.maxQueued,
    alongside: async (tx) => {
      const { rows } = await tx.query("INSERT INTO workflow_execution_logs (workflow_id, status) VALUES ($1, 'pending') RETURNING id", [workflowId]);
      return { runId: rows[0]!.id as string };
    },
  });
  return { runId: params.runId as string, jobId: id };
}

/** Fails a run's log row that never got to its end (its job was lost with its instance). */
async function failRunRow(q: Queryable, runId: string, message: string): Promise<void> {
  await q.query("UPDATE workflow_execution_logs SET status = 'failed', error_message = $2 WHERE id = $1 AND status IN ('pending', 'running')", [runId, message]);
}

/**
 * Runs queued runs (lib/jobs/runner.ts). A run is not repeated after an interruption (its alerts may
 * have gone out): it ends failed, saying why. A workflow deleted meanwhile fails its job.
 */
export function runJobHandler(db: Database, q: Queryable, options: Omit<StartRunOptions, "trigger" | "signal"> = {}): JobHandler {
  return {
    retryInterrupted: false,
    expireInSeconds: 15 * 60,
    onAbandoned: (pool, job, message) => failRunRow(pool, (job.params as unknown as RunJobParams).runId, message),
    async run(job, ctx) {
      const params = job.params as unknown as RunJobParams;
      const workflow = await getWorkflow(db, job.userId, params.workflowId);
      if (!workflow) throw new Error("the workflow no longer exists");
      const result = await executeRun(db, q, workflow, params.runId, { ...options, trigger: params.trigger, signal: ctx.signal });
      if (result.status === "failed") throw new Error(result.errorMessage ?? "the run failed");
      return { status: result.status, durationMs: result.durationMs };
    },
  };
}

// ---------------------------------------------------------------- reading runs (owned through their workflow)

export const RUNS_PAGE_SIZE = 20;

/**
 * A page of a workflow's runs for the runs page: keyset-paged (run-list.ts) from a cursor of the page's
 * URL, optionally of one status, each row with its mode and outcome; the run count (of that status)
 * capped at RUN_COUNT_CAP. null: not the user's workflow.
 */
export async function listRunsPage(
  db: Database,
  userId: string,
  workflowId: string,
  at: { before?: RunCursor | null; after?: RunCursor | null; status?: RunStatusFilter } = {},
  pageSize = RUNS_PAGE_SIZE,
) {
  const workflow = await getWorkflow(db, userId, workflowId);
  if (!workflow) return null;
  const where = runStatusCondition(at.status);
  const [page, total] = await Promise.all([
    listRunsKeyset(db, userId, { workflowId, before: at.before, after: at.after, limit: pageSize, where }),
    countRunsCapped(db, workflowId, where),
  ]);
  return { workflow, ...page, total: total.count, totalOver: total.over, pageSize };
}

/** A run of the user's workflow, by both ids (a run id under another workflow is not found). */
export async function getRun(db: Database, userId: string, workflowId: string, runId: string) {
  const [row] = await db
    .select({ log: workflowExecutionLogs })
    .from(workflowExecutionLogs)
    .innerJoin(workflows, eq(workflows.id, workflowExecutionLogs.workflowId))
    .where(and(eq(workflowExecutionLogs.id, runId), eq(workflowExecutionLogs.workflowId, workflowId), eq(workflows.userId, userId)));
  return row?.log ?? null;
}
