/**
 * Graph order: Kahn's topological sort, deterministic (among ready nodes the one saved first runs
 * first, so two runs of one graph log the same order), and the cycles that stop it, found as strongly
 * connected components (Tarjan) so a message can name every node of each cycle.
 */
export interface Link {
  source: string;
  target: string;
}

export function topologicalOrder(nodeIds: readonly string[], links: readonly Link[]): { order: string[]; cycles: string[][] } {
  const index = new Map(nodeIds.map((id, i) => [id, i]));
  const indegree = new Map(nodeIds.map((id) => [id, 0]));
  const next = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const { source, target } of links) {
    if (!index.has(source) || !index.has(target)) continue;
    next.get(source)!.push(target);
    indegree.set(target, indegree.get(target)! + 1);
  }
  // n ≤ a few hundred: a sorted array is a fine priority queue.
  const ready = nodeIds.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const t of next.get(id)!) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) {
        const at = ready.findIndex((r) => index.get(r)! > index.get(t)!);
        ready.splice(at < 0 ? ready.length : at, 0, t);
      }
    }
  }
  const cycles = order.length === nodeIds.length ? [] : stronglyConnected(nodeIds.filter((id) => indegree.get(id)! > 0), next);
  return { order, cycles };
}

/** Tarjan's components of size > 1 (or a node linked to itself), in saved order. */
function stronglyConnected(ids: string[], next: Map<string, string[]>): string[][] {
  const within = new Set(ids);
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    idx.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!within.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next.get(v)!.includes(v)) out.push(ids.filter((id) => component.includes(id)));
    }
  };
  for (const id of ids) if (!idx.has(id)) visit(id);
  return out;
}
