/**
 * What the chain says about a set of symbols, without the database (the workflow nodes
 * lib/workflows/nodes/valuechain.ts feed it the chain read by graph.ts):
 *
 * - linksOf: the upstream and downstream links of the symbols in play, with their lead and correlation.
 * - propagate: given moves of some nodes ("iron ore +8 % this week"), the expected moves of the nodes
 *   downstream. Along a path of links the expected move is the signal's move times the product of the
 *   links' correlations, and it arrives after the sum of their leads (trading days). Paths are at most
 *   `maxDepth` (≤ 3) links long and never visit a node twice. Of several paths from one signal to one
 *   node, the one with the largest expected move is kept (the others are counted).
 *
 * Limits, said where the numbers are shown: a correlation is not a regression slope (the product ignores
 * the two sides' volatilities) and not causation; the chain's correlations are measured between daily
 * returns, so the product is a rough guide to direction and order of size, not a forecast.
 */

export interface ChainGraphNode {
  id: string;
  symbol: string | null;
  name: string;
  sector: string;
  nodeType: string;
}

export interface ChainGraphEdge {
  id: string;
  sourceId: string;
  targetId: string;
  relationship: string | null;
  /** The edge's correlation_coeff (the latest analysis's, or set by hand); null when unknown. */
  correlation: number | null;
  /** Trading days; positive when the source moves first. */
  leadTimeDays: number | null;
  weight: number | null;
  /** The latest analysis's verdict; null when the edge was never analysed. */
  significant: boolean | null;
}

export interface ChainGraph {
  nodes: ChainGraphNode[];
  edges: ChainGraphEdge[];
}

/** Which links carry a signal: "significant" (weight > 0: the analysis found the link beyond its band, or an admin set a weight) or every link with a correlation. */
export type LinkFilter = "significant" | "all";

export interface ChainLink {
  /** The symbol in play. */
  symbol: string;
  /** upstream: the linked node feeds the symbol; downstream: the symbol feeds it. */
  direction: "upstream" | "downstream";
  linkedSymbol: string | null;
  linkedName: string;
  linkedLane: string;
  relationship: string | null;
  leadTimeDays: number | null;
  correlation: number | null;
  weight: number | null;
  significant: boolean | null;
}

const usable = (e: ChainGraphEdge, filter: LinkFilter) => e.correlation !== null && e.leadTimeDays !== null && (filter === "all" || (e.weight ?? 0) > 0);

/** The links of each symbol (upstream first, then downstream, by linked node name); symbols not in the chain are listed apart. */
export function linksOf(graph: ChainGraph, symbols: readonly string[], filter: LinkFilter = "all"): { links: ChainLink[]; notInChain: string[] } {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const bySymbol = new Map(graph.nodes.filter((n) => n.symbol).map((n) => [n.symbol!, n]));
  const links: ChainLink[] = [];
  const notInChain: string[] = [];
  for (const symbol of [...new Set(symbols)]) {
    const node = bySymbol.get(symbol);
    if (!node) {
      notInChain.push(symbol);
      continue;
    }
    const mine: ChainLink[] = [];
    for (const e of graph.edges) {
      if (filter === "significant" && !((e.weight ?? 0) > 0)) continue;
      const direction = e.targetId === node.id ? "upstream" : e.sourceId === node.id ? "downstream" : undefined;
      if (!direction) continue;
      const other = byId.get(direction === "upstream" ? e.sourceId : e.targetId);
      if (!other) continue;
      mine.push({
        symbol,
        direction,
        linkedSymbol: other.symbol,
        linkedName: other.name,
        linkedLane: other.nodeType,
        relationship: e.relationship,
        leadTimeDays: e.leadTimeDays,
        correlation: e.correlation,
        weight: e.weight,
        significant: e.significant,
      });
    }
    mine.sort((a, b) => (a.direction === b.direction ? a.linkedName.localeCompare(b.linkedName) : a.direction === "upstream" ? -1 : 1));
    links.push(...mine);
  }
  return { links, notInChain };
}

export interface ChainSignal {
  /** A node's symbol, or (for a node that is not listed) its name. */
  node: string;
  /** The node's move, in percent (8 = +8 %). */
  movePct: number;
}

export interface PropagateOptions {
  /** Links per path, 1–3 (default 3). */
  maxDepth?: number;
  links?: LinkFilter;
  /** Expected moves smaller than this (in percent, absolute) are left out (default 0: none). */
  minExpectedPct?: number;
}

