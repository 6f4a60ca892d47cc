/**
 * Between the canvas and the saved graph (workflows.json_graph): React Flow's toObject() plus
 * schemaVersion 1. What only the canvas needs (selection, dragging, run states, validation marks) is
 * left out, so saving a graph never stores a transient state and a clean graph compares equal.
 */
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "@/lib/workflows/graph";
import type { AnyNodeDefinition, NodeRegistry } from "@/lib/workflows/registry";

/** The data of a canvas node: what is saved (label, params) and nothing else. */
export interface WorkflowNodeData extends Record<string, unknown> {
  label?: string;
  params: Record<string, unknown>;
}

export interface CanvasNode {
  id: string;
  type?: string;
  position: { x: number; y: number };
  data: WorkflowNodeData;
  selected?: boolean;
  dragging?: boolean;
  measured?: { width?: number; height?: number };
  [key: string]: unknown;
}

export interface CanvasEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
  selected?: boolean;
  [key: string]: unknown;
}

export interface FlowObject {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  viewport?: { x: number; y: number; zoom: number };
}

/** The keys of a node or edge that are saved; the rest (selected, dragging, measured, …) is the canvas's own. */
export function toSavedGraph(flow: FlowObject): WorkflowGraph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: flow.nodes.map((n) => ({
      id: n.id,
      type: n.type ?? "",
      position: { x: round(n.position.x), y: round(n.position.y) },
      data: { ...(n.data.label ? { label: n.data.label } : {}), params: n.data.params ?? {} },
    })),
    edges: flow.edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourceHandle: e.sourceHandle ?? null,
      target: e.target,
      targetHandle: e.targetHandle ?? null,
    })),
    ...(flow.viewport ? { viewport: { x: round(flow.viewport.x), y: round(flow.viewport.y), zoom: flow.viewport.zoom } } : {}),
  };
}

/** A saved graph (or an empty/legacy json_graph) as the canvas's nodes and edges. */
export function fromSavedGraph(raw: unknown): FlowObject {
  const g = (raw ?? {}) as Partial<WorkflowGraph>;
  const nodes = Array.isArray(g.nodes) ? g.nodes : [];
  const edges = Array.isArray(g.edges) ? g.edges : [];
  return {
    nodes: nodes.map((n) => ({
      id: String(n.id),
      type: String(n.type),
      position: { x: Number(n.position?.x) || 0, y: Number(n.position?.y) || 0 },
      data: { ...(n.data?.label ? { label: n.data.label } : {}), params: { ...(n.data?.params ?? {}) } },
    })),
    edges: edges.map((e) => ({
      id: String(e.id),
      source: String(e.source),
      target: String(e.target),
      sourceHandle: e.sourceHandle ?? null,
      targetHandle: e.targetHandle ?? null,
    })),
    ...(g.viewport ? { viewport: g.viewport } : {}),
  };
}

/** The structure that undo/redo and the dirty flag compare: the saved graph without the viewport. */
export function graphKey(flow: FlowObject): string {
  const { nodes, edges } = toSavedGraph({ nodes: flow.nodes, edges: flow.edges });
  return JSON.stringify({ nodes, edges });
}

/** Values for the parameters that have no default, so a new node starts valid. */
const STARTER_PARAMS: Record<string, Record<string, unknown>> = {
  "trigger.schedule": { cron: "30 15 * * 1-5" },
  "logic.threshold": { level: 30 },
  "output.signals": { reason: "Signal" },
  "output.alert": { title: "Alert" },
};

/** A new node of a registry type with its parameters' defaults. */
export function newNode(def: AnyNodeDefinition, id: string, position: { x: number; y: number }): CanvasNode {
  const parsed = def.params.safeParse(STARTER_PARAMS[def.type] ?? {});
  const params = parsed.success && parsed.data && typeof parsed.data === "object" ? { ...(parsed.data as Record<string, unknown>) } : {};
  return { id, type: def.type, position, data: { params } };
}

/** A short id that is not taken yet: "rsi-3" for the third RSI. */
export function freshId(type: string, taken: ReadonlySet<string>): string {
  const base = type.split(".").pop()!.replace(/[^a-z0-9]+/gi, "-").toLowerCase() || "node";
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!taken.has(id)) return id;
  }
}

export function labelOf(node: Pick<CanvasNode, "type" | "data">, registry: NodeRegistry): string {
  return node.data.label || registry.get(node.type ?? "")?.label || node.type || "node";
}

const round = (v: number) => Math.round(v * 100) / 100;
