/**
 * The saved workflow graph (workflows.json_graph): React Flow's serialisation plus `schemaVersion`, its
 * size limits, and validateGraph, which lists every problem of a graph against the node registry, each
 * naming its node, so the builder can mark the nodes and a save can be refused with one message per problem.
 */
import { z } from "zod";
import { checkJsonValue, plainText } from "@/lib/text";
import type { NodeRegistry } from "./registry";
import { topologicalOrder } from "./topology";
import type { PortSpec, PortType } from "./types";

export const GRAPH_SCHEMA_VERSION = 1;
export const GRAPH_LIMITS = { maxNodes: 200, maxEdges: 1000, maxBytes: 1_000_000 } as const;

const id = plainText("an id").min(1).max(100);
const xy = { x: z.number().finite(), y: z.number().finite() };

// Loose objects: React Flow adds its own keys (measured, selected, …); keeping them round-trips the canvas.
export const graphNodeSchema = z.looseObject({
  id,
  type: plainText("type").min(1).max(100),
  position: z.looseObject(xy),
  data: z.looseObject({ label: plainText("label").max(200).optional(), params: z.record(z.string(), z.unknown()).default({}) }),
});

export const graphEdgeSchema = z.looseObject({
  id,
  source: id,
  sourceHandle: z.string().max(100).nullish(),
  target: id,
  targetHandle: z.string().max(100).nullish(),
});

export const workflowGraphSchema = z.object({
  schemaVersion: z.literal(GRAPH_SCHEMA_VERSION),
  nodes: z.array(graphNodeSchema).max(GRAPH_LIMITS.maxNodes, `at most ${GRAPH_LIMITS.maxNodes} nodes`),
  edges: z.array(graphEdgeSchema).max(GRAPH_LIMITS.maxEdges, `at most ${GRAPH_LIMITS.maxEdges} edges`),
  viewport: z.object({ ...xy, zoom: z.number().positive() }).optional(),
});

export type WorkflowGraph = z.infer<typeof workflowGraphSchema>;
export type GraphNode = WorkflowGraph["nodes"][number];
export type GraphEdge = WorkflowGraph["edges"][number];

export interface GraphProblem {
  code: "too-large" | "schema" | "duplicate-id" | "unknown-node-type" | "bad-params" | "unknown-node" | "unknown-handle" | "wrong-handle-type" | "input-wired-twice" | "missing-input" | "cycle";
  message: string;
  nodeId?: string;
  edgeId?: string;
}

/** Why a `from` output cannot feed a `to` input, in words an analyst can act on. */
export function portMismatchReason(from: PortType, to: PortType): string {
  if (from === "series" && to === "boolean") return "a series of numbers is not a true/false condition: pass it through Compare, Threshold or Crosses first";
  if (from === "boolean" && to === "series") return "a true/false condition has no numbers to compute on";
  if (from === "candles" && to === "series") return "OHLCV bars are not one series: use the Candles node's Close (or Volume) output";
  return `a ${from} output cannot feed a ${to} input`;
}

/** The node as a message names it: its label when it has one, and always its id. */
export function nodeName(node: Pick<GraphNode, "id" | "data">, fallbackLabel?: string): string {
  const label = node.data?.label ?? fallbackLabel;
  return label ? `"${label}" (${node.id})` : node.id;
}

/** Parses the JSON text of a graph (a save or an import): size first, so a 5 MB body is never parsed. */
export function parseGraphJson(text: string, registry: NodeRegistry): { graph?: WorkflowGraph; problems: GraphProblem[] } {
  const bytes = utf8Bytes(text);
  if (bytes > GRAPH_LIMITS.maxBytes) return { problems: [tooLarge(bytes)] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problems: [{ code: "schema", message: `not JSON: ${(e as Error).message}` }] };
  }
  return checkGraph(raw, registry);
}

/** Schema, then validateGraph: the check every write of a graph goes through. */
export function checkGraph(raw: unknown, registry: NodeRegistry): { graph?: WorkflowGraph; problems: GraphProblem[] } {
  // Before zod and JSON.stringify, which recurse: a deep document would overflow the stack (a 500).
  const textProblem = checkJsonValue(raw);
  if (textProblem) return { problems: [{ code: "schema", message: textProblem.message }] };
  const parsed = workflowGraphSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => {
        const [list, i] = issue.path;
        const node = list === "nodes" && typeof i === "number" ? (raw as { nodes: { id?: unknown }[] }).nodes[i] : undefined;
        const nodeId = typeof node?.id === "string" ? node.id : undefined;
        return { code: "schema", message: `${issue.path.join(".") || "graph"}: ${issue.message}`, ...(nodeId ? { nodeId } : {}) };
      }),
    };
  }
  const problems = validateGraph(parsed.data, registry);
  return problems.length === 0 ? { graph: parsed.data, problems } : { problems };
}

