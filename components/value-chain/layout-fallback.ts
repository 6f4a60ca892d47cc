/**
 * TEMPORARY stand-in for lib/graph-layout.ts (branch `layout`) until it lands on main: same call shape,
 * pinned columns, boxes ordered in each column by the mean row of their predecessors. layout.ts imports
 * from here only until then; delete this file when it switches.
 */
export interface LayoutNode { id: string; width: number; height: number; rank?: number }
export interface LayoutEdge { source: string; target: string }
export interface LayoutOptions { columnGap?: number; rowGap?: number; origin?: { x: number; y: number } }

export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], o: LayoutOptions = {}) {
  const columnGap = o.columnGap ?? 80, rowGap = o.rowGap ?? 40, origin = o.origin ?? { x: 0, y: 0 };
  const ranks = [...new Set(nodes.map((n) => n.rank ?? 0))].sort((a, b) => a - b);
  const row = new Map<string, number>();
  const positions: Record<string, { x: number; y: number }> = {};
  let x = origin.x;
  for (const r of ranks) {
    const col = nodes.filter((n) => (n.rank ?? 0) === r);
    const key = (n: LayoutNode) => {
      const ps = edges.filter((e) => e.target === n.id && row.has(e.source)).map((e) => row.get(e.source)!);
      return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : Infinity;
    };
    col.sort((a, b) => key(a) - key(b));
    let y = origin.y;
    col.forEach((n, i) => {
      row.set(n.id, i);
      positions[n.id] = { x, y };
      y += n.height + rowGap;
    });
    x += Math.max(...col.map((n) => n.width)) + columnGap;
  }
  return { positions };
}
