/**
 * The job runner: hands queued jobs (queue.ts) to pg-boss as slots free up, and runs the ones pg-boss
 * delivers to this instance.
 *
 * Limits, across every instance on one database:
 * - at most `concurrency[kind]` jobs of a kind running at once (QUANTFLOW_MAX_CONCURRENT_RUNS / _BACKFILLS);
 * - at most one running job of a kind per user; the rest of that user's jobs wait, others' go first.
 *
 * Why not pg-boss's own policies: pg-boss 10 limits concurrency per worker (per process), not across
 * instances, and its `singleton` policy (one active job per singletonKey) stalls the whole queue when the
 * oldest waiting job is the second one of a busy user (the fetch hits the unique index and returns
 * nothing, so other users' jobs behind it wait too). So admission is ours: a dispatcher, under a
 * transaction-scoped advisory lock per kind (so two instances never count the same free slot twice;
 * released on commit, or with the connection if the instance dies), counts the running jobs, picks the
 * oldest queued job of each user who has none running, marks them running and sends their pg-boss jobs
 * in the same transaction (pg-boss's `send` takes our transaction's connection). pg-boss then delivers each
 * to exactly one worker of any instance, and keeps it across restarts until one fetches it.
 *
 * A running job beats a heartbeat into its row. A job whose heartbeat stops (its instance crashed or
 * was killed) is found by the next dispatch on any instance: a backfill is queued again (its writes are
 * upserts) up to `maxAttempts` times, a run is failed with a message saying why. Each attempt carries its
 * own pg-boss job id; a worker of an older attempt that wakes up later writes nothing.
 */
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { bossOnPool, ensureQueue } from "@/lib/jobs/boss";
import type { Queryable } from "@/lib/market/queryable";
import { inTransaction, JOB_KINDS, type JobKind, type JobPool, type JobRecord } from "./queue";

export const JOB_QUEUES: Record<JobKind, string> = { "workflow-run": "quantflow-workflow-run", backfill: "quantflow-backfill" };

/** Why a job's signal was aborted, as its handler sees it. */
export class JobStopped extends Error {
  constructor(
    message: string,
    /** "stopping": this instance is shutting down; "superseded": the job was handed to another worker. */
    readonly why: "stopping" | "superseded",
  ) {
    super(message);
    this.name = "JobStopped";
  }
}

export interface JobContext {
  signal: AbortSignal;
  /** Stores the job's progress (readable by the status routes of every instance); also a heartbeat. */
  progress(p: Record<string, unknown>): Promise<void>;
}

export interface JobHandler {
  /** Runs the job; answers its final progress. A throw fails the job with the error's message. */
  run(job: JobRecord, ctx: JobContext): Promise<Record<string, unknown> | void>;
  /** Whether an interrupted job (instance died or stopped) is queued again rather than failed. */
  retryInterrupted: boolean;
  /** Called when the job is failed without having run to its end (e.g. to fail the run's log row too). */
  onAbandoned?(q: Queryable, job: { id: string; params: Record<string, unknown> }, message: string): Promise<void>;
  /** pg-boss's expiry for the job: past it pg-boss considers it lost (ours: the heartbeat decides). */
  expireInSeconds: number;
}

export interface JobRunnerOptions {
  pool: JobPool;
  handlers: Partial<Record<JobKind, JobHandler>>;
  /** Jobs of a kind running at once across all instances. */
  concurrency: Record<JobKind, number>;
  /** pg-boss's schema (default "pgboss"); tests use their own. */
  schema?: string;
  pollingIntervalSeconds?: number;
  /** How often this instance looks for free slots and dead jobs (ms). */
  dispatchIntervalMs?: number;
  heartbeatMs?: number;
  /** A running job whose heartbeat is older than this is taken for dead (ms). */
  staleAfterMs?: number;
  /** Attempts of a job that is retried when interrupted. */
  maxAttempts?: number;
  /** pg-boss maintenance (the app: on; tests: off). */
  supervise?: boolean;
  log?: (line: string) => void;
}

const INTERRUPTED = "interrupted: the app instance running it stopped (restart or crash) before it ended";

export class JobRunner {
  readonly boss: PgBoss;
  private readonly log: (line: string) => void;
  private readonly workers = new Map<JobKind, string[]>();
  private readonly active = new Map<string, AbortController>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopping = false;
  private readonly kinds: JobKind[];

