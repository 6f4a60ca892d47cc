import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/app/_lib/page-user";
import { formatDateTimeVn } from "@/components/ui/datetime";
import { PageHeader } from "@/components/ui/PageHeader";
import { formatDuration, outputLabel } from "@/components/workflow-runs/format";
import styles from "@/components/workflow-runs/list.module.css";
import { NodeValue } from "@/components/workflow-runs/NodeValue";
import { RunWatcher } from "@/components/workflow-runs/RunWatcher";
import { StatusLabel } from "@/components/workflow-runs/WorkflowList";
import { RunDeliveries } from "@/components/notifications/RunDeliveries";
import { getDb, getPool } from "@/db/client";
import { deliveriesOfRun } from "@/lib/notifications/delivery";
import { getWorkflow, parseId } from "@/lib/ownership/owned";
import { resolvePort, type GraphEdge, type GraphNode } from "@/lib/workflows/graph";
import { defaultRegistry } from "@/lib/workflows/registry";
import { getRun } from "@/lib/workflows/run";
import { topologicalOrder } from "@/lib/workflows/topology";
import { RUN_MODE_LABELS, runOutcome } from "@/lib/workflows/outcome";
import { RunOutcomeView } from "@/components/workflow-runs/RunOutcomeView";

export const metadata: Metadata = { title: "Workflow run" };
export const dynamic = "force-dynamic";

interface StoredNode {
  status: string;
  output?: Record<string, unknown>;
  error?: string;
  durationMs?: number;
}

/** One run: its status and, node by node in the order they ran, each node's inputs, outputs and error. */
export default async function WorkflowRunPage({ params }: { params: Promise<{ id: string; runId: string }> }) {
  const p = await params;
  const [id, runId] = [parseId(p.id), parseId(p.runId)];
  const user = await requirePageUser();
  if (!id || !runId) notFound();
  const db = getDb();
  const [workflow, run] = await Promise.all([getWorkflow(db, user.id, id), getRun(db, user.id, id, runId)]);
  if (!workflow || !run) notFound();
  const deliveries = await deliveriesOfRun(getPool(), user.id, run.id);

  const result = (run.result ?? {}) as { nodes?: Record<string, StoredNode>; problems?: { message: string }[] };
  const states = result.nodes ?? {};
  const graph = workflow.jsonGraph as { nodes?: GraphNode[]; edges?: GraphEdge[] };
  const graphNodes = new Map((graph.nodes ?? []).map((n) => [n.id, n]));
  const edges = graph.edges ?? [];
  const labelOf = (nodeId: string) => {
    const n = graphNodes.get(nodeId);
    return n?.data?.label ?? defaultRegistry.get(n?.type ?? "")?.label ?? nodeId;
  };
  const ended = run.status === "success" || run.status === "failed";
  // The order the nodes ran in (JSONB does not keep the result's key order).
  const { order } = topologicalOrder([...graphNodes.keys()], edges);
  const rank = new Map(order.map((nodeId, i) => [nodeId, i]));
  const outcome = runOutcome(run, graph);
  const nodeStates = Object.entries(states).sort(([a], [b]) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || a.localeCompare(b));

  return (
    <>
      <PageHeader
        title={`Run of “${workflow.name}”`}
        parent={{ href: `/workflows/${workflow.id}/runs`, label: "Runs" }}
        description="What the run found first; below, each node's status, inputs and outputs (long series show their first and last points)."
        actions={
          <>
            <Link className="btn" href={`/workflows/${workflow.id}`}>
              Open in builder
            </Link>
            {ended ? (
              <Link className="btn" href={`/workflows/${workflow.id}?run=${run.id}`} data-testid="open-run-in-builder">
                Open in builder with this run&apos;s data
              </Link>
            ) : null}
          </>
        }
      />
      {ended ? <RunOutcomeView outcome={outcome} /> : null}
      <dl className={styles.facts} data-testid="run-facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusLabel status={run.status} />
          </dd>
        </div>
        <div>
          <dt>Mode</dt>
          <dd data-testid="run-mode">{RUN_MODE_LABELS[outcome.mode]}</dd>
        </div>
        <div>
          <dt>Started at</dt>
          <dd>{run.executedAt ? formatDateTimeVn(run.executedAt) : "—"}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(run.durationMs)}</dd>
        </div>
        <div>
          <dt>Nodes</dt>
          <dd>{Object.keys(states).length}</dd>
        </div>
      </dl>
      {run.errorMessage ? (
        <p role="alert" className={`${styles.message} ${styles.error}`} data-testid="run-error">
          {run.errorMessage}
        </p>
      ) : null}
      {!ended ? <RunWatcher workflowId={workflow.id} runId={run.id} /> : null}
      <RunDeliveries deliveries={deliveries} />

      <section className={styles.section} aria-labelledby="run-nodes-heading">
        <h2 id="run-nodes-heading">Node by node</h2>
        {nodeStates.map(([nodeId, state]) => {
          const node = graphNodes.get(nodeId);
          const def = defaultRegistry.get(node?.type ?? "");
          const incoming = edges.filter((e) => e.target === nodeId);
          return (
            <details key={nodeId} className={styles.node} open={state.status === "failed"} data-testid={`run-node-${nodeId}`}>
              <summary>
                <strong>{labelOf(nodeId)}</strong>
                <span className={styles.muted}>{def?.label ?? node?.type ?? ""}</span>
                <StatusLabel status={state.status} />
                <span className={styles.muted}>{formatDuration(state.durationMs)}</span>
              </summary>
              {state.error ? <p className={styles.nodeError}>{state.error}</p> : null}
              {incoming.length > 0 ? (
                <div className={styles.section}>
                  <h3 style={{ fontSize: "0.875rem", margin: "0 0 0.25rem" }}>Inputs</h3>
                  {incoming.map((e) => {
                    const source = graphNodes.get(e.source);
                    const from = resolvePort(defaultRegistry.get(source?.type ?? "")?.outputs, e.sourceHandle);
                    const to = resolvePort(def?.inputs, e.targetHandle);
                    const value = from ? states[e.source]?.output?.[from.id] : undefined;
                    return (
                      <div key={e.id}>
                        <p className={styles.muted} style={{ margin: "0.25rem 0" }}>
                          {to?.label ?? e.targetHandle ?? "input"} ← {labelOf(e.source)} · {from?.label ?? e.sourceHandle ?? "output"}
                        </p>
                        {value !== undefined ? <NodeValue value={value} /> : <p className={styles.muted}>No value (the source did not succeed).</p>}
                      </div>
                    );
                  })}
                </div>
              ) : null}
              {state.output ? (
                <div className={styles.section}>
                  <h3 style={{ fontSize: "0.875rem", margin: "0 0 0.25rem" }}>Outputs</h3>
                  {Object.entries(state.output).map(([port, value]) => (
                    <div key={port}>
                      <p className={styles.muted} style={{ margin: "0.25rem 0" }}>
                        {outputLabel(def?.outputs, port)}
                      </p>
                      <NodeValue value={value} />
                    </div>
                  ))}
                </div>
              ) : null}
            </details>
          );
        })}
        {ended && Object.keys(states).length === 0 ? <p className={styles.muted}>No node ran.</p> : null}
      </section>
    </>
  );
}
