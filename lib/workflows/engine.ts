/**
 * Runs a workflow graph: validate, order (Kahn, deterministic), then run each node in that order with
 * its own time limit inside the run's limit. A failed node skips only what depends on it; every node's
 * state change is reported as it happens (the builder streams them), and the result carries every
 * node's (truncated) output for the caller to store in workflow_execution_logs. No database here.
 *
 * Nodes run one at a time: the order (and so the event stream) is the same on every run, and on two
 * cores the data nodes' queries gain little from overlapping. A limit can only interrupt a node that
 * awaits; a node that computes synchronously past its limit is failed when it returns.
 */
import { checkGraph, nodeName, resolvePort, type GraphNode, type GraphProblem } from "./graph";
import type { NodeRegistry } from "./registry";
import { topologicalOrder } from "./topology";
import { DEFAULT_KEEP_POINTS, storedOutputs } from "./truncate";
import type { NodeContext, NodeInputs, NodeOutputs } from "./types";

export type NodeStatus = "pending" | "running" | "success" | "failed" | "skipped";

export interface NodeRunState {
  status: NodeStatus;
  output?: unknown;
  error?: string;
  durationMs?: number;
}

export interface NodeStateEvent extends NodeRunState {
  nodeId: string;
}

export interface RunOptions {
  nodeTimeoutMs?: number;
  runTimeoutMs?: number;
  /** Called on every state change (pending → running → success/failed/skipped). */
  onNodeState?: (event: NodeStateEvent) => void;
  /** Items kept at each end of a long array in the result. */
  keepPoints?: number;
  /** The caller's own stop (e.g. the app shutting down). */
  signal?: AbortSignal;
}

export interface RunResult {
  status: "success" | "failed";
  durationMs: number;
  nodes: Record<string, NodeRunState>;
  /** Names the failing node(s) and why; null on success. */
  errorMessage: string | null;
  /** Set when the graph was refused before running. */
  problems?: GraphProblem[];
}

export type RunServices = Omit<NodeContext, "signal">;

export const DEFAULT_NODE_TIMEOUT_MS = 30_000;
export const DEFAULT_RUN_TIMEOUT_MS = 120_000;

class LimitError extends Error {}

export async function runWorkflow(rawGraph: unknown, registry: NodeRegistry, services: RunServices, options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const { nodeTimeoutMs = DEFAULT_NODE_TIMEOUT_MS, runTimeoutMs = DEFAULT_RUN_TIMEOUT_MS, keepPoints = DEFAULT_KEEP_POINTS } = options;
  const elapsed = () => Math.round(performance.now() - started);

  const { graph, problems } = checkGraph(rawGraph, registry);
  if (!graph) {
    return { status: "failed", durationMs: elapsed(), nodes: {}, problems, errorMessage: `the graph was refused: ${problems.map((p) => p.message).join("; ")}` };
  }

  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const name = (n: GraphNode) => nodeName(n, registry.get(n.type)?.label);
  const { order } = topologicalOrder(graph.nodes.map((n) => n.id), graph.edges);
  const states: Record<string, NodeRunState> = {};
  const set = (nodeId: string, state: NodeRunState) => {
    states[nodeId] = state;
    options.onNodeState?.({ nodeId, ...state });
  };
  for (const id of order) set(id, { status: "pending" });

  const run = new AbortController();
  const runTimer = setTimeout(() => run.abort(new LimitError(`the run passed its limit of ${runTimeoutMs} ms`)), runTimeoutMs);
  const onOuterAbort = () => run.abort(options.signal?.reason ?? new Error("the run was cancelled"));
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });

  const outputs = new Map<string, NodeOutputs>();
  const failures: string[] = [];
  try {
    for (const id of order) {
      const node = nodes.get(id)!;
      const def = registry.get(node.type)!;
      const incoming = graph.edges.filter((e) => e.target === id);
      const blocked = [...new Set(incoming.map((e) => e.source))].filter((s) => states[s]?.status !== "success");
      if (run.signal.aborted) {
        set(id, { status: "skipped", error: `not started: ${reasonOf(run.signal)}` });
        continue;
      }
      if (blocked.length > 0) {
        set(id, { status: "skipped", error: `not run: ${blocked.map((s) => name(nodes.get(s)!)).join(", ")} did not succeed` });
        continue;
      }
      const inputs: NodeInputs = {};
      for (const e of incoming) {
        const from = resolvePort(registry.get(nodes.get(e.source)!.type)!.outputs, e.sourceHandle)!;
        const to = resolvePort(def.inputs, e.targetHandle)!;
        inputs[to.id] = outputs.get(e.source)?.[from.id];
      }
      set(id, { status: "running" });
      const t0 = performance.now();
      try {
        const params = def.params.parse(node.data.params);
        const out = await withinLimit((signal) => def.execute(inputs, params, { ...services, signal }), nodeTimeoutMs, run.signal);
        const durationMs = Math.round(performance.now() - t0);
        if (durationMs > nodeTimeoutMs) throw new LimitError(`ran past its limit of ${nodeTimeoutMs} ms (${durationMs} ms)`);
        outputs.set(id, out);
        set(id, { status: "success", output: storedOutputs(out, def.outputs, keepPoints), durationMs });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        failures.push(`${name(node)} failed: ${message}`);
        set(id, { status: "failed", error: message, durationMs: Math.round(performance.now() - t0) });
      }
    }
  } finally {
    clearTimeout(runTimer);
    options.signal?.removeEventListener("abort", onOuterAbort);
  }

  const ok = order.every((id) => states[id]?.status === "success");
  const skippedByLimit = run.signal.aborted && failures.length === 0 ? [`stopped: ${reasonOf(run.signal)}`] : [];
  return { status: ok ? "success" : "failed", durationMs: elapsed(), nodes: states, errorMessage: ok ? null : [...failures, ...skippedByLimit].join("; ") };
}

function reasonOf(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
}

/** Races the node against its own limit and the run's; the node's signal is aborted either way. */
async function withinLimit<T>(work: (signal: AbortSignal) => T | Promise<T>, limitMs: number, runSignal: AbortSignal): Promise<T> {
  const node = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onRunAbort: (() => void) | undefined;
  const limits = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new LimitError(`ran past its limit of ${limitMs} ms`);
      node.abort(e);
      reject(e);
    }, limitMs);
    onRunAbort = () => {
      node.abort(runSignal.reason);
      reject(new LimitError(`stopped: ${reasonOf(runSignal)}`));
    };
    runSignal.addEventListener("abort", onRunAbort, { once: true });
  });
  const task = Promise.resolve().then(() => work(node.signal));
  task.catch(() => {}); // a node abandoned at its limit may still reject later: not an unhandled rejection
  try {
    return await Promise.race([task, limits]);
  } finally {
    clearTimeout(timer);
    if (onRunAbort) runSignal.removeEventListener("abort", onRunAbort);
  }
}