export interface ExpectedMove {
  /** The node expected to move: its symbol (or null when it is not listed) and name. */
  symbol: string | null;
  name: string;
  lane: string;
  /** The signal it follows. */
  from: string;
  fromMovePct: number;
  /** fromMovePct × the product of the correlations along the path. */
  expectedMovePct: number;
  /** The product of the correlations along the path. */
  pathCorrelation: number;
  /** The sum of the leads along the path, in trading days. */
  leadDays: number;
  /** Node labels (symbol, else name) from the signal to this node. */
  path: string[];
  /** Paths from this signal to this node that were found (the strongest is shown). */
  paths: number;
  /** In words: "HSG may follow in ~3 trading days (+2.1 %, via IRON_ORE → HPG → HSG)". */
  message: string;
}

export class ChainSignalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChainSignalError";
  }
}

const labelOf = (n: ChainGraphNode) => n.symbol ?? n.name;
const pct = (v: number) => `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(1)} %`;

/** A signal's node: by symbol (case-insensitive), else by name (case-insensitive). */
function findNode(graph: ChainGraph, key: string): ChainGraphNode | undefined {
  const k = key.trim().toLowerCase();
  return graph.nodes.find((n) => n.symbol?.toLowerCase() === k) ?? graph.nodes.find((n) => n.name.toLowerCase() === k);
}

export function followMessage(target: string, leadDays: number, expectedPct: number, path: string[]): string {
  const when = leadDays === 0 ? "may move the same day" : `may follow in ~${leadDays} trading day${leadDays === 1 ? "" : "s"}`;
  return `${target} ${when} (${pct(expectedPct)}, via ${path.join(" → ")})`;
}

/**
 * The expected moves downstream of the signals, strongest first. Only links with a known correlation and
 * a lead ≥ 0 carry a signal (a negative lead means the target moves first: the source's move says nothing
 * of the target's future). Throws ChainSignalError naming a signal whose node is not in the chain.
 */
export function propagate(graph: ChainGraph, signals: readonly ChainSignal[], options: PropagateOptions = {}): ExpectedMove[] {
  const maxDepth = Math.max(1, Math.min(3, Math.trunc(options.maxDepth ?? 3)));
  const filter = options.links ?? "significant";
  const minExpected = Math.abs(options.minExpectedPct ?? 0);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, ExpectedMove>();
  const outgoing = new Map<string, ChainGraphEdge[]>();
  for (const e of graph.edges) {
    if (!usable(e, filter) || e.leadTimeDays! < 0) continue;
    const list = outgoing.get(e.sourceId) ?? [];
    list.push(e);
    outgoing.set(e.sourceId, list);
  }

  for (const signal of signals) {
    const start = findNode(graph, signal.node);
    if (!start) throw new ChainSignalError(`${signal.node} is not a node of the value chain (give a node's symbol, or the name of a node that is not listed)`);
    const from = labelOf(start);
    // Depth-first over simple paths of at most maxDepth links.
    const walk = (nodeId: string, visited: Set<string>, product: number, lead: number, path: string[]) => {
      if (path.length - 1 >= maxDepth) return;
      for (const e of outgoing.get(nodeId) ?? []) {
        if (visited.has(e.targetId)) continue;
        const target = byId.get(e.targetId);
        if (!target) continue;
        const p = product * e.correlation!;
        const l = lead + e.leadTimeDays!;
        const nextPath = [...path, labelOf(target)];
        const expected = signal.movePct * p;
        const key = `${start.id}|${target.id}`;
        const seen = out.get(key);
        if (!seen || Math.abs(expected) > Math.abs(seen.expectedMovePct)) {
          out.set(key, {
            symbol: target.symbol,
            name: target.name,
            lane: target.nodeType,
            from,
            fromMovePct: signal.movePct,
            expectedMovePct: expected,
            pathCorrelation: p,
            leadDays: l,
            path: nextPath,
            paths: (seen?.paths ?? 0) + 1,
            message: followMessage(labelOf(target), l, expected, nextPath),
          });
        } else {
          seen.paths++;
        }
        visited.add(e.targetId);
        walk(e.targetId, visited, p, l, nextPath);
        visited.delete(e.targetId);
      }
    };
    walk(start.id, new Set([start.id]), 1, 0, [from]);
  }
  return [...out.values()]
    .filter((m) => Math.abs(m.expectedMovePct) >= minExpected && m.expectedMovePct !== 0)
    .sort((a, b) => Math.abs(b.expectedMovePct) - Math.abs(a.expectedMovePct) || a.leadDays - b.leadDays || a.name.localeCompare(b.name));
}
