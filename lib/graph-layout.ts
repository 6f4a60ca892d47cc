/**
 * Layered left-to-right graph layout, shared by the workflow builder (templates, imports, "Arrange")
 * and the value-chain page. Free of React: it takes boxes and edges and answers positions.
 *
 * API
 * - `layoutGraph(nodes, edges, options)` → `{ positions, ranks, width, height }`.
 *   - `nodes`: `{ id, width, height, rank?, ports? }`. `width`/`height` are the box as drawn (px).
 *     `rank` pins the node to a column (0 = leftmost): the value chain gives Upstream 0, Midstream 1,
 *     Downstream 2. When any node has a rank, the others are placed one column right of their
 *     furthest-right predecessor (or in column 0); when none has one, dagre's network simplex picks
 *     the columns (shortest wires overall).
 *     `ports`: the y offset, from the box's top, of each named handle (`in` for targets, `out` for
 *     sources); an edge whose handle is not listed leaves from / arrives at the box's vertical middle.
 *   - `edges`: `{ source, target, sourceHandle?, targetHandle? }`. Under pinned ranks an edge within
 *     one column is left out of the layout (it still exists for the caller) and an edge pointing left
 *     is laid out as if reversed.
 *   - `options`: `columnGap` (px between columns, default 80), `rowGap` (px between boxes in a
 *     column, default 40), `origin` (top-left of the result, default 0,0), `handleOutset` (how far a
 *     handle's tip sticks out of the box, default 0), `clearance` (the margin a wire keeps from a box
 *     it passes, default 12).
 *   - `positions[id]` is the box's top-left corner; `ranks[id]` its column.
 * - Columns are left-aligned; dagre orders the boxes within a column (fewest crossings) and gives
 *   their vertical places. Wires are drawn as React Flow's default bezier from the right side of the
 *   source to the left side of the target, which does not follow dagre's routing, so a last pass
 *   moves any box a left-to-right wire would run behind (`edgeObstructions` is the check).
 * - `bezierControls` / `sampleEdge` / `edgeObstructions` / `overlappingBoxes` are the geometry, shared
 *   with the tests.
 */
import dagre, { type Graph } from "@dagrejs/dagre";

export interface Point {
  x: number;
  y: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
  /** Pins the node to this column (0 = leftmost). */
  rank?: number;
  /** y offsets from the box's top of the named handles. */
  ports?: { in?: Record<string, number>; out?: Record<string, number> };
}

export interface LayoutEdge {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export interface LayoutOptions {
  columnGap?: number;
  rowGap?: number;
  origin?: Point;
  handleOutset?: number;
  clearance?: number;
}

export interface Layout {
  positions: Record<string, Point>;
  ranks: Record<string, number>;
  width: number;
  height: number;
}

const DEFAULTS = { columnGap: 80, rowGap: 40, handleOutset: 0, clearance: 12 };

export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: LayoutOptions = {}): Layout {
  const o = { ...DEFAULTS, ...options };
  const origin = options.origin ?? { x: 0, y: 0 };
  if (nodes.length === 0) return { positions: {}, ranks: {}, width: 0, height: 0 };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const known = edges.filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target);
  const pinned = nodes.some((n) => n.rank !== undefined);
  const fixedRanks = pinned ? pinnedRanks(nodes, known) : null;

  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: "LR",
    nodesep: o.rowGap,
    ranksep: o.columnGap,
    // dagre doubles ranks internally (room for edge labels): a pinned column c is rank 2c; its
    // nesting root sits one step left of everything.
    ...(fixedRanks ? { ranker: (rg: Graph) => rg.nodes().forEach((v: string) => (rg.node(v).rank = fixedRanks.has(v) ? 2 * fixedRanks.get(v)! : -2)) } : {}),
  });
  g.setDefaultEdgeLabel(() => ({}));
  // LR: dagre's width runs along the columns, height across them, as for the boxes themselves.
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  known.forEach((e, i) => {
    if (fixedRanks) {
      const s = fixedRanks.get(e.source)!;
      const t = fixedRanks.get(e.target)!;
      if (s === t) return;
      if (t < s) return void g.setEdge(e.target, e.source, {}, `e${i}`);
    }
    g.setEdge(e.source, e.target, {}, `e${i}`);
  });
  dagre.layout(g);

  const ranks = new Map<string, number>();
  for (const n of nodes) ranks.set(n.id, fixedRanks ? fixedRanks.get(n.id)! : Math.round((g.node(n.id).rank ?? 0) / 2));
  const minRank = Math.min(...ranks.values());
  for (const [id, r] of ranks) ranks.set(id, r - minRank);

  // Left-aligned columns, each as wide as its widest box.
  const columns = Math.max(...ranks.values()) + 1;
  const colWidth = new Array<number>(columns).fill(0);
  for (const n of nodes) colWidth[ranks.get(n.id)!] = Math.max(colWidth[ranks.get(n.id)!]!, n.width);
  const colX: number[] = [];
  for (let c = 0, x = 0; c < columns; x += colWidth[c]! + o.columnGap, c++) colX.push(x);

  const start = () => new Map<string, Box>(nodes.map((n) => [n.id, { x: colX[ranks.get(n.id)!]!, y: (g.node(n.id).y ?? 0) - n.height / 2, width: n.width, height: n.height }]));
  // The nearer side first; when that leaves a wire behind a box (rare, on large tangled graphs),
  // boxes only moving down, then with wider gaps; the first clean result, else the least bad.
  let boxes = start();
  let left = clearWires(nodes, known, boxes, ranks, o, false);
  for (const [downOnly, rowGap] of [[true, o.rowGap], [false, 2 * o.rowGap], [true, 2 * o.rowGap]] as const) {
    if (left === 0) break;
    const attempt = start();
    const remaining = clearWires(nodes, known, attempt, ranks, { ...o, rowGap }, downOnly);
    if (remaining < left) [boxes, left] = [attempt, remaining];
  }

  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const b of boxes.values()) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  }
  const positions: Record<string, Point> = {};
  for (const [id, b] of boxes) positions[id] = { x: Math.round(b.x - minX + origin.x), y: Math.round(b.y - minY + origin.y) };
  return { positions, ranks: Object.fromEntries(ranks), width: Math.round(maxX - minX), height: Math.round(maxY - minY) };
}

