"use client";
import { useState } from "react";
import { formatDateTimeVn } from "@/components/ui/datetime";
import { outputLabel } from "@/components/workflow-runs/format";
import { ResultJson, ResultTable, ResultTabs } from "@/components/workflow-runs/ResultView";
import { nextRuns } from "@/lib/workflows/cron";
import type { NodeRegistry } from "@/lib/workflows/registry";
import { fieldText, paramFields, parseFieldText, withParam, type ParamField } from "./params";
import type { NodeInputValue } from "./nodeIO";
import type { PinnedNode } from "./pinnedRun";
import type { NodeRunState } from "./runState";
import type { CanvasNode } from "./serialise";
import styles from "./builder.module.css";

interface Props {
  node: CanvasNode;
  registry: NodeRegistry;
  runState?: NodeRunState;
  /** A run's record of this node (a pinned past run, or the builder's last run): null when there is none. */
  results?: NodeResultsProps | null;
  onUnpin?: () => void;
  onChange: (nodeId: string, data: CanvasNode["data"]) => void;
}

/** The selected node's settings: its name and one labelled field per parameter, checked with the node's schema. */
export interface NodeResultsProps {
  kind: "pinned" | "last";
  banner: string;
  /** This node's recorded state (null when it did not run). */
  node: PinnedNode | null;
  inputs: NodeInputValue[];
}

export function NodePanel({ node, registry, runState, results, onUnpin, onChange }: Props) {
  const def = registry.get(node.type ?? "");
  if (!def) return <p className={styles.hint}>Unknown node type “{node.type}”: delete this node.</p>;
  const fields = paramFields(def.params);
  const parsed = def.params.safeParse(node.data.params);
  const errors = new Map<string, string>();
  if (!parsed.success) for (const issue of parsed.error.issues) errors.set(String(issue.path[0] ?? ""), issue.message);
  const set = (name: string, value: unknown) => onChange(node.id, { ...node.data, params: withParam(node.data.params, name, value) });
  const fid = (name: string) => `wf-param-${node.id}-${name}`;

  return (
    <div className={styles.panelBody}>
      <h2 className={styles.panelTitle} data-category={def.category}>
        {def.label}
      </h2>
      <p className={styles.hint}>{def.description}</p>
      <label className={styles.fieldLabel} htmlFor={`wf-name-${node.id}`}>
        Node name
      </label>
      <input
        id={`wf-name-${node.id}`}
        className={styles.input}
        value={node.data.label ?? ""}
        placeholder={def.label}
        maxLength={200}
        onChange={(e) => onChange(node.id, { ...node.data, ...(e.target.value ? { label: e.target.value } : { label: undefined }) })}
      />
      {fields.map((f) => (
        <Field key={f.name} field={f} id={fid(f.name)} value={node.data.params[f.name]} error={errors.get(f.name)} onValue={(v) => set(f.name, v)} />
      ))}
      {errors.get("") && <p className={styles.fieldError}>{errors.get("")}</p>}
      {fields.length === 0 && <p className={styles.hint}>This node has no settings.</p>}
      {def.type === "trigger.schedule" && <NextRuns cron={String(node.data.params.cron ?? "")} tradingDaysOnly={node.data.params.tradingDaysOnly !== false} />}
      {runState?.status === "failed" && runState.error && (
        <p className={styles.fieldError} role="alert">
          Last run failed: {runState.error}
        </p>
      )}
      {results && <NodeResults results={results} outputs={def.outputs} onUnpin={onUnpin} />}
      <p className={styles.hint}>Node id: {node.id}</p>
    </div>
  );
}

/**
 * The node's input and output in a run: the pinned one (a past run opened with ?run=) or the one just run
 * in the builder. Table and JSON views; long series as their first and last rows, as stored.
 */
