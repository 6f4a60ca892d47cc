/**
 * Where the chain's boxes go: the shared layered layout (lib/graph-layout.ts, dagre) with each lane
 * pinned to its column (Upstream 0, Midstream 1, Downstream 2), and the lanes' backgrounds around
 * the columns. The one place the page touches the layout module.
 */
import { layoutGraph } from "@/lib/graph-layout";
import { LANE_RANK, LANES } from "./model";
import type { ChainEdgeJson, ChainNodeJson, NodeType } from "./types";

export const NODE_WIDTH = 216;
export const NODE_HEIGHT = 64;
/** Between two lanes: room for a link's label ("ρ −0.49 · follows 12 d") near its middle. */
export const COLUMN_GAP = 210;
export const ROW_GAP = 26;
/** The lane's background reaches this far around its boxes, and leaves this much above them for its header. */
export const LANE_PAD = 24;
export const LANE_HEADER = 44;

export interface Lane {
  lane: NodeType;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChainLayout {
  positions: Record<string, { x: number; y: number }>;
  lanes: Lane[];
}

export function layoutChain(nodes: readonly ChainNodeJson[], edges: readonly ChainEdgeJson[]): ChainLayout {
  const { positions } = layoutGraph(
    nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT, rank: LANE_RANK[n.nodeType] })),
    edges.map((e) => ({ source: e.sourceId, target: e.targetId })),
    { columnGap: COLUMN_GAP, rowGap: ROW_GAP, origin: { x: 0, y: LANE_HEADER } },
  );
  return { positions, lanes: lanesAround(nodes, positions) };
}

/**
 * One background per lane, all as tall as the tallest column; a lane with no box keeps its place
 * (its column's x), so Upstream, Midstream and Downstream always read left to right.
 */
export function lanesAround(nodes: readonly ChainNodeJson[], positions: Record<string, { x: number; y: number }>): Lane[] {
  if (nodes.length === 0) return [];
  let bottom = LANE_HEADER;
  const xs = new Map<NodeType, number>();
  for (const n of nodes) {
    const p = positions[n.id];
    if (!p) continue;
    bottom = Math.max(bottom, p.y + NODE_HEIGHT);
    xs.set(n.nodeType, Math.min(xs.get(n.nodeType) ?? Infinity, p.x));
  }
  // Columns absent from the layout (a filter left that lane empty) sit where they would be.
  const step = NODE_WIDTH + COLUMN_GAP;
  const first = LANES.find((l) => xs.has(l));
  const base = first ? xs.get(first)! - LANE_RANK[first] * step : 0;
  return LANES.map((lane) => ({
    lane,
    x: (xs.get(lane) ?? base + LANE_RANK[lane] * step) - LANE_PAD,
    y: 0,
    width: NODE_WIDTH + 2 * LANE_PAD,
    height: bottom + LANE_PAD,
  }));
}
