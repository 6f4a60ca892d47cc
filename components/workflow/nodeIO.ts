/**
 * A node's input and output in a finished run, for the side panel: the output is what the run stored for
 * the node; the input is, wire by wire, what the upstream nodes feeding it stored on the ports wired to
 * it (the engine hands a node exactly those values). Pure.
 */
import { resolvePort } from "@/lib/workflows/graph";
import type { NodeRegistry } from "@/lib/workflows/registry";
import type { PinnedNode } from "./pinnedRun";
import { labelOf, type CanvasEdge, type CanvasNode } from "./serialise";

export interface NodeInputValue {
  edgeId: string;
  /** "Series ← RSI · Series": the input port, the source node and its port. */
  label: string;
  /** undefined: the source did not succeed (or did not run) in that run. */
  value: unknown;
  sourceStatus: PinnedNode["status"] | null;
}

export function nodeInputs(nodeId: string, nodes: readonly CanvasNode[], edges: readonly CanvasEdge[], registry: NodeRegistry, results: Record<string, PinnedNode>): NodeInputValue[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const target = byId.get(nodeId);
  const targetDef = registry.get(target?.type ?? "");
  const rank = (e: CanvasEdge) => targetDef?.inputs.findIndex((p) => p.id === resolvePort(targetDef.inputs, e.targetHandle)?.id) ?? 0;
  return edges
    .filter((e) => e.target === nodeId)
    .sort((a, b) => rank(a) - rank(b))
    .map((e) => {
      const source = byId.get(e.source);
      const from = resolvePort(registry.get(source?.type ?? "")?.outputs, e.sourceHandle);
      const to = resolvePort(targetDef?.inputs, e.targetHandle);
      const stored = results[e.source];
      const sourceName = source ? labelOf(source, registry) : e.source;
      return {
        edgeId: e.id,
        label: `${to?.label ?? e.targetHandle ?? "Input"} ← ${sourceName}${from ? ` · ${from.label}` : ""}`,
        value: from && stored?.output ? stored.output[from.id] : undefined,
        sourceStatus: stored?.status ?? null,
      };
    });
}
