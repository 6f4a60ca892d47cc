/**
 * The app's job runner (started by instrumentation-node.ts on every instance): manual and scheduled
 * workflow runs and DNSE backfills, under the limits of the environment (lib/env.ts).
 */
import type { Database } from "@/db/database";
import { env } from "@/lib/env";
import { backfillJobHandler } from "@/lib/market/backfill";
import type { ConnectionSource } from "@/lib/market/ingest";
import { runJobHandler } from "@/lib/workflows/run";
import { startedWorker, startOnce } from "@/lib/start-once";
import type { JobKind, JobPool } from "./queue";
import { JobRunner } from "./runner";

const WORKER = "jobs";

/** The per-user queue caps of the environment, by kind. */
export function maxQueuedPerUser(kind: JobKind): number {
  return kind === "workflow-run" ? env().QUANTFLOW_MAX_QUEUED_RUNS_PER_USER : env().QUANTFLOW_MAX_QUEUED_BACKFILLS_PER_USER;
}

/** Starts this instance's runner once (module reloads of `next dev` included); stopped on SIGTERM. */
export function startAppJobs(options: { db: Database; pool: JobPool & ConnectionSource }): Promise<JobRunner> {
  return startOnce(WORKER, () => {
    const e = env();
    return new JobRunner({
      pool: options.pool,
      concurrency: { "workflow-run": e.QUANTFLOW_MAX_CONCURRENT_RUNS, backfill: e.QUANTFLOW_MAX_CONCURRENT_BACKFILLS },
      handlers: {
        "workflow-run": runJobHandler(options.db, options.pool, { memoryMb: e.QUANTFLOW_RUN_MEMORY_MB }),
        backfill: backfillJobHandler(options.pool, () => ({ baseUrl: env().DNSE_BASE_URL, minuteHistoryDays: env().DNSE_MINUTE_HISTORY_DAYS })),
      },
    });
  });
}

/**
 * A job was queued: let this instance's runner start it now if the limits allow. Without a runner here
 * (none started in this process), the next dispatch of any instance's runner starts it.
 */
export async function wakeAppJobs(kind: JobKind): Promise<void> {
  const runner = await startedWorker<JobRunner>(WORKER);
  await runner?.wake(kind).catch((e: Error) => console.error(`[jobs] dispatch of ${kind} failed: ${e.message}`));
}