function NodeResults({ results, outputs, onUnpin }: { results: NodeResultsProps; outputs: readonly { id: string; label: string }[]; onUnpin?: () => void }) {
  const recorded = results.node;
  const output = recorded?.output;
  const title = results.kind === "pinned" ? "Pinned run" : "Last run";
  return (
    <section className={styles.pinnedOutput} aria-label={`${title}: input and output`} data-testid={results.kind === "pinned" ? "pinned-output" : "node-results"}>
      <h3 className={styles.panelSubtitle}>{title}</h3>
      <p className={styles.hint}>{results.banner}</p>
      {!recorded ? (
        <p className={styles.hint}>This node did not run in that run.</p>
      ) : (
        <ResultTabs>
          {(tab) => (
            <>
              <h4 className={styles.resultTitle}>Input</h4>
              {results.inputs.length === 0 ? (
                <p className={styles.hint}>None: nothing is wired into this node.</p>
              ) : (
                results.inputs.map((input) => (
                  <div key={input.edgeId} data-testid="node-result-input">
                    <p className={styles.hint}>{input.label}</p>
                    {input.value === undefined ? (
                      <p className={styles.hint}>No value: the source {input.sourceStatus ? `ended ${input.sourceStatus}` : "did not run"}.</p>
                    ) : tab === "table" ? (
                      <ResultTable value={input.value} />
                    ) : (
                      <ResultJson value={input.value} />
                    )}
                  </div>
                ))
              )}
              <h4 className={styles.resultTitle}>Output</h4>
              {output && Object.keys(output).length > 0 ? (
                Object.entries(output).map(([port, value]) => (
                  <div key={port} data-testid="node-result-output">
                    <p className={styles.hint}>{outputLabel(outputs, port)}</p>
                    {tab === "table" ? <ResultTable value={value} /> : <ResultJson value={value} />}
                  </div>
                ))
              ) : (
                <p className={styles.hint}>No output recorded ({recorded.status}{recorded.error ? `: ${recorded.error}` : ""}).</p>
              )}
            </>
          )}
        </ResultTabs>
      )}
      {results.kind === "pinned" && onUnpin && (
        <button type="button" className={styles.button} onClick={onUnpin}>
          Unpin
        </button>
      )}
    </section>
  );
}

function Field({ field, id, value, error, onValue }: { field: ParamField; id: string; value: unknown; error?: string; onValue: (v: unknown) => void }) {
  const errorId = `${id}-error`;
  const common = { id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? errorId : undefined } as const;
  let control;
  if (field.kind === "boolean") {
    return (
      <div className={styles.checkRow}>
        <input {...common} type="checkbox" checked={value === undefined ? true : value === true} onChange={(e) => onValue(e.target.checked)} />
        <label htmlFor={id}>{field.label}</label>
        {error && <p id={errorId} className={styles.fieldError}>{error}</p>}
      </div>
    );
  } else if (field.kind === "choice") {
    control = (
      <select {...common} className={styles.input} value={fieldText(field, value)} onChange={(e) => onValue(parseFieldText(field, e.target.value))}>
        {field.optional && value === undefined && <option value="">(any)</option>}
        {field.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    control = <TextField {...common} field={field} value={value} onValue={onValue} />;
  }
  return (
    <div className={styles.field}>
      <label className={styles.fieldLabel} htmlFor={id}>
        {field.label}
      </label>
      {control}
      {error && (
        <p id={errorId} className={styles.fieldError}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A text or number input that keeps what is typed (e.g. "1." or "VNM, ") while the parameter gets the parsed value. */
function TextField({ field, value, onValue, ...rest }: { field: ParamField; value: unknown; onValue: (v: unknown) => void; id: string }) {
  const [text, setText] = useState(() => fieldText(field, value));
  return (
    <input
      {...rest}
      className={styles.input}
      inputMode={field.kind === "number" ? "decimal" : undefined}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onValue(parseFieldText(field, e.target.value));
      }}
      autoComplete="off"
      spellCheck={false}
    />
  );
}

function NextRuns({ cron, tradingDaysOnly }: { cron: string; tradingDaysOnly: boolean }) {
  const [now] = useState(() => new Date());
  let runs: Date[] = [];
  let error = false;
  try {
    runs = nextRuns(cron, now, 5, { tradingDaysOnly });
  } catch {
    error = true;
  }
  return (
    <section className={styles.nextRuns} aria-label="Next runs">
      <h3 className={styles.panelSubtitle}>Next five runs (GMT+7)</h3>
      {error ? (
        <p className={styles.hint}>None until the cron expression above is fixed.</p>
      ) : (
        <ol data-testid="next-runs">
          {runs.map((d) => (
            <li key={d.getTime()} className={styles.mono}>
              {formatDateTimeVn(d).replace(" GMT+7", "")}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
