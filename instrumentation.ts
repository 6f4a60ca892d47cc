/** Next's start hook: the Node.js server's own services live in instrumentation-node.ts. */
export async function register(): Promise<void> {
  // NEXT_RUNTIME and NEXT_PHASE are set by Next itself for each runtime and phase (not configuration).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerServices } = await import("./instrumentation-node");
  await startServerServices();
}