/** Pinned columns kept; the others one right of their furthest-right predecessor (edges that would close a loop are ignored). */
function pinnedRanks(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, number> {
  const preds = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) preds.get(e.target)!.push(e.source);
  const ranks = new Map<string, number>();
  const visiting = new Set<string>();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rankOf = (id: string): number => {
    const known = ranks.get(id);
    if (known !== undefined) return known;
    const pin = byId.get(id)!.rank;
    if (pin !== undefined) {
      ranks.set(id, Math.max(0, Math.floor(pin)));
      return ranks.get(id)!;
    }
    if (visiting.has(id)) return -1; // a loop: this edge does not push the node right
    visiting.add(id);
    let r = 0;
    for (const p of preds.get(id)!) r = Math.max(r, rankOf(p) + 1);
    visiting.delete(id);
    ranks.set(id, r);
    return r;
  };
  for (const n of nodes) rankOf(n.id);
  return ranks;
}

// ---------------------------------------------------------------- geometry

/** The handle points of an edge between two placed boxes. */
export function edgeEnds(source: Box & Pick<LayoutNode, "ports">, target: Box & Pick<LayoutNode, "ports">, edge: LayoutEdge, handleOutset = 0): { from: Point; to: Point } {
  const sy = (edge.sourceHandle != null ? source.ports?.out?.[edge.sourceHandle] : undefined) ?? soleOffset(source.ports?.out) ?? source.height / 2;
  const ty = (edge.targetHandle != null ? target.ports?.in?.[edge.targetHandle] : undefined) ?? soleOffset(target.ports?.in) ?? target.height / 2;
  return { from: { x: source.x + source.width + handleOutset, y: source.y + sy }, to: { x: target.x - handleOutset, y: target.y + ty } };
}

/** A node with one handle on a side uses it for an edge that names none (React Flow takes the first). */
function soleOffset(ports: Record<string, number> | undefined): number | undefined {
  if (!ports) return undefined;
  const values = Object.values(ports);
  return values.length > 0 ? values[0] : undefined;
}

/** React Flow's default edge (getBezierPath, curvature 0.25) from a right-side handle to a left-side one. */
export function bezierControls(from: Point, to: Point, curvature = 0.25): [Point, Point, Point, Point] {
  const offset = (d: number) => (d >= 0 ? 0.5 * d : curvature * 25 * Math.sqrt(-d));
  const dx = to.x - from.x;
  return [from, { x: from.x + offset(dx), y: from.y }, { x: to.x - offset(dx), y: to.y }, to];
}

export function sampleEdge(from: Point, to: Point, samples = 96): Point[] {
  const [p0, p1, p2, p3] = bezierControls(from, to);
  const out: Point[] = [];
  for (let i = 0; i <= samples; i++) {
    const t = i / samples;
    const u = 1 - t;
    const a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
    out.push({ x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y });
  }
  return out;
}

