/**
 * The job records (background_jobs, drizzle/0009): what a user has queued or running, with the limits that
 * are checked when a job is queued. No pg-boss here: queueing is one transaction of our own, and the
 * runner (runner.ts) hands queued jobs to pg-boss as slots free up.
 *
 * A user's queue is capped: the count and the insert run under a transaction-scoped advisory lock of
 * (kind, user), so two requests of one user on two instances cannot both pass a cap of one free place.
 * The lock ends with the transaction (or the connection, if the instance dies): it never stays held.
 */
import type { Queryable } from "@/lib/market/queryable";

export const JOB_KINDS = ["workflow-run", "backfill"] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobState = "queued" | "running" | "done" | "failed";

/** A pool: single statements, and a connection of its own for a transaction. */
export interface JobPool extends Queryable {
  connect(): Promise<Queryable & { release(err?: boolean | Error): void }>;
}

export interface JobRecord {
  id: string;
  kind: JobKind;
  userId: string;
  state: JobState;
  params: Record<string, unknown>;
  progress: Record<string, unknown> | null;
  error: string | null;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

const NOUN: Record<JobKind, [string, string]> = { "workflow-run": ["run", "runs"], backfill: ["backfill", "backfills"] };

/** What a route answers 429 with: the user's queue of this kind is full. */
export class QueueFullError extends Error {
  constructor(
    readonly kind: JobKind,
    readonly maxQueued: number,
  ) {
    const [, plural] = NOUN[kind];
    super(`You already have ${maxQueued} ${plural} waiting to start, the most one user may queue; try again when one of them has started.`);
    this.name = "QueueFullError";
  }
}

/** Runs work in one transaction on a connection of its own; rolls back on any error. */
export async function inTransaction<T>(pool: JobPool, work: (tx: Queryable) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query("BEGIN");
    const out = await work(tx);
    await tx.query("COMMIT");
    return out;
  } catch (e) {
    await tx.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    tx.release();
  }
}

export interface EnqueueRequest {
  kind: JobKind;
  userId: string;
  params: Record<string, unknown>;
  /** The same key of this user queued or running: that job is answered instead of a new one. */
  dedupKey?: string;
  /** At most this many jobs of this kind waiting for this user (the running one not counted). */
  maxQueued: number;
  /** Rows that belong to the job (a run's log row), written in the same transaction; their ids join the params. */
  alongside?: (tx: Queryable) => Promise<Record<string, unknown>>;
}

export interface Enqueued {
  id: string;
  params: Record<string, unknown>;
  /** An identical job was already queued or running: this is that one. */
  existing: boolean;
}

/** Queues a job (or answers the identical one); throws QueueFullError when the user's queue is full, storing nothing. */
export async function enqueueJob(pool: JobPool, req: EnqueueRequest): Promise<Enqueued> {
  return inTransaction(pool, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('quantflow-jobs-user:' || $1 || ':' || $2))", [req.kind, req.userId]);
    if (req.dedupKey) {
      const { rows } = await tx.query(
        "SELECT id, params FROM background_jobs WHERE kind = $1 AND user_id = $2 AND dedup_key = $3 AND state IN ('queued', 'running') ORDER BY created_at LIMIT 1",
        [req.kind, req.userId, req.dedupKey],
      );
      if (rows[0]) return { id: rows[0].id as string, params: rows[0].params as Record<string, unknown>, existing: true };
    }
    const { rows: counted } = await tx.query("SELECT count(*)::int AS n FROM background_jobs WHERE kind = $1 AND user_id = $2 AND state = 'queued'", [req.kind, req.userId]);
    if ((counted[0]!.n as number) >= req.maxQueued) throw new QueueFullError(req.kind, req.maxQueued);
    const params = { ...req.params, ...(req.alongside ? await req.alongside(tx) : {}) };
    const { rows } = await tx.query("INSERT INTO background_jobs (kind, user_id, dedup_key, params) VALUES ($1, $2, $3, $4) RETURNING id", [
      req.kind,
      req.userId,
      req.dedupKey ?? null,
      JSON.stringify(params),
    ]);
    return { id: rows[0]!.id as string, params, existing: false };
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toRecord(r: Record<string, unknown>): JobRecord {
  return {
    id: r.id as string,
    kind: r.kind as JobKind,
    userId: r.user_id as string,
    state: r.state as JobState,
    params: r.params as Record<string, unknown>,
    progress: (r.progress as Record<string, unknown> | null) ?? null,
    error: (r.error as string | null) ?? null,
    attempts: r.attempts as number,
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    endedAt: (r.ended_at as Date | null) ?? null,
  };
}

/** A job of this user and kind (another user's id, or a malformed one, reads as unknown). */
export async function readJob(q: Queryable, userId: string, kind: JobKind, id: string): Promise<JobRecord | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await q.query("SELECT * FROM background_jobs WHERE id = $1 AND user_id = $2 AND kind = $3", [id, userId, kind]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** The job of a run (its workflow_execution_logs id), if the run went through the queue. */
export async function readJobOfRun(q: Queryable, userId: string, runId: string): Promise<JobRecord | undefined> {
  if (!UUID.test(runId)) return undefined;
  const { rows } = await q.query("SELECT * FROM background_jobs WHERE kind = 'workflow-run' AND user_id = $1 AND params->>'runId' = $2 ORDER BY created_at DESC LIMIT 1", [userId, runId]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/**
 * How many jobs of its kind come before a queued one: those running and those queued earlier (any
 * user's: slots are shared). 0 for a job that is no longer queued.
 */
export async function jobsAhead(q: Queryable, job: Pick<JobRecord, "id" | "kind" | "state" | "createdAt">): Promise<number> {
  if (job.state !== "queued") return 0;
  const { rows } = await q.query(
    `SELECT count(*)::int AS n FROM background_jobs
      WHERE kind = $1 AND (state = 'running' OR (state = 'queued' AND (created_at, id) < ($2, $3)))`,
    [job.kind, job.createdAt, job.id],
  );
  return rows[0]!.n as number;
}
