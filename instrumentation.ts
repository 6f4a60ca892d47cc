/**
 * Next's start hook: on the Node.js server (not the edge runtime), starts DNSE's live feed when a
 * service account is configured (lib/market/live-feed-start.ts). A failure is logged; the app runs on.
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
}