/** TextEncoder rather than Buffer: the builder runs these checks in the browser too. */
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** The builder's check before it sends a save: a graph over the limit would also exceed the action's body limit. */
export function graphSizeProblem(graph: unknown): GraphProblem | undefined {
  const bytes = utf8Bytes(JSON.stringify(graph));
  return bytes > GRAPH_LIMITS.maxBytes ? tooLarge(bytes) : undefined;
}

function tooLarge(bytes: number): GraphProblem {
  return { code: "too-large", message: `the graph is ${(bytes / 1e6).toFixed(1)} MB; at most ${GRAPH_LIMITS.maxBytes / 1e6} MB can be saved` };
}

export function validateGraph(graph: WorkflowGraph, registry: NodeRegistry): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const bytes = utf8Bytes(JSON.stringify(graph));
  if (bytes > GRAPH_LIMITS.maxBytes) problems.push(tooLarge(bytes));

  const nodes = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) problems.push({ code: "duplicate-id", nodeId: node.id, message: `two nodes have the id ${node.id}` });
    nodes.set(node.id, node);
  }
  const name = (n: GraphNode) => nodeName(n, registry.get(n.type)?.label);

  for (const node of graph.nodes) {
    const def = registry.get(node.type);
    if (!def) {
      problems.push({ code: "unknown-node-type", nodeId: node.id, message: `${name(node)}: unknown node type "${node.type}"` });
      continue;
    }
    const params = def.params.safeParse(node.data.params);
    if (!params.success) {
      for (const issue of params.error.issues) {
        const field = issue.path.join(".");
        problems.push({ code: "bad-params", nodeId: node.id, message: `${name(node)}: ${field ? `parameter ${field}: ` : ""}${issue.message}` });
      }
    }
  }

  const edgeIds = new Set<string>();
  const wired = new Map<string, string>(); // "node:input" → edge id
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) problems.push({ code: "duplicate-id", edgeId: edge.id, message: `two edges have the id ${edge.id}` });
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) {
      const missing = source ? edge.target : edge.source;
      problems.push({ code: "unknown-node", edgeId: edge.id, message: `edge ${edge.id} joins a node that does not exist: ${missing}` });
      continue;
    }
    const from = resolvePort(registry.get(source.type)?.outputs, edge.sourceHandle);
    const to = resolvePort(registry.get(target.type)?.inputs, edge.targetHandle);
    if (from === null || to === null) {
      const [node, handle, side] = from === null ? [source, edge.sourceHandle, "output"] : [target, edge.targetHandle, "input"];
      const message = handle == null ? `${name(node)} has several ${side}s: edge ${edge.id} must name one` : `${name(node)} has no ${side} "${handle}"`;
      problems.push({ code: "unknown-handle", nodeId: node.id, edgeId: edge.id, message });
      continue;
    }
    if (!from || !to) continue; // unknown node type, reported above
    if (from.type !== to.type) {
      problems.push({
        code: "wrong-handle-type",
        nodeId: target.id,
        edgeId: edge.id,
        message: `${name(target)}: input "${to.label}" cannot take ${name(source)}'s output "${from.label}": ${portMismatchReason(from.type, to.type)}`,
      });
    }
    const key = `${target.id}:${to.id}`;
    if (wired.has(key)) problems.push({ code: "input-wired-twice", nodeId: target.id, edgeId: edge.id, message: `${name(target)}: input "${to.label}" is connected twice` });
    wired.set(key, edge.id);
  }

  for (const node of graph.nodes) {
    for (const port of registry.get(node.type)?.inputs ?? []) {
      if (port.required && !wired.has(`${node.id}:${port.id}`)) {
        problems.push({ code: "missing-input", nodeId: node.id, message: `${name(node)}: input "${port.label}" must be connected` });
      }
    }
  }

  const { cycles } = topologicalOrder([...nodes.keys()], graph.edges);
  for (const cycle of cycles) {
    const names = cycle.map((nid) => name(nodes.get(nid)!));
    problems.push({ code: "cycle", nodeId: cycle[0], message: `a cycle runs through ${names.join(" → ")}: a node cannot depend on its own output` });
  }
  return problems;
}

/**
 * The port an edge's handle names; a null handle means the node's only port (React Flow leaves it null
 * for single-handle nodes). undefined: the node type is unknown; null: no such port.
 */
export function resolvePort(ports: PortSpec[] | undefined, handle: string | null | undefined): PortSpec | null | undefined {
  if (!ports) return undefined;
  if (handle == null) return ports.length === 1 ? (ports[0] as PortSpec) : null;
  return ports.find((p) => p.id === handle) ?? null;
}
