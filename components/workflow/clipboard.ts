/**
 * Copy and paste on the canvas: the selected nodes and the edges between them, pasted with fresh ids
 * and offset so the copy does not hide the original. Pure, so it is unit-tested.
 */
import { freshId, type CanvasEdge, type CanvasNode } from "./serialise";

export interface Clip {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

export const PASTE_OFFSET = 40;

export function copySelection(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): Clip | null {
  const picked = nodes.filter((n) => n.selected);
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((n) => n.id));
  return {
    nodes: picked.map((n) => ({ id: n.id, type: n.type, position: { ...n.position }, data: structuredClone(n.data) })),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? null, targetHandle: e.targetHandle ?? null })),
  };
}

/** The clip's nodes and edges with ids not used by `existing`, selected (and the rest deselected by the caller). */
export function pasteClip(clip: Clip, existingNodes: readonly CanvasNode[], existingEdges: readonly CanvasEdge[], times = 1): Clip {
  const taken = new Set([...existingNodes.map((n) => n.id), ...existingEdges.map((e) => e.id)]);
  const rename = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = freshId(n.type ?? "node", taken);
    taken.add(id);
    rename.set(n.id, id);
    return { ...n, id, selected: true, position: { x: n.position.x + PASTE_OFFSET * times, y: n.position.y + PASTE_OFFSET * times }, data: structuredClone(n.data) };
  });
  const edges = clip.edges.map((e) => {
    const source = rename.get(e.source)!;
    const target = rename.get(e.target)!;
    let id = `e-${source}-${e.sourceHandle ?? "out"}-${target}-${e.targetHandle ?? "in"}`;
    while (taken.has(id)) id += "'";
    taken.add(id);
    return { ...e, id, source, target };
  });
  return { nodes, edges };
}
