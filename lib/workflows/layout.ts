/**
 * Workflow graphs through the shared layout (lib/graph-layout.ts): the starter templates and imported
 * graphs get their positions here. On the server nothing is drawn, so each node's box is estimated
 * from what components/workflow/WorkflowNode.tsx draws with builder.module.css (a header line, then
 * one 20 px row per port); the estimate errs wide, which only widens a column. The builder's
 * "Arrange" uses the sizes the browser measured instead.
 */
import { layoutGraph, overlappingBoxes, type Box, type LayoutNode } from "@/lib/graph-layout";
import type { WorkflowGraph } from "./graph";
import type { NodeRegistry } from "./registry";
import type { PortSpec } from "./types";

/** builder.module.css in numbers (.node, .nodeHeader, .nodePorts, .port). */
export const NODE_BOX = {
  minWidth: 190,
  borderTop: 3,
  border: 1,
  /** .nodeHeader: 6 px padding above and below a 13 px title at line-height 1.5, and its 1 px rule. */
  header: 6 + 19.5 + 6 + 1,
  portsPadding: 4,
  row: 20,
  rowGap: 2,
  /** .handle is 10 px wide, centred on the node's inner edge. */
  handleOutset: 4,
} as const;

/** The gaps the workflow canvas uses between columns and between the nodes of a column. */
export const WORKFLOW_LAYOUT = { columnGap: 80, rowGap: 36, handleOutset: NODE_BOX.handleOutset } as const;

// Generous average glyph widths (px per character) for the sans-serif and monospace stacks.
const textWidth = (text: string, px: number, bold = false) => text.length * px * (bold ? 0.64 : 0.58);
const monoWidth = (text: string, px: number) => text.length * px * 0.62;

function portRowWidth(p: PortSpec, input: boolean): number {
  const label = input ? `${p.label}${p.required ? "" : " (optional)"}` : p.label;
  return 12 + textWidth(label, 12) + 6 + monoWidth(p.type, 10) + 12;
}

/** The box a node of this definition and label is drawn in, and the y offsets of its handles. */
export function workflowNodeBox(def: { category: string; label: string; inputs: readonly PortSpec[]; outputs: readonly PortSpec[] } | undefined, label?: string): Pick<LayoutNode, "width" | "height" | "ports"> {
  const inputs = def?.inputs ?? [];
  const outputs = def?.outputs ?? [];
  const title = label || def?.label || "";
  const header = 10 + textWidth((def?.category ?? "?").toUpperCase(), 10, true) * 1.1 + 6 + textWidth(title, 13, true) + 10;
  const left = Math.max(0, ...inputs.map((p) => portRowWidth(p, true)));
  const right = Math.max(0, ...outputs.map((p) => portRowWidth(p, false)));
  const width = Math.ceil(Math.max(NODE_BOX.minWidth, header, left + 12 + right) + 2 * NODE_BOX.border);
  const rows = Math.max(inputs.length, outputs.length, 1);
  const top = NODE_BOX.borderTop + NODE_BOX.header + NODE_BOX.portsPadding;
  const height = Math.ceil(top + rows * NODE_BOX.row + (rows - 1) * NODE_BOX.rowGap + NODE_BOX.portsPadding + NODE_BOX.border);
  const rowCentre = (i: number) => top + i * (NODE_BOX.row + NODE_BOX.rowGap) + NODE_BOX.row / 2;
  return {
    width,
    height,
    ports: {
      in: Object.fromEntries(inputs.map((p, i) => [p.id, rowCentre(i)])),
      out: Object.fromEntries(outputs.map((p, i) => [p.id, rowCentre(i)])),
    },
  };
}

function layoutNodes(graph: Pick<WorkflowGraph, "nodes">, registry: NodeRegistry): LayoutNode[] {
  return graph.nodes.map((n) => ({ id: n.id, ...workflowNodeBox(registry.get(n.type), n.data?.label) }));
}

/** The graph with every node placed by the layered layout (the viewport is dropped: the builder fits the view). */
export function arrangeWorkflowGraph(graph: WorkflowGraph, registry: NodeRegistry): WorkflowGraph {
  const { positions } = layoutGraph(layoutNodes(graph, registry), graph.edges, WORKFLOW_LAYOUT);
  const { viewport: _dropped, ...rest } = graph;
  void _dropped;
  return { ...rest, nodes: graph.nodes.map((n) => ({ ...n, position: { x: positions[n.id]?.x ?? 0, y: positions[n.id]?.y ?? 0 } })) };
}

/** Whether the graph's own positions would draw nodes on top of each other (a hand-written file often puts them all at 0,0). */
export function hasOverlappingNodes(graph: Pick<WorkflowGraph, "nodes">, registry: NodeRegistry): boolean {
  // Boxes a quarter narrower than the estimate (which errs wide), so a tight arrangement of the user's own is kept.
  const boxes = new Map<string, Box>(layoutNodes(graph, registry).map((n, i) => [n.id, { ...graph.nodes[i]!.position, width: n.width * 0.75, height: n.height - 8 }]));
  return overlappingBoxes(boxes).length > 0;
}

/**
 * An imported file's graph with a placeholder position for each node that has none (a graph written
 * by hand or by another tool often has none), and whether any was missing: such a graph is laid out.
 * A position that is there but wrong is left for the schema to refuse.
 */
export function fillMissingPositions(raw: unknown): { raw: unknown; missing: boolean } {
  const nodes = (raw as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return { raw, missing: false };
  let missing = false;
  const filled = nodes.map((n: unknown) => {
    if (typeof n !== "object" || n === null || Array.isArray(n) || "position" in n) return n;
    missing = true;
    return { ...n, position: { x: 0, y: 0 } };
  });
  return missing ? { raw: { ...(raw as object), nodes: filled }, missing } : { raw, missing };
}
