/**
 * Schedules: active workflows with a schedule trigger run through pg-boss, exactly once per tick even
 * with several app instances on one database.
 *
 * Every instance ticks once a minute (at the minute, Vietnam time; tick(now) is also called directly by
 * the tests with a fake clock). A tick reads the active workflows whose schedule trigger's cron matches
 * that minute (Asia/Ho_Chi_Minh; "trading days only" skips weekends and holidays, lib/market/calendar.ts)
 * and sends one pg-boss job per (workflow, trigger node, minute) with an id derived from those three: the
 * second instance's send of the same tick is a no-op (pg-boss inserts ON CONFLICT DO NOTHING), and
 * pg-boss hands each job to one worker. The schedule is derived from the workflows table at each tick, so
 * deactivating or deleting a workflow removes its schedule at once; a job already queued for a workflow
 * that has since been deactivated or deleted is dropped by the worker. The tick's worker does not run the
 * workflow itself: it queues the run (lib/jobs), so scheduled runs share the run limits with manual ones.
 *
 * The same ticks prune old runs (retention.ts) once an hour, at minute RETENTION_MINUTE: one pg-boss job per
 * hour with an id derived from that hour, so however many instances tick, one of them prunes.
 */
import { createHash } from "node:crypto";
import type PgBoss from "pg-boss";
import { bossOnPool, ensureQueue } from "@/lib/jobs/boss";
import type { Database } from "@/db/database";
import { isTradingDay, vnDateOf } from "@/lib/market/calendar";
import { getWorkflow, listActiveWorkflowsOfAllUsers } from "@/lib/ownership/owned";
import { toVnIso } from "@/lib/time";
import { nextRuns } from "./cron";
import { QueueFullError, type JobPool } from "@/lib/jobs/queue";
import { workflowExecutionLogs } from "@/db/schema";
import { env } from "@/lib/env";
import { pruneRuns, type RetentionSettings } from "./retention";
import { queueRun } from "./run";
import { schedulesOf } from "./store";

export const RUN_QUEUE = "workflow-scheduled-run";
export const RETENTION_QUEUE = "workflow-runs-retention";
/** The minute of every hour (UTC) at which old runs are pruned. */
export const RETENTION_MINUTE = 17;
const MINUTE = 60_000;

export interface ScheduledRunJob {
  workflowId: string;
  userId: string;
  nodeId: string;
  /** The tick, ISO 8601 UTC (the start of a minute). */
  at: string;
  tradingDaysOnly: boolean;
}

export interface SchedulerOptions {
  db: Database;
  /** The app's pool: pg-boss runs its SQL through it (no second connection string to resolve). */
  pool: JobPool;
  /** A run was queued: start it if the limits allow (the app's job runner, lib/jobs). */
  wake?: () => Promise<void>;
  /** Runs one user may have waiting; a tick past it records a failed run saying so. */
  maxQueuedRuns?: number;
  /** pg-boss's schema (default "pgboss"); tests use their own. */
  schema?: string;
  /** Tick every minute on a timer (the app); the tests call tick() themselves. */
  autoTick?: boolean;
  pollingIntervalSeconds?: number;
  /** pg-boss maintenance (the app: on; tests: off). */
  supervise?: boolean;
  /** What the hourly pruning keeps (default QUANTFLOW_RUN_RETENTION_DAYS / _COUNT, read at each pass). */
  retention?: () => RetentionSettings;
  log?: (line: string) => void;
}