export interface Obstruction {
  edge: number;
  node: string;
  /** The wire's vertical extent within the box's columns (± clearance). */
  low: number;
  high: number;
}

/**
 * Every (edge, box) pair where a left-to-right wire runs through a box that is not one of its ends,
 * the box grown by `clearance` on each side. Wires that go right-to-left are not checked (a layered
 * layout never draws them; under pinned columns the caller draws them its own way).
 */
export function edgeObstructions(
  boxes: ReadonlyMap<string, Box & Pick<LayoutNode, "ports">>,
  edges: readonly LayoutEdge[],
  options: { clearance?: number; handleOutset?: number } = {},
): Obstruction[] {
  const clearance = options.clearance ?? 0;
  const found: Obstruction[] = [];
  edges.forEach((e, i) => {
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t || e.source === e.target) return;
    const { from, to } = edgeEnds(s, t, e, options.handleOutset);
    if (to.x <= from.x) return;
    const points = sampleEdge(from, to, Math.max(48, Math.ceil((to.x - from.x) / 4)));
    for (const [id, b] of boxes) {
      if (id === e.source || id === e.target) continue;
      const x0 = b.x - clearance, x1 = b.x + b.width + clearance, y0 = b.y - clearance, y1 = b.y + b.height + clearance;
      if (x1 < from.x || x0 > to.x) continue;
      let low = Infinity, high = -Infinity, inside = false;
      for (const p of points) {
        if (p.x < x0 || p.x > x1) continue;
        low = Math.min(low, p.y);
        high = Math.max(high, p.y);
        if (p.y > y0 && p.y < y1) inside = true;
      }
      // Also a wire that jumps across the box between two samples.
      if (!inside && low < y0 && high > y1) inside = true;
      if (inside) found.push({ edge: i, node: id, low: low - clearance, high: high + clearance });
    }
  });
  return found;
}

/** Pairs of boxes that overlap (touching edges do not count). */
export function overlappingBoxes(boxes: ReadonlyMap<string, Box>): [string, string][] {
  const list = [...boxes];
  const out: [string, string][] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const [a, p] = list[i]!;
      const [b, q] = list[j]!;
      if (p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height) out.push([a, b]);
    }
  }
  return out;
}

/**
 * Moves boxes off the wires that run behind them: the box goes to the nearer side of the wire (after
 * many passes only downwards, so the loop ends), pushing the boxes of its column away to keep the gap.
 */
function clearWires(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], boxes: Map<string, Box>, ranks: Map<string, number>, o: typeof DEFAULTS, downOnly: boolean): number {
  const ports = new Map(nodes.map((n) => [n.id, n.ports]));
  const view = () => new Map([...boxes].map(([id, b]) => [id, { ...b, ports: ports.get(id) }]));
  for (const r of new Set(ranks.values())) spreadColumn(boxes, ranks, r, o.rowGap);
  const limit = 40 * nodes.length + 40;
  for (let pass = 0; pass < limit; pass++) {
    const hit = edgeObstructions(view(), edges, { clearance: o.clearance, handleOutset: o.handleOutset })[0];
    if (!hit) return 0;
    const b = boxes.get(hit.node)!;
    // Half a pixel more than needed: the box must end up clear of the wire, not on its edge.
    const down = hit.high - b.y + 0.5;
    const up = b.y + b.height - hit.low + 0.5;
    const goDown = downOnly || pass > 4 * nodes.length || down <= up;
    b.y += goDown ? down : -up;
    spreadColumn(boxes, ranks, ranks.get(hit.node)!, o.rowGap, b);
  }
  return edgeObstructions(view(), edges, { handleOutset: o.handleOutset }).length;
}

/**
 * Keeps a column's boxes apart by at least `gap`: `fixed` (the box just moved) stays, those under it
 * are pushed down and those over it up; without one, top to bottom.
 */
function spreadColumn(boxes: Map<string, Box>, ranks: Map<string, number>, rank: number, gap: number, fixed?: Box) {
  const column = [...boxes].filter(([id]) => ranks.get(id) === rank).map(([, box]) => box).sort((p, q) => p.y - q.y || (p === fixed ? -1 : q === fixed ? 1 : 0));
  const at = fixed ? column.indexOf(fixed) : 0;
  for (let i = at + 1; i < column.length; i++) column[i]!.y = Math.max(column[i]!.y, column[i - 1]!.y + column[i - 1]!.height + gap);
  for (let i = at - 1; i >= 0; i--) column[i]!.y = Math.min(column[i]!.y, column[i + 1]!.y - column[i]!.height - gap);
}
