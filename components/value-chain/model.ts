/**
 * The page's reading of the chain, free of React: which nodes and edges a filter keeps, how an edge is
 * labelled and drawn (thickness by weight, colour by the sign of ρ, dashed unless significant), the
 * colour of a sector and of the day's move. Tested in model.test.ts.
 */
import { NODE_TYPES } from "@/lib/valuechain/schemas";
import type { ChainEdgeJson, ChainJson, ChainNodeJson, NodeType } from "./types";

export const LANES = NODE_TYPES;
export const LANE_RANK: Record<NodeType, number> = { Upstream: 0, Midstream: 1, Downstream: 2 };

export interface ChainFilter {
  /** Keep nodes of this sector ("" = every sector). */
  sector: string;
  /** Keep nodes of this lane ("" = every lane). */
  lane: NodeType | "";
  /** Keep only links beyond the corrected band. */
  significantOnly: boolean;
}

export const NO_FILTER: ChainFilter = { sector: "", lane: "", significantOnly: false };

export interface FilteredChain {
  nodes: ChainNodeJson[];
  edges: ChainEdgeJson[];
  /** Nodes kept only because a kept node links to them: drawn faded, so no link ends in nowhere. */
  context: Set<string>;
}

/** Whether the edge's latest analysis found the link beyond the corrected band. */
export function isSignificant(e: ChainEdgeJson): boolean {
  return e.latestAnalysis?.significant === true;
}

/**
 * The nodes that match the filter, the links that touch one of them (and pass "significant only"),
 * and the other ends of those links as context.
 */
export function filterChain(chain: ChainJson, f: ChainFilter): FilteredChain {
  const matches = (n: ChainNodeJson) => (!f.sector || n.sector === f.sector) && (!f.lane || n.nodeType === f.lane);
  const kept = new Set(chain.nodes.filter(matches).map((n) => n.id));
  const edges = chain.edges.filter((e) => (kept.has(e.sourceId) || kept.has(e.targetId)) && (!f.significantOnly || isSignificant(e)));
  const context = new Set<string>();
  for (const e of edges) {
    for (const end of [e.sourceId, e.targetId]) if (!kept.has(end)) context.add(end);
  }
  // Without a sector or lane filter every node stays (an unlinked node included).
  const nodes = chain.nodes.filter((n) => kept.has(n.id) || context.has(n.id));
  return { nodes, edges, context };
}

/** The sectors of the chain, sorted, for the filter. */
export function sectorsOf(chain: ChainJson): string[] {
  return [...new Set(chain.nodes.map((n) => n.sector))].sort((a, b) => a.localeCompare(b));
}

const fixed2 = (x: number) => (x < 0 ? `−${Math.abs(x).toFixed(2)}` : x.toFixed(2));

/** "leads 3 d", "follows 2 d" (the target moves first), "same day". */
export function leadText(lead: number): string {
  if (lead === 0) return "same day";
  return lead > 0 ? `leads ${lead} d` : `follows ${-lead} d`;
}

/** The edge's label on the graph: "ρ 0.49 · leads 3 d", or "not computed yet". */
export function edgeLabel(e: Pick<ChainEdgeJson, "correlationCoeff" | "leadTimeDays">): string {
  if (e.correlationCoeff === null) return "not computed yet";
  const rho = `ρ ${fixed2(e.correlationCoeff)}`;
  return e.leadTimeDays === null ? rho : `${rho} · ${leadText(e.leadTimeDays)}`;
}

export type EdgeTone = "positive" | "negative" | "none";

export interface EdgeLook {
  label: string;
  tone: EdgeTone;
  /** Stroke width in px: 1.5 for a link of no weight, up to 6 for weight 1. */
  width: number;
  dashed: boolean;
  significant: boolean;
}

export function edgeLook(e: ChainEdgeJson): EdgeLook {
  const rho = e.correlationCoeff;
  const tone: EdgeTone = rho === null || rho === 0 ? "none" : rho > 0 ? "positive" : "negative";
  const weight = Math.max(0, Math.min(1, e.weight ?? 0));
  const significant = isSignificant(e);
  return { label: edgeLabel(e), tone, width: Math.round((1.5 + 4.5 * weight) * 10) / 10, dashed: !significant, significant };
}

export type MoveTone = "up" | "down" | "unchanged" | "none";

/** The day's move in the price board's words: green up, red down, yellow unchanged. */
export function moveTone(changePct: number | null | undefined): MoveTone {
  if (changePct === null || changePct === undefined) return "none";
  return changePct > 0 ? "up" : changePct < 0 ? "down" : "unchanged";
}

/** "+1.23 %", "−0.50 %", "0.00 %". */
export function moveText(changePct: number | null | undefined): string {
  if (changePct === null || changePct === undefined) return "";
  const s = Math.abs(changePct).toFixed(2);
  return changePct > 0 ? `+${s} %` : changePct < 0 ? `−${s} %` : `${s} %`;
}

/** Colours of the demo's sectors; any other sector gets one from its name, the same on every visit. */
const SECTOR_COLOURS: Record<string, string> = {
  Commodities: "#c8913a",
  Steel: "#8fa3b8",
  Construction: "#e0743c",
  "Real estate": "#b57ee6",
  Energy: "#e0c23c",
  Retail: "#3cc6a8",
  Banks: "#5e9cf0",
  Indices: "#9aa5b1",
};
const PALETTE = ["#e06c9f", "#6cc3e0", "#9bd35a", "#e0a36c", "#7f8ce8", "#d46ce0", "#5ad3a0", "#e05a5a"];

export function sectorColour(sector: string): string {
  const known = SECTOR_COLOURS[sector];
  if (known) return known;
  let h = 0;
  for (let i = 0; i < sector.length; i++) h = (h * 31 + sector.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** A node's upstream links (edges into it) and downstream links (edges out of it). */
export function linksOf(chain: ChainJson, nodeId: string): { upstream: ChainEdgeJson[]; downstream: ChainEdgeJson[] } {
  return {
    upstream: chain.edges.filter((e) => e.targetId === nodeId),
    downstream: chain.edges.filter((e) => e.sourceId === nodeId),
  };
}

/** Nodes whose name or symbol holds the query (case-insensitive), the symbol's exact match first. */
export function searchNodes(nodes: readonly ChainNodeJson[], query: string, limit = 8): ChainNodeJson[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const score = (n: ChainNodeJson) => {
    const s = n.symbol?.toLowerCase() ?? "";
    const name = n.name.toLowerCase();
    if (s === q) return 0;
    if (s.startsWith(q) || name.startsWith(q)) return 1;
    if (s.includes(q) || name.includes(q)) return 2;
    return 3;
  };
  return nodes
    .map((n) => ({ n, s: score(n) }))
    .filter((x) => x.s < 3)
    .sort((a, b) => a.s - b.s || a.n.name.localeCompare(b.n.name))
    .slice(0, limit)
    .map((x) => x.n);
}