/** A uuid (v5 layout) from the job's identity: the same tick of the same trigger has one id everywhere. */
export function tickJobId(workflowId: string, nodeId: string, at: Date): string {
  const h = createHash("sha1").update(`${workflowId}|${nodeId}|${at.toISOString()}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The start of the minute `now` is in. */
export const minuteOf = (now: Date) => new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);

/** Whether a cron fires at exactly `minute` (Vietnam time), honouring "trading days only". */
export function firesAt(cron: string, minute: Date, tradingDaysOnly: boolean): boolean {
  try {
    const [next] = nextRuns(cron, new Date(minute.getTime() - 1), 1, { tradingDaysOnly });
    return next?.getTime() === minute.getTime();
  } catch {
    return false;
  }
}

export class WorkflowScheduler {
  readonly boss: PgBoss;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(private readonly options: SchedulerOptions) {
    this.log = options.log ?? ((line) => console.log(`[scheduler] ${line}`));
    this.boss = bossOnPool(options, this.log);
  }

  async start(): Promise<void> {
    await this.boss.start();
    await ensureQueue(this.boss, RUN_QUEUE, 15 * 60);
    await this.boss.work<ScheduledRunJob>(RUN_QUEUE, { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) await this.runJob(job.data);
    });
    await ensureQueue(this.boss, RETENTION_QUEUE, 60 * 60);
    await this.boss.work(RETENTION_QUEUE, { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async () => {
      await this.prune();
    });
    if (this.options.autoTick) this.scheduleNextTick();
  }

  private scheduleNextTick() {
    if (this.stopped) return;
    const now = Date.now();
    const wait = MINUTE - (now % MINUTE) + 50;
    this.timer = setTimeout(() => {
      void this.tick(new Date()).catch((e: Error) => this.log(`tick failed: ${e.message}`));
      this.scheduleNextTick();
    }, wait);
    this.timer.unref?.();
  }

  /** Sends the jobs of the minute `now` is in; answers how many this instance created (others were already there). */
  async tick(now: Date): Promise<number> {
    const minute = minuteOf(now);
    let created = 0;
    if (minute.getUTCMinutes() === RETENTION_MINUTE) await this.boss.send(RETENTION_QUEUE, {}, { id: tickJobId("runs-retention", "prune", minute) });
    for (const wf of await listActiveWorkflowsOfAllUsers(this.options.db)) {
      for (const s of schedulesOf(wf.jsonGraph)) {
        if (!firesAt(s.cron, minute, s.tradingDaysOnly)) continue;
        const data: ScheduledRunJob = { workflowId: wf.id, userId: wf.userId, nodeId: s.nodeId, at: minute.toISOString(), tradingDaysOnly: s.tradingDaysOnly };
        const id = await this.boss.send(RUN_QUEUE, data, { id: tickJobId(wf.id, s.nodeId, minute) });
        if (id) created++;
      }
    }
    return created;
  }

  /** One pass of the run retention (retention.ts; its advisory lock keeps a concurrent pass out). */
  async prune(): Promise<void> {
    const settings = this.options.retention?.() ?? { maxAgeDays: env().QUANTFLOW_RUN_RETENTION_DAYS, maxPerWorkflow: env().QUANTFLOW_RUN_RETENTION_COUNT };
    const outcome = await pruneRuns(this.options.pool, settings);
    if (outcome.deletedByAge + outcome.deletedByCount > 0) {
      this.log(`pruned ${outcome.deletedByAge} runs older than ${settings.maxAgeDays} days and ${outcome.deletedByCount} past ${settings.maxPerWorkflow} per workflow`);
    }
  }

  private async runJob(job: ScheduledRunJob): Promise<void> {
    const at = new Date(job.at);
    if (job.tradingDaysOnly && !isTradingDay(vnDateOf(at))) return;
    const workflow = await getWorkflow(this.options.db, job.userId, job.workflowId);
    if (!workflow?.isActive || !schedulesOf(workflow.jsonGraph).some((s) => s.nodeId === job.nodeId)) return;
    try {
      // Through the run queue: scheduled runs share QUANTFLOW_MAX_CONCURRENT_RUNS and the per-user limits.
      const queued = await queueRun(this.options.db, this.options.pool, job.userId, job.workflowId, {
        trigger: { kind: "schedule", at: toVnIso(at) },
        maxQueued: this.options.maxQueuedRuns ?? Number.MAX_SAFE_INTEGER,
      });
      if (queued) this.log(`queued "${workflow.name}" (${job.workflowId}) for ${toVnIso(at)} (run ${queued.runId})`);
      await this.options.wake?.();
    } catch (e) {
      if (!(e instanceof QueueFullError)) throw e;
      // Recorded, so the owner sees on the runs page why this tick did not run.
      await this.options.db
        .insert(workflowExecutionLogs)
        .values({ workflowId: workflow.id, status: "failed", durationMs: 0, errorMessage: `the scheduled run of ${toVnIso(at)} was skipped: ${e.maxQueued} runs of this account were already waiting to start` });
      this.log(`skipped "${workflow.name}" (${job.workflowId}) for ${toVnIso(at)}: the owner's run queue is full`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000, close: false });
  }
}

const g = globalThis as { __quantflowScheduler?: WorkflowScheduler };

/** The app's scheduler (instrumentation.ts); stopped on SIGTERM (Next's own handler then exits). */
export async function startAppScheduler(options: Omit<SchedulerOptions, "autoTick">): Promise<WorkflowScheduler> {
  if (g.__quantflowScheduler) return g.__quantflowScheduler;
  const scheduler = new WorkflowScheduler({ ...options, autoTick: true });
  g.__quantflowScheduler = scheduler;
  await scheduler.start();
  const stop = () => void scheduler.stop().catch(() => {});
  process.once("SIGTERM", stop);
  return scheduler;
}
