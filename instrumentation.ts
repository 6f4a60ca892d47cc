/**
 * Next's start hook: on the Node.js server (not the edge runtime), starts DNSE's live feed when a
 * service account is configured (lib/market/live-feed-start.ts), and the workflow scheduler. A failure is
 * logged; the app runs on.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself for each runtime (not configuration), and inlined at build time.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ getPool }, { startConfiguredLiveFeed }] = await Promise.all([import("./db/client"), import("./lib/market/live-feed-start")]);
  try {
    const feed = await startConfiguredLiveFeed(getPool());
    if (feed) process.once("SIGTERM", () => void feed.stop());
  } catch (error) {
    console.error(`[live-feed] not started: ${(error as Error).message}`);
  }
  // Workflow schedules (pg-boss, lib/workflows/scheduler.ts): not while `next build` runs the server code.
  if (process.env.NEXT_PHASE === "phase-production-build" || process.env.QUANTFLOW_SCHEDULER === "off") return;
  try {
    const [{ getDb }, { startAppScheduler }] = await Promise.all([import("./db/client"), import("./lib/workflows/scheduler")]);
    await startAppScheduler({ db: getDb(), pool: getPool() });
  } catch (error) {
    console.error(`[scheduler] not started: ${(error as Error).message}`);
  }
}
