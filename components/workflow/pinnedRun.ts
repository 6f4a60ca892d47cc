/**
 * A past run pinned on the builder's canvas ("Open in builder with this run's data"): the run's log
 * row (workflow_execution_logs.result) folded into one state per node: the status colouring of a
 * live run plus the node's recorded output (truncated as stored). Pure.
 */
import { formatDateTimeVn } from "@/components/ui/datetime";
import type { NodeRunState, NodeRunStatus, RunView } from "./runState";

export interface PinnedNode extends NodeRunState {
  /** The node's outputs by port, as stored (long series keep their ends: { truncated, size, head, tail }). */
  output?: Record<string, unknown>;
}

export interface PinnedRun {
  runId: string;
  status: RunView["status"];
  /** ISO time the run started (null when the row has none). */
  executedAt: string | null;
  nodes: Record<string, PinnedNode>;
}

const STATUSES = new Set<NodeRunStatus>(["pending", "running", "success", "failed", "skipped"]);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The per-node pinned states of a stored run result ({ nodes: { [id]: { status, output?, error?, durationMs? } } }).
 * Nodes that are not on the canvas (when `nodeIds` is given) and unreadable entries are dropped.
 */
export function pinnedNodesFromResult(result: unknown, nodeIds?: readonly string[]): Record<string, PinnedNode> {
  const stored = isObject(result) && isObject(result.nodes) ? result.nodes : {};
  const keep = nodeIds ? new Set(nodeIds) : null;
  const out: Record<string, PinnedNode> = {};
  for (const [nodeId, v] of Object.entries(stored)) {
    if (keep && !keep.has(nodeId)) continue;
    if (!isObject(v) || !STATUSES.has(v.status as NodeRunStatus)) continue;
    out[nodeId] = {
      status: v.status as NodeRunStatus,
      ...(typeof v.durationMs === "number" ? { durationMs: v.durationMs } : {}),
      ...(typeof v.error === "string" && v.error ? { error: v.error } : {}),
      ...(isObject(v.output) ? { output: v.output } : {}),
    };
  }
  return out;
}

/** A log row as the builder page reads it, pinned. */
export function pinRun(
  row: { id: string; status: string; executedAt: Date | string | null; result: unknown },
  nodeIds?: readonly string[],
): PinnedRun {
  const status: RunView["status"] = row.status === "success" || row.status === "failed" || row.status === "running" ? row.status : row.status === "pending" ? "starting" : "failed";
  const executedAt = row.executedAt === null ? null : new Date(row.executedAt).toISOString();
  return { runId: row.id, status, executedAt, nodes: pinnedNodesFromResult(row.result, nodeIds) };
}

/** The canvas colouring of a pinned run: the same RunView a live run ends with (outputs left out). */
export function pinnedRunView(pinned: PinnedRun): RunView {
  const nodes: Record<string, NodeRunState> = {};
  for (const [id, n] of Object.entries(pinned.nodes)) {
    nodes[id] = { status: n.status, ...(n.durationMs !== undefined ? { durationMs: n.durationMs } : {}), ...(n.error ? { error: n.error } : {}) };
  }
  return { runId: pinned.runId, status: pinned.status, nodes };
}

/** "Showing run of 26/11/2026 14:05 (GMT+7) — outputs pinned; run again to refresh" */
export function pinnedBanner(executedAt: string | null): string {
  const when = executedAt ? formatDateTimeVn(new Date(executedAt)).replace(" GMT+7", " (GMT+7)") : "an unknown time";
  return `Showing run of ${when} — outputs pinned; run again to refresh`;
}

/** "Run of 26/11/2026 14:05 (GMT+7): succeeded" — the run just made in the builder, read back from its record. */
export function lastRunBanner(executedAt: string | null, status: PinnedRun["status"]): string {
  const when = executedAt ? formatDateTimeVn(new Date(executedAt)).replace(" GMT+7", " (GMT+7)") : "an unknown time";
  const word = status === "success" ? "succeeded" : status === "failed" ? "failed" : status;
  return `Run of ${when}: ${word}`;
}
