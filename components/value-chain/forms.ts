/**
 * The node and edge forms' values → the bodies the routes take, checked by lib/valuechain's own zod
 * schemas before sending; the server's 400 reason ("targetId: …; name: …") put back next to its fields;
 * and the change log's before → after in words.
 */
import { edgeInputSchema, edgePatchSchema, nodeInputSchema, nodePatchSchema, SELF_LOOP_MESSAGE } from "@/lib/valuechain/schemas";
import { fieldErrorsFromZod } from "@/components/forms/zod-errors";
import type { ChainEdgeJson, ChainNodeJson, ChangeJson } from "./types";

export type FieldErrors = Record<string, string>;
export type Checked<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors };

export interface NodeFormValues {
  name: string;
  sector: string;
  nodeType: string;
  symbol: string;
  description: string;
}

export interface EdgeFormValues {
  sourceId: string;
  targetId: string;
  relationship: string;
  correlationCoeff: string;
  leadTimeDays: string;
  weight: string;
}

export const NODE_FIELDS = ["name", "sector", "nodeType", "symbol", "description"] as const;
export const EDGE_FIELDS = ["sourceId", "targetId", "relationship", "correlationCoeff", "leadTimeDays", "weight"] as const;

export function nodeFormValues(n?: ChainNodeJson | null): NodeFormValues {
  return { name: n?.name ?? "", sector: n?.sector ?? "", nodeType: n?.nodeType ?? "", symbol: n?.symbol ?? "", description: n?.description ?? "" };
}

const numText = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));

export function edgeFormValues(e?: Partial<ChainEdgeJson> | null): EdgeFormValues {
  return {
    sourceId: e?.sourceId ?? "",
    targetId: e?.targetId ?? "",
    relationship: e?.relationship ?? "",
    correlationCoeff: numText(e?.correlationCoeff),
    leadTimeDays: numText(e?.leadTimeDays),
    weight: numText(e?.weight),
  };
}

/** A number field: empty means none (null); anything else is Number() of it (NaN is refused by the schema). */
const numberOrNull = (s: string) => (s.trim() === "" ? null : Number(s.trim().replace("−", "-")));

/** The body of a new node (POST) or, with `before`, only the fields that changed (PATCH). */
export function checkNode(v: NodeFormValues, before?: ChainNodeJson | null): Checked<Record<string, unknown>> {
  const body: Record<string, unknown> = {
    name: v.name,
    sector: v.sector,
    nodeType: v.nodeType === "" ? undefined : v.nodeType,
    symbol: v.symbol.trim() === "" ? null : v.symbol,
    description: v.description.trim() === "" ? null : v.description,
  };
  if (!before) {
    const r = nodeInputSchema.safeParse(body);
    return r.success ? { ok: true, body } : { ok: false, errors: fieldErrorsFromZod(r.error) };
  }
  const old = nodeFormValues(before);
  const patch = Object.fromEntries(NODE_FIELDS.filter((f) => v[f] !== old[f]).map((f) => [f, body[f]]));
  const r = nodePatchSchema.safeParse(patch);
  return r.success ? { ok: true, body: patch } : { ok: false, errors: fieldErrorsFromZod(r.error) };
}

export function checkEdge(v: EdgeFormValues, before?: ChainEdgeJson | null): Checked<Record<string, unknown>> {
  const body: Record<string, unknown> = {
    sourceId: v.sourceId,
    targetId: v.targetId,
    relationship: v.relationship.trim() === "" ? null : v.relationship,
    correlationCoeff: numberOrNull(v.correlationCoeff),
    leadTimeDays: numberOrNull(v.leadTimeDays),
    weight: numberOrNull(v.weight),
  };
  const errors: FieldErrors = {};
  if (!v.sourceId) errors.sourceId = "choose the node the link starts from";
  if (!v.targetId) errors.targetId = "choose the node the link goes to";
  if (Object.keys(errors).length) return { ok: false, errors };
  // zod runs the schema's self-loop refinement only once every field is valid: say it at once.
  const loop: FieldErrors = v.sourceId === v.targetId ? { targetId: SELF_LOOP_MESSAGE } : {};
  if (!before) {
    const r = edgeInputSchema.safeParse(body);
    return r.success ? { ok: true, body } : { ok: false, errors: { ...fieldErrorsFromZod(r.error), ...loop } };
  }
  const old = edgeFormValues(before);
  const patch = Object.fromEntries(EDGE_FIELDS.filter((f) => v[f] !== old[f]).map((f) => [f, body[f]]));
  if (Object.keys(patch).length === 0) return { ok: false, errors: { form: "nothing to change" } };
  const r = edgePatchSchema.safeParse({ ...patch, sourceId: body.sourceId, targetId: body.targetId });
  return r.success ? { ok: true, body: patch } : { ok: false, errors: { ...fieldErrorsFromZod(r.error), ...loop } };
}

/**
 * The server's reason ("targetId: an edge cannot link …; weight: …", lib/valuechain describeIssues)
 * split onto the form's fields; what names no field of the form goes to `form`.
 */
export function serverFieldErrors(message: string, fields: readonly string[]): FieldErrors {
  const out: FieldErrors = {};
  const rest: string[] = [];
  // A reason may hold "; " itself: split only where the next part names a field.
  for (const part of message.split(/; (?=[A-Za-z]+: )/)) {
    const m = /^([A-Za-z]+): (.+)$/s.exec(part);
    if (m && fields.includes(m[1]!)) out[m[1]!] ??= m[2]!;
    else rest.push(part);
  }
  if (rest.length) out.form = rest.join("; ");
  return out;
}

const FIELD_NAMES: Record<string, string> = {
  name: "name",
  sector: "sector",
  nodeType: "lane",
  symbol: "symbol",
  description: "description",
  sourceName: "from",
  targetName: "to",
  relationship: "relationship",
  correlationCoeff: "ρ",
  leadTimeDays: "lead (days)",
  weight: "weight",
};

const shown = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : typeof v === "number" ? String(v) : String(v));

/** A change's fields in words: every field of a creation or removal, the changed ones of an update ("ρ: — → 0.49"). */
export function describeChange(c: ChangeJson): string[] {
  const keys = Object.keys(FIELD_NAMES);
  if (c.action === "update" && c.before && c.after) {
    return keys
      .filter((k) => (k in c.before! || k in c.after!) && JSON.stringify(c.before![k] ?? null) !== JSON.stringify(c.after![k] ?? null))
      .map((k) => `${FIELD_NAMES[k]}: ${shown(c.before![k])} → ${shown(c.after![k])}`);
  }
  const side = c.after ?? c.before;
  if (!side) return [];
  return keys.filter((k) => k in side && side[k] !== null && side[k] !== undefined && side[k] !== "").map((k) => `${FIELD_NAMES[k]}: ${shown(side[k])}`);
}

export const ACTION_WORDS = { create: "added", update: "changed", delete: "removed" } as const;
