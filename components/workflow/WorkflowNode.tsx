"use client";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { useBuilderView } from "./context";
import type { WorkflowNodeData } from "./serialise";
import styles from "./builder.module.css";

const STATUS_TEXT = { pending: "Pending", running: "Running", success: "Done", failed: "Failed", skipped: "Skipped" } as const;

/** One workflow node: its category colour, typed handles with their labels, problems and run state. */
function WorkflowNodeView({ id, type, data, selected }: NodeProps & { data: WorkflowNodeData }) {
  const { registry, problems, run } = useBuilderView();
  const def = registry.get(type ?? "");
  const mine = problems.get(id);
  const state = run.nodes[id];
  const title = state?.status === "failed" && state.error ? `Failed: ${state.error}` : mine ? mine.join("\n") : undefined;
  return (
    <div
      className={styles.node}
      data-category={def?.category ?? "unknown"}
      data-status={state?.status}
      data-invalid={mine ? "true" : undefined}
      data-selected={selected ? "true" : undefined}
      data-testid={`wf-node-${id}`}
      title={title}
    >
      <div className={styles.nodeHeader}>
        <span className={styles.nodeCategory}>{def?.category ?? "?"}</span>
        <span className={styles.nodeTitle}>{data.label || def?.label || type}</span>
        {state && (
          <span className={styles.nodeStatus} data-status={state.status}>
            {STATUS_TEXT[state.status]}
            {state.durationMs !== undefined && state.status !== "pending" && state.status !== "running" ? ` · ${state.durationMs} ms` : ""}
          </span>
        )}
      </div>
      <div className={styles.nodePorts}>
        <div className={styles.portColumn}>
          {def?.inputs.map((p) => (
            <div key={p.id} className={styles.port} data-port-type={p.type}>
              <Handle type="target" id={p.id} position={Position.Left} className={styles.handle} data-port-type={p.type} aria-label={`${p.label} input (${p.type})`} />
              <span>
                {p.label}
                {p.required ? "" : " (optional)"}
              </span>
              <span className={styles.portType}>{p.type}</span>
            </div>
          ))}
        </div>
        <div className={`${styles.portColumn} ${styles.portColumnOut}`}>
          {def?.outputs.map((p) => (
            <div key={p.id} className={styles.port} data-port-type={p.type}>
              <span className={styles.portType}>{p.type}</span>
              <span>{p.label}</span>
              <Handle type="source" id={p.id} position={Position.Right} className={styles.handle} data-port-type={p.type} aria-label={`${p.label} output (${p.type})`} />
            </div>
          ))}
        </div>
      </div>
      {state?.status === "failed" && state.error && <p className={styles.nodeError}>{state.error}</p>}
      {mine && !state && (
        <ul className={styles.nodeProblems} aria-label="Problems">
          {mine.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const WorkflowNode = memo(WorkflowNodeView);
