/**
 * What the Node.js server starts beside Next (instrumentation.ts imports this only on that runtime, so
 * the edge bundle never sees these Node APIs): DNSE's live feed when a service account is configured
 * (lib/market/live-feed-start.ts), the scheduled 1h/1D rollup refresh (lib/market/rollup-refresh.ts), the
 * job runner for workflow runs and backfills (lib/jobs), the notification deliveries (lib/notifications), the workflow scheduler, the value chain's nightly
 * lead-lag recomputation (lib/valuechain/nightly.ts), and the socket's address
 * on every request. A failure is logged; the app runs on.
 */
import { getDb, getPool } from "./db/client";
import { env } from "./lib/env";
import { installPeerAddressHeader } from "./lib/http/peer-address";
import { startConfiguredLiveFeed } from "./lib/market/live-feed-start";
import { startAppRollupRefresh } from "./lib/market/rollup-refresh";
import { maxQueuedPerUser, startAppJobs } from "./lib/jobs/app";
import { startAppDeliveries } from "./lib/notifications/app";
import { startAppChainNightly } from "./lib/valuechain/nightly";
import { startAppScheduler } from "./lib/workflows/scheduler";

export async function startServerServices(): Promise<void> {
  // Before the first request: the throttles need the socket's address (lib/auth/client-address.ts).
  installPeerAddressHeader();
  try {
    const feed = await startConfiguredLiveFeed(getPool());
    if (feed) process.once("SIGTERM", () => void feed.stop());
  } catch (error) {
    console.error(`[live-feed] not started: ${(error as Error).message}`);
  }
  // Neither schedule while `next build` runs the server code.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  try {
    const minutes = env().QUANTFLOW_ROLLUP_REFRESH_MINUTES;
    if (minutes > 0) startAppRollupRefresh({ db: getPool(), intervalMinutes: minutes });
  } catch (error) {
    console.error(`[rollup-refresh] not started: ${(error as Error).message}`);
  }
  // Runs and backfills (pg-boss, under the limits): every instance works; each job runs once.
  let jobs: Awaited<ReturnType<typeof startAppJobs>>;
  try {
    jobs = await startAppJobs({ db: getDb(), pool: getPool() });
  } catch (error) {
    console.error(`[jobs] not started: ${(error as Error).message}`);
    return;
  }
  // Notification deliveries (pg-boss): every instance works; each (run, channel) is delivered once.
  try {
    await startAppDeliveries(getPool());
  } catch (error) {
    console.error(`[notifications] deliveries not started: ${(error as Error).message}`);
  }
  // Workflow schedules and the chain's nightly recomputation (pg-boss), unless switched off.
  if (!env().QUANTFLOW_SCHEDULER) return;
  try {
    await startAppChainNightly({ db: getDb(), pool: getPool() });
  } catch (error) {
    console.error(`[value-chain] nightly recomputation not started: ${(error as Error).message}`);
  }
  try {
    await startAppScheduler({ db: getDb(), pool: getPool(), wake: () => jobs.wake("workflow-run"), maxQueuedRuns: maxQueuedPerUser("workflow-run") });
  } catch (error) {
    console.error(`[scheduler] not started: ${(error as Error).message}`);
  }
}
