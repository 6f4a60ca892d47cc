/**
 * Where the builder's view goes: a fit that never zooms below the level where node text is legible,
 * and the layout of the canvas as drawn (the Arrange button). Pure apart from the shapes React Flow
 * hands over, so it is unit-tested.
 */
import { layoutGraph, type Box, type LayoutNode } from "@/lib/graph-layout";
import { WORKFLOW_LAYOUT, workflowNodeBox } from "@/lib/workflows/layout";
import type { NodeRegistry } from "@/lib/workflows/registry";
import type { CanvasEdge, CanvasNode } from "./serialise";

/** builder.module.css draws node text at 12 px (.node); 11 px on screen is the least that reads. */
export const NODE_FONT_PX = 12;
export const LEGIBLE_ZOOM = 11 / NODE_FONT_PX;

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/**
 * The viewport showing `bounds` (flow coordinates) in a canvas of `size` (px): all of it when that
 * is legible; otherwise at the legible zoom, from its left edge (where the triggers are) and, when
 * too tall, its top, so the start of the graph is read first.
 */
export function legibleFit(bounds: Box, size: { width: number; height: number }, options: { padding?: number; minZoom?: number; maxZoom?: number } = {}): Viewport {
  const pad = options.padding ?? 40;
  const minZoom = options.minZoom ?? LEGIBLE_ZOOM;
  const maxZoom = options.maxZoom ?? 1.2;
  const w = Math.max(1, bounds.width);
  const h = Math.max(1, bounds.height);
  const fitZoom = Math.min((size.width - 2 * pad) / w, (size.height - 2 * pad) / h);
  const zoom = Math.min(maxZoom, Math.max(minZoom, Number.isFinite(fitZoom) ? fitZoom : minZoom));
  const place = (start: number, extent: number, room: number) => (extent * zoom <= room - 2 * pad ? (room - extent * zoom) / 2 - start * zoom : pad - start * zoom);
  return { x: place(bounds.x, w, size.width), y: place(bounds.y, h, size.height), zoom };
}

/** What React Flow measured of a node: its size and its handles (relative to the node). */
export interface MeasuredNode {
  width?: number;
  height?: number;
  handles?: { source?: { id?: string | null; y: number; height: number }[] | null; target?: { id?: string | null; y: number; height: number }[] | null };
}

/**
 * New positions for the canvas's nodes: the shared layered layout over the sizes and handle places
 * the browser measured (the estimate for a node not measured yet), starting at the graph's current
 * top-left corner so the view does not jump.
 */
export function arrangeCanvas(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[], registry: NodeRegistry, measured: (id: string) => MeasuredNode | undefined): Record<string, { x: number; y: number }> {
  if (nodes.length === 0) return {};
  const layoutNodes: LayoutNode[] = nodes.map((n) => {
    const estimate = workflowNodeBox(registry.get(n.type ?? ""), n.data.label);
    const m = measured(n.id);
    const centres = (list: { id?: string | null; y: number; height: number }[] | null | undefined) =>
      list && list.length > 0 ? Object.fromEntries(list.map((h) => [h.id ?? "", h.y + h.height / 2])) : undefined;
    return {
      id: n.id,
      width: m?.width ?? estimate.width,
      height: m?.height ?? estimate.height,
      ports: { in: centres(m?.handles?.target) ?? estimate.ports?.in, out: centres(m?.handles?.source) ?? estimate.ports?.out },
    };
  });
  const origin = { x: Math.min(...nodes.map((n) => n.position.x)), y: Math.min(...nodes.map((n) => n.position.y)) };
  return layoutGraph(layoutNodes, edges, { ...WORKFLOW_LAYOUT, origin }).positions;
}
