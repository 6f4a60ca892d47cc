/**
 * The builder's canvas state as a reducer: nodes, edges and the undo history move together, and a
 * snapshot is recorded when a change is finished (a drop, a connection, a drag's end, a delete, a
 * paste, a parameter edit, an "Arrange"), never on each pointer move or selection. Pure apart from React Flow's
 * change helpers, so it is unit-tested.
 */
import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type Edge, type EdgeChange, type Node, type NodeChange } from "@xyflow/react";
import { record, redo, startHistory, undo, type History } from "./history";
import { graphKey, type CanvasEdge, type CanvasNode, type FlowObject } from "./serialise";

interface Snapshot {
  key: string;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

export interface CanvasState {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  history: History<Snapshot>;
  /** Bumped by undo/redo so the side panel re-reads the restored parameters. */
  version: number;
}

export type CanvasAction =
  | { type: "nodes"; changes: NodeChange[] }
  | { type: "edges"; changes: EdgeChange[] }
  | { type: "connect"; connection: Connection }
  | { type: "add"; nodes: CanvasNode[]; edges?: CanvasEdge[] }
  | { type: "data"; nodeId: string; data: CanvasNode["data"] }
  /** New places for nodes (the Arrange button): one undoable step. */
  | { type: "positions"; positions: Readonly<Record<string, { x: number; y: number }>> }
  | { type: "undo" }
  | { type: "redo" };

function snap(nodes: CanvasNode[], edges: CanvasEdge[]): Snapshot {
  return {
    key: graphKey({ nodes, edges }),
    nodes: nodes.map(({ id, type, position, data }) => ({ id, type, position, data })),
    edges: edges.map(({ id, source, target, sourceHandle, targetHandle }) => ({ id, source, target, sourceHandle, targetHandle })),
  };
}

const sameKey = (a: Snapshot, b: Snapshot) => a.key === b.key;

export function initCanvas(flow: FlowObject): CanvasState {
  return { nodes: flow.nodes, edges: flow.edges, history: startHistory(snap(flow.nodes, flow.edges)), version: 0 };
}

function commit(state: CanvasState, nodes: CanvasNode[], edges: CanvasEdge[]): CanvasState {
  return { ...state, nodes, edges, history: record(state.history, snap(nodes, edges), sameKey) };
}

export function canvasReducer(state: CanvasState, action: CanvasAction): CanvasState {
  switch (action.type) {
    case "nodes": {
      const nodes = applyNodeChanges(action.changes, state.nodes as Node[]) as CanvasNode[];
      const finished = action.changes.some((c) => c.type === "remove" || c.type === "add" || c.type === "replace" || (c.type === "position" && c.dragging === false));
      // A removed node takes its edges with it (React Flow also sends the edge removals; this keeps one snapshot).
      if (action.changes.some((c) => c.type === "remove")) {
        const ids = new Set(nodes.map((n) => n.id));
        const edges = state.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
        return commit(state, nodes, edges);
      }
      return finished ? commit(state, nodes, state.edges) : { ...state, nodes };
    }
    case "edges": {
      const edges = applyEdgeChanges(action.changes, state.edges as Edge[]) as CanvasEdge[];
      const finished = action.changes.some((c) => c.type === "remove" || c.type === "add" || c.type === "replace");
      return finished ? commit(state, state.nodes, edges) : { ...state, edges };
    }
    case "connect": {
      const c = action.connection;
      const id = `e-${c.source}-${c.sourceHandle ?? "out"}-${c.target}-${c.targetHandle ?? "in"}`;
      const edges = addEdge({ ...c, id }, state.edges as Edge[]) as CanvasEdge[];
      return commit(state, state.nodes, edges);
    }
    case "add": {
      const deselected = state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
      return commit(state, [...deselected, ...action.nodes], [...state.edges, ...(action.edges ?? [])]);
    }
    case "data": {
      const nodes = state.nodes.map((n) => (n.id === action.nodeId ? { ...n, data: action.data } : n));
      return commit(state, nodes, state.edges);
    }
    case "positions": {
      const nodes = state.nodes.map((n) => {
        const p = action.positions[n.id];
        return p ? { ...n, position: { x: p.x, y: p.y } } : n;
      });
      return commit(state, nodes, state.edges);
    }
    case "undo":
    case "redo": {
      const history = action.type === "undo" ? undo(state.history) : redo(state.history);
      if (history === state.history) return state;
      return { nodes: history.present.nodes.map((n) => ({ ...n })), edges: history.present.edges.map((e) => ({ ...e })), history, version: state.version + 1 };
    }
  }
}
