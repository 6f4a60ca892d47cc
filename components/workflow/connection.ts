/**
 * Whether a connection the analyst is drawing may be made, and if not, why: the builder's
 * isValidConnection and the status line it shows on a refused drop. The port types and the reason
 * text are lib/workflows/graph.ts's, so the editor says what a save would say.
 */
import { portMismatchReason, resolvePort } from "@/lib/workflows/graph";
import type { NodeRegistry } from "@/lib/workflows/registry";
import { topologicalOrder } from "@/lib/workflows/topology";

export interface ConnectionLike {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

interface NodeLike {
  id: string;
  type?: string;
}

interface EdgeLike extends ConnectionLike {
  id: string;
}

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

export function checkConnection(registry: NodeRegistry, nodes: readonly NodeLike[], edges: readonly EdgeLike[], c: ConnectionLike): ConnectionCheck {
  if (c.source === c.target) return { ok: false, reason: "a node cannot feed its own input" };
  const source = nodes.find((n) => n.id === c.source);
  const target = nodes.find((n) => n.id === c.target);
  const sourceDef = source && registry.get(source.type ?? "");
  const targetDef = target && registry.get(target.type ?? "");
  if (!sourceDef || !targetDef) return { ok: false, reason: "one end is not a known node" };
  const from = resolvePort(sourceDef.outputs, c.sourceHandle);
  const to = resolvePort(targetDef.inputs, c.targetHandle);
  if (!from) return { ok: false, reason: `${sourceDef.label} has no such output` };
  if (!to) return { ok: false, reason: `${targetDef.label} has no such input` };
  if (from.type !== to.type) {
    return { ok: false, reason: `${targetDef.label}'s input "${to.label}" cannot take ${sourceDef.label}'s "${from.label}": ${portMismatchReason(from.type, to.type)}` };
  }
  const taken = edges.some((e) => e.target === c.target && (resolvePort(targetDef.inputs, e.targetHandle)?.id ?? null) === to.id);
  if (taken) return { ok: false, reason: `${targetDef.label}'s input "${to.label}" is already connected: delete that edge first` };
  const { cycles } = topologicalOrder(
    nodes.map((n) => n.id),
    [...edges, { id: "__new__", ...c }],
  );
  if (cycles.length > 0) return { ok: false, reason: "this edge would make a cycle: a node cannot depend on its own output" };
  return { ok: true };
}
