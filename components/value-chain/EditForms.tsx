"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { FormMessage } from "@/components/forms/Field";
import { ApiError, CHAIN_KEY, CHANGES_KEY, createEdge, createNode, updateEdge, updateNode } from "./api";
import { checkEdge, checkNode, EDGE_FIELDS, edgeFormValues, NODE_FIELDS, nodeFormValues, serverFieldErrors, type EdgeFormValues, type FieldErrors, type NodeFormValues } from "./forms";
import { LANES } from "./model";
import type { ChainEdgeJson, ChainNodeJson } from "./types";
import styles from "./value-chain.module.css";

/** A form's submit ("Saving…" while pending) and Cancel buttons. */
function FormActions({ pending, label, onCancel }: { pending: boolean; label: string; onCancel: () => void }) {
  return (
    <div className={styles.formActions}>
      <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={pending}>
        {pending ? "Saving…" : label}
      </button>
      <button type="button" className={styles.button} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function Row({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.fieldLabel}>
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className={styles.fieldHint}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className={styles.fieldError} data-testid={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

const aria = (id: string, error?: string, hint?: string) => ({
  id,
  "aria-invalid": error ? true : undefined,
  "aria-describedby": [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined,
});

/** Saves through the routes; a 400's reason goes back onto the fields it names. */
function useSave<T>(fields: readonly string[], send: (body: Record<string, unknown>) => Promise<T>, onDone: (r: T) => void) {
  const client = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const m = useMutation({
    mutationFn: send,
    onSuccess: async (r) => {
      setErrors({});
      await Promise.all([client.invalidateQueries({ queryKey: CHAIN_KEY }), client.invalidateQueries({ queryKey: CHANGES_KEY })]);
      onDone(r);
    },
    onError: (e) => setErrors(e instanceof ApiError && e.status === 400 ? serverFieldErrors(e.message, fields) : { form: (e as Error).message }),
  });
  return { errors, setErrors, pending: m.isPending, save: m.mutate };
}

export function NodeForm({ node, onDone, onCancel }: { node?: ChainNodeJson | null; onDone: (n: ChainNodeJson) => void; onCancel: () => void }) {
  const [v, setV] = useState<NodeFormValues>(() => nodeFormValues(node));
  const { errors, setErrors, pending, save } = useSave(NODE_FIELDS, (body) => (node ? updateNode(node.id, body) : createNode(body)), (r) => onDone(r.node));
  const set = (k: keyof NodeFormValues) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const c = checkNode(v, node);
    if (!c.ok) return setErrors(c.errors);
    if (node && Object.keys(c.body).length === 0) return setErrors({ form: "Nothing changed." });
    save(c.body);
  };
  return (
    <form onSubmit={submit} noValidate className={styles.form} aria-label={node ? `Edit ${node.name}` : "Add a node"} data-testid="node-form">
      <h2 className={styles.panelTitle}>{node ? `Edit ${node.name}` : "Add a node"}</h2>
      <Row id="vc-node-name" label="Name" error={errors.name}>
        <input {...aria("vc-node-name", errors.name)} className={styles.input} value={v.name} onChange={set("name")} autoFocus maxLength={255} />
      </Row>
      <Row id="vc-node-lane" label="Lane" error={errors.nodeType}>
        <select {...aria("vc-node-lane", errors.nodeType)} className={styles.input} value={v.nodeType} onChange={set("nodeType")}>
          <option value="">Choose…</option>
          {LANES.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </Row>
      <Row id="vc-node-sector" label="Sector" error={errors.sector} hint="ICB sector, such as Steel or Construction">
        <input {...aria("vc-node-sector", errors.sector, "x")} className={styles.input} value={v.sector} onChange={set("sector")} maxLength={255} />
      </Row>
      <Row id="vc-node-symbol" label="Symbol (optional)" error={errors.symbol} hint="A listed symbol such as HPG; one node per symbol">
        <input {...aria("vc-node-symbol", errors.symbol, "x")} className={`${styles.input} ${styles.mono}`} value={v.symbol} onChange={set("symbol")} maxLength={20} autoCapitalize="characters" />
      </Row>
      <Row id="vc-node-description" label="Description (optional)" error={errors.description}>
        <textarea {...aria("vc-node-description", errors.description)} className={styles.input} rows={3} value={v.description} onChange={set("description")} maxLength={2000} />
      </Row>
      <FormMessage error={errors.form} testId="node-form-error" />
      <FormActions pending={pending} label={node ? "Save node" : "Add node"} onCancel={onCancel} />
    </form>
  );
}

export function EdgeForm({
  edge,
  preset,
  nodes,
  onDone,
  onCancel,
}: {
  edge?: ChainEdgeJson | null;
  preset?: Partial<ChainEdgeJson>;
  nodes: readonly ChainNodeJson[];
  onDone: (e: ChainEdgeJson) => void;
  onCancel: () => void;
}) {
  const [v, setV] = useState<EdgeFormValues>(() => edgeFormValues(edge ?? preset));
  const { errors, setErrors, pending, save } = useSave(EDGE_FIELDS, (body) => (edge ? updateEdge(edge.id, body) : createEdge(body)), (r) => onDone(r.edge));
  const set = (k: keyof EdgeFormValues) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const c = checkEdge(v, edge);
    if (!c.ok) return setErrors(c.errors);
    save(c.body);
  };
  const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
  const options = sorted.map((n) => (
    <option key={n.id} value={n.id}>
      {n.name}
      {n.symbol ? ` (${n.symbol})` : ""} · {n.nodeType}
    </option>
  ));
  return (
    <form onSubmit={submit} noValidate className={styles.form} aria-label={edge ? "Edit the link" : "Add a link"} data-testid="edge-form">
      <h2 className={styles.panelTitle}>{edge ? "Edit the link" : "Add a link"}</h2>
      <Row id="vc-edge-source" label="From" error={errors.sourceId}>
        <select {...aria("vc-edge-source", errors.sourceId)} className={styles.input} value={v.sourceId} onChange={set("sourceId")}>
          <option value="">Choose a node…</option>
          {options}
        </select>
      </Row>
      <Row id="vc-edge-target" label="To" error={errors.targetId}>
        <select {...aria("vc-edge-target", errors.targetId)} className={styles.input} value={v.targetId} onChange={set("targetId")}>
          <option value="">Choose a node…</option>
          {options}
        </select>
      </Row>
      <Row id="vc-edge-relationship" label="Relationship (optional)" error={errors.relationship} hint="Such as “supplies ore to”">
        <input {...aria("vc-edge-relationship", errors.relationship, "x")} className={styles.input} value={v.relationship} onChange={set("relationship")} maxLength={255} />
      </Row>
      <fieldset className={styles.fieldset}>
        <legend className={styles.fieldLabel}>By hand, until the link is recomputed (optional)</legend>
        <div className={styles.fieldRow}>
          <Row id="vc-edge-rho" label="Correlation ρ" error={errors.correlationCoeff}>
            <input {...aria("vc-edge-rho", errors.correlationCoeff)} className={styles.input} inputMode="decimal" value={v.correlationCoeff} onChange={set("correlationCoeff")} placeholder="−1 to 1" />
          </Row>
          <Row id="vc-edge-lead" label="Lead (trading days)" error={errors.leadTimeDays}>
            <input {...aria("vc-edge-lead", errors.leadTimeDays)} className={styles.input} inputMode="numeric" value={v.leadTimeDays} onChange={set("leadTimeDays")} placeholder="±250" />
          </Row>
          <Row id="vc-edge-weight" label="Weight" error={errors.weight}>
            <input {...aria("vc-edge-weight", errors.weight)} className={styles.input} inputMode="decimal" value={v.weight} onChange={set("weight")} placeholder="0 to 1" />
          </Row>
        </div>
      </fieldset>
      <FormMessage error={errors.form} testId="edge-form-error" />
      <FormActions pending={pending} label={edge ? "Save link" : "Add link"} onCancel={onCancel} />
    </form>
  );
}
