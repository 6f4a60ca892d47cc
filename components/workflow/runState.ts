/**
 * A run watched from the builder: the node states the run's event stream sends
 * (GET /api/workflows/[id]/runs/[runId]/events), folded into one state per node. Pure.
 */
export type NodeRunStatus = "pending" | "running" | "success" | "failed" | "skipped";

export interface NodeRunState {
  status: NodeRunStatus;
  durationMs?: number;
  error?: string;
}

export interface RunView {
  runId: string | null;
  status: "idle" | "starting" | "running" | "success" | "failed";
  nodes: Record<string, NodeRunState>;
  durationMs?: number;
  error?: string;
}

export const IDLE_RUN: RunView = { runId: null, status: "idle", nodes: {} };

const STATUSES = new Set<NodeRunStatus>(["pending", "running", "success", "failed", "skipped"]);

/** One `data:` line of the stream; anything unreadable is ignored (null). */
export function parseNodeEvent(text: string): ({ nodeId: string } & NodeRunState) | null {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (typeof v.nodeId !== "string" || !STATUSES.has(v.status as NodeRunStatus)) return null;
    return {
      nodeId: v.nodeId,
      status: v.status as NodeRunStatus,
      ...(typeof v.durationMs === "number" ? { durationMs: v.durationMs } : {}),
      ...(typeof v.error === "string" && v.error ? { error: v.error } : {}),
    };
  } catch {
    return null;
  }
}

export function applyNodeEvent(run: RunView, e: { nodeId: string } & NodeRunState): RunView {
  const { nodeId, ...state } = e;
  return { ...run, status: run.status === "starting" ? "running" : run.status, nodes: { ...run.nodes, [nodeId]: state } };
}

/** The final `event: done`: {status, durationMs, error?}. */
export function applyDone(run: RunView, text: string): RunView {
  let status: RunView["status"] = "failed";
  let durationMs: number | undefined;
  let error: string | undefined;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    status = v.status === "success" ? "success" : "failed";
    if (typeof v.durationMs === "number") durationMs = v.durationMs;
    if (typeof v.error === "string" && v.error) error = v.error;
  } catch {
    // an unreadable end still ends the run
  }
  return { ...run, status, ...(durationMs !== undefined ? { durationMs } : {}), ...(error ? { error } : {}) };
}

/** An `event: queued` of the stream: {ahead}, the jobs before this run; null if unreadable. */
export function parseQueuedEvent(text: string): number | null {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    return typeof v.ahead === "number" && Number.isInteger(v.ahead) && v.ahead >= 0 ? v.ahead : null;
  } catch {
    return null;
  }
}

/** What the builder says while its run waits for a free slot. */
export function queuedText(ahead: number): string {
  return ahead === 0 ? "Queued: starting shortly…" : `Queued: ${ahead} run${ahead === 1 ? "" : "s"} ahead of this one…`;
}

/** Every node of the graph pending, as the run starts. */
export function startRun(runId: string, nodeIds: readonly string[]): RunView {
  return { runId, status: "running", nodes: Object.fromEntries(nodeIds.map((id) => [id, { status: "pending" as const }])) };
}