  constructor(private readonly options: JobRunnerOptions) {
    this.log = options.log ?? ((line) => console.log(`[jobs] ${line}`));
    this.kinds = JOB_KINDS.filter((k) => options.handlers[k]);
    this.boss = bossOnPool(options, this.log);
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const kind of this.kinds) {
      const queue = JOB_QUEUES[kind];
      await ensureQueue(this.boss, queue, this.options.handlers[kind]!.expireInSeconds);
      // As many local workers as the global limit: every dispatched job can start here at once.
      const ids: string[] = [];
      for (let i = 0; i < this.options.concurrency[kind]; i++) {
        ids.push(
          await this.boss.work<{ jobId: string }>(queue, { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 }, async ([job]) => {
            if (job) await this.execute(kind, job.data.jobId, job.id).catch((e: Error) => this.log(`${kind} ${job.data.jobId}: ${e.message}`));
          }),
        );
      }
      this.workers.set(kind, ids);
    }
    await this.dispatchAll();
    this.timer = setInterval(() => void this.dispatchAll(), this.options.dispatchIntervalMs ?? 5_000);
    this.timer.unref?.();
  }

  /** A job was queued (or one ended): start what the limits allow now, and wake this instance's workers. */
  async wake(kind: JobKind): Promise<void> {
    if (this.stopping || !this.kinds.includes(kind)) return;
    const sent = await this.dispatch(kind);
    if (sent > 0) for (const id of this.workers.get(kind) ?? []) this.boss.notifyWorker(id);
  }

  private async dispatchAll(): Promise<void> {
    for (const kind of this.kinds) {
      await this.wake(kind).catch((e: Error) => this.log(`dispatch of ${kind} failed: ${e.message}`));
    }
  }

  /** Fails or requeues dead jobs, then starts queued jobs into free slots; answers how many it started. */
  async dispatch(kind: JobKind): Promise<number> {
    const handler = this.options.handlers[kind]!;
    const abandoned: { id: string; params: Record<string, unknown> }[] = [];
    const sent = await inTransaction(this.options.pool, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('quantflow-jobs-dispatch:' || $1))", [kind]);
      const { rows: dead } = await tx.query(
        `UPDATE background_jobs
            SET state = CASE WHEN $2::boolean AND attempts < $3::int THEN 'queued' ELSE 'failed' END,
                error = CASE WHEN $2::boolean AND attempts < $3::int THEN NULL ELSE $4::text END,
                ended_at = CASE WHEN $2::boolean AND attempts < $3::int THEN NULL ELSE now() END,
                boss_job_id = NULL
          WHERE kind = $1 AND state = 'running' AND heartbeat_at < now() - make_interval(secs => $5::double precision)
          RETURNING id, state, params`,
        [kind, handler.retryInterrupted, this.options.maxAttempts ?? 3, `${INTERRUPTED}.`, (this.options.staleAfterMs ?? 60_000) / 1000],
      );
      for (const d of dead) {
        this.log(`${kind} ${d.id as string} lost its worker: ${d.state === "queued" ? "queued again" : "failed"}`);
        if (d.state === "failed") abandoned.push({ id: d.id as string, params: d.params as Record<string, unknown> });
      }
      // Ended jobs are kept a week (their status stays readable meanwhile), then dropped.
      await tx.query("DELETE FROM background_jobs WHERE kind = $1 AND state IN ('done', 'failed') AND ended_at < now() - interval '7 days'", [kind]);
      const { rows: running } = await tx.query("SELECT count(*)::int AS n FROM background_jobs WHERE kind = $1 AND state = 'running'", [kind]);
      const free = this.options.concurrency[kind] - (running[0]!.n as number);
      if (free <= 0) return 0;
      // The oldest queued job of each user who has none running; the oldest of those first.
      const { rows: next } = await tx.query(
        `SELECT id FROM (
           SELECT DISTINCT ON (q.user_id) q.id, q.created_at
             FROM background_jobs q
            WHERE q.kind = $1 AND q.state = 'queued'
              AND NOT EXISTS (SELECT 1 FROM background_jobs r WHERE r.kind = $1 AND r.user_id = q.user_id AND r.state = 'running')
            ORDER BY q.user_id, q.created_at, q.id
         ) firsts
         ORDER BY created_at, id
         LIMIT $2`,
        [kind, free],
      );
      const db = { executeSql: (text: string, values?: unknown[]) => tx.query(text, values) as never };
      for (const row of next) {
        const bossJobId = randomUUID();
        await tx.query(
          "UPDATE background_jobs SET state = 'running', boss_job_id = $2, attempts = attempts + 1, heartbeat_at = now(), started_at = NULL, progress = NULL WHERE id = $1",
          [row.id, bossJobId],
        );
        await this.boss.send(JOB_QUEUES[kind], { jobId: row.id }, { id: bossJobId, db });
      }
      return next.length;
    });
    for (const job of abandoned) await handler.onAbandoned?.(this.options.pool, job, `${INTERRUPTED}; start it again.`).catch(() => {});
    return sent;
  }

  /** Runs one delivered job, if its row still names this delivery. */
  private async execute(kind: JobKind, jobId: string, bossJobId: string): Promise<void> {
    const { pool } = this.options;
    const handler = this.options.handlers[kind]!;
    const { rows } = await pool.query(
      "UPDATE background_jobs SET started_at = now(), heartbeat_at = now() WHERE id = $1 AND boss_job_id = $2 AND state = 'running' RETURNING *",
      [jobId, bossJobId],
    );
    if (!rows[0]) return; // an older attempt's delivery, or a job already ended
    const r = rows[0];
    const job: JobRecord = {
      id: jobId,
      kind,
      userId: r.user_id as string,
      state: "running",
      params: r.params as Record<string, unknown>,
      progress: null,
      error: null,
      attempts: r.attempts as number,
      createdAt: r.created_at as Date,
      startedAt: r.started_at as Date,
      endedAt: null,
    };
    const controller = new AbortController();
    this.active.set(jobId, controller);
    const beat = async (progress?: Record<string, unknown>) => {
      const { rows: still } = await pool.query(
        `UPDATE background_jobs SET heartbeat_at = now()${progress ? ", progress = $3" : ""} WHERE id = $1 AND boss_job_id = $2 AND state = 'running' RETURNING 1`,
        progress ? [jobId, bossJobId, JSON.stringify(progress)] : [jobId, bossJobId],
      );
      if (!still[0] && !controller.signal.aborted) controller.abort(new JobStopped("this job was handed to another worker", "superseded"));
    };
    const heartbeat = setInterval(() => void beat().catch(() => {}), this.options.heartbeatMs ?? 5_000);
    heartbeat.unref?.();
    let outcome: { state: "done" | "failed" | "queued"; error?: string; progress?: Record<string, unknown> | void };
    try {
      const progress = await handler.run(job, { signal: controller.signal, progress: (p) => beat(p) });
      outcome = { state: "done", progress };
    } catch (e) {
      const reason = controller.signal.reason;
      if (reason instanceof JobStopped && reason.why === "stopping" && handler.retryInterrupted) outcome = { state: "queued" };
      else outcome = { state: "failed", error: reason instanceof JobStopped && reason.why === "stopping" ? `${INTERRUPTED}; start it again.` : (e as Error).message };
    } finally {
      clearInterval(heartbeat);
      this.active.delete(jobId);
    }
    if (controller.signal.reason instanceof JobStopped && controller.signal.reason.why === "superseded") return;
    await pool.query(
      `UPDATE background_jobs
          SET state = $3::varchar, error = $4::text, ended_at = CASE WHEN $3::varchar = 'queued' THEN NULL ELSE now() END,
              boss_job_id = CASE WHEN $3::varchar = 'queued' THEN NULL ELSE boss_job_id END,
              progress = COALESCE($5::jsonb, progress)
        WHERE id = $1 AND boss_job_id = $2 AND state = 'running'`,
      [jobId, bossJobId, outcome.state, outcome.error ?? null, outcome.progress ? JSON.stringify(outcome.progress) : null],
    );
    // A slot is free: the next job may start (on this instance or, by its own dispatch, another).
    await this.wake(kind).catch((e: Error) => this.log(`dispatch of ${kind} failed: ${e.message}`));
  }

  /**
   * Stops this instance's workers: running jobs are told to stop (a backfill goes back to the queue for
   * another instance or the next start; a run ends failed, saying so), then pg-boss stops.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    for (const c of this.active.values()) c.abort(new JobStopped("the app is stopping", "stopping"));
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
  }
}
