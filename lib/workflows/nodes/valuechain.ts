/**
 * Value-chain nodes (issue 10, item 6): the links of the symbols in play, and a move propagated along the
 * chain to the nodes downstream (lib/valuechain/propagate.ts). The chain is read through ctx.valueChain.
 */
import { z } from "zod";
import { plainText } from "@/lib/text";
import { toVnIso } from "../../time";
import { linksOf, propagate, type ChainSignal } from "../../valuechain/propagate";
import type { Alert, SeriesBySymbol, TableRows, Universe } from "../types";
import { defineNode } from "./define";
import { barTimeText } from "./series-ops";

const symbolName = z.string().regex(/^[A-Z0-9_]{1,20}$/, "a symbol is 1–20 capital letters, digits or _");
const triggerIn = { id: "trigger", label: "Trigger", type: "trigger" as const };
const linkFilter = z.enum(["significant", "all"], { error: "links must be significant or all" });
const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));

export const chainLinksNode = defineNode({
  type: "valuechain.links",
  label: "Value-chain links",
  category: "data",
  description:
    "The upstream and downstream links of the symbols in play (listed here, from a connected universe, or the symbol column of a connected table), each with its lead in trading days and its correlation.",
  inputs: [triggerIn, { id: "universe", label: "Symbols", type: "universe" }, { id: "table", label: "Rows with a symbol", type: "table" }],
  outputs: [
    { id: "links", label: "Links", type: "table" },
    { id: "linked", label: "Linked symbols", type: "universe" },
  ],
  params: z.object({
    symbols: z.array(symbolName).max(500).default([]),
    direction: z.enum(["both", "upstream", "downstream"], { error: "direction must be both, upstream or downstream" }).default("both"),
    links: linkFilter.default("all"),
  }),
  async execute(inputs, p, ctx) {
    const fromUniverse = (inputs.universe as Universe | undefined)?.symbols ?? [];
    const fromTable = ((inputs.table as TableRows | undefined) ?? []).map((r) => r.symbol).filter((s): s is string => typeof s === "string");
    const symbols = [...new Set([...p.symbols, ...fromUniverse, ...fromTable])];
    if (symbols.length === 0) throw new Error("no symbols: list some, or connect a universe or a table with a symbol column");
    const { links, notInChain } = linksOf(await ctx.valueChain(ctx.signal), symbols, p.links);
    const kept = links.filter((l) => p.direction === "both" || l.direction === p.direction);
    const rows: TableRows = kept.map((l) => ({
      symbol: l.symbol,
      direction: l.direction,
      linked: l.linkedSymbol ?? l.linkedName,
      linkedName: l.linkedName,
      lane: l.linkedLane,
      relationship: l.relationship,
      leadTimeDays: l.leadTimeDays,
      correlation: round(l.correlation, 4),
      weight: round(l.weight, 4),
      significant: l.significant,
    }));
    const linked = [...new Set(kept.map((l) => l.linkedSymbol).filter((s): s is string => s !== null))].sort();
    return { links: rows, linked: { symbols: linked } satisfies Universe, info: { symbols: symbols.length, links: rows.length, notInChain } };
  },
});

/**
 * Signals set by hand, as the builder's text field holds them: "IRON_ORE +8; COKING_COAL -3.5 %", each a
 * node (its symbol, or the name of a node that is not listed) and its move in percent, separated by ";",
 * "," or new lines (decimals with a point).
 */
// A space before the move: "VN30" is a symbol, not VN and 30.
const SIGNAL = /^(.+?)\s+([+\-\u2212]?\d+(?:\.\d+)?)\s*%?$/;
export function parseSignals(text: string): { signals: ChainSignal[]; problems: string[] } {
  const signals: ChainSignal[] = [];
  const problems: string[] = [];
  for (const part of text.split(/[;,\n]/).map((p) => p.trim()).filter(Boolean)) {
    const m = SIGNAL.exec(part);
    const movePct = m ? Number(m[2]!.replace("\u2212", "-")) : NaN;
    if (!m || !Number.isFinite(movePct)) problems.push(`"${part}": write a node and its move in %, e.g. IRON_ORE +8`);
    else if (movePct < -100 || movePct > 1000) problems.push(`"${part}": a move must be between -100 % and +1000 %`);
    else signals.push({ node: m[1]!.trim(), movePct });
  }
  if (signals.length > 50) problems.push("at most 50 signals");
  return { signals, problems };
}
// Kept as text (checked, not transformed): the builder's form edits the text, and a new node's defaults
// are this schema's output, which must pass it again.
const signalsText = plainText("signals", { multiline: true })
  .max(2000, "signals must be at most 2000 characters")
  .default("")
  .superRefine((text, ctx) => {
    for (const message of parseSignals(text).problems) ctx.addIssue({ code: "custom", message });
  });

export const propagateNode = defineNode({
  type: "valuechain.propagate",
  label: "Propagate along the chain",
  category: "logic",
  description:
    "Given moves of some nodes (set here, e.g. \"IRON_ORE +8; COKING_COAL -3\", and/or each connected symbol's move over its last bars), the expected moves of the nodes downstream: the move times the product of the correlations along each path, arriving after the sum of the leads; paths of at most 3 links, no cycles. A rough guide, not a forecast: correlation is not causation.",
  inputs: [triggerIn, { id: "prices", label: "Prices (closes)", type: "series" }],
  outputs: [
    { id: "moves", label: "Expected moves", type: "table" },
    { id: "alert", label: "Alert", type: "alert" },
  ],
  params: z.object({
    signals: signalsText,
    /** A connected symbol's move is its close now against `overBars` bars before (5 daily bars: a week). */
    overBars: z.number().int().min(1).max(250).default(5),
    /** Connected symbols that moved less than this (in %, either way) send no signal. */
    minMovePct: z.number().min(0).max(100).default(0),
    maxDepth: z.number().int().min(1, "paths are 1 to 3 links long").max(3, "paths are 1 to 3 links long").default(3),
    links: linkFilter.default("significant"),
    /** Expected moves smaller than this (in %, either way) are left out. */
    minExpectedPct: z.number().min(0).max(100).default(0),
    alertTitle: plainText("alertTitle").trim().min(1).max(120).default("Value-chain signal"),
  }),
  async execute(inputs, p, ctx) {
    const prices = inputs.prices as SeriesBySymbol | undefined;
    if (p.signals.trim() === "" && prices === undefined) throw new Error("no signals: set some (a node and its move in %) or connect prices");
    const signals: ChainSignal[] = parseSignals(p.signals).signals;
    const quiet: string[] = [];
    const tooShort: string[] = [];
    let lastTime: number | undefined;
    let resolution: SeriesBySymbol[string]["resolution"];
    const setByHand = new Set(signals.map((s) => s.node.toUpperCase()));
    for (const [symbol, s] of Object.entries(prices ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      // A move set in the node wins over the same node's move from the prices.
      if (setByHand.has(symbol)) continue;
      const n = s.values.length;
      const now = s.values[n - 1];
      const then = s.values[n - 1 - p.overBars];
      if (now === undefined || then === undefined || !Number.isFinite(now) || !Number.isFinite(then) || then <= 0) {
        tooShort.push(symbol);
        continue;
      }
      const movePct = (now / then - 1) * 100;
      if (Math.abs(movePct) < p.minMovePct) {
        quiet.push(symbol);
        continue;
      }
      signals.push({ node: symbol, movePct });
      const t = s.times[n - 1]!;
      if (lastTime === undefined || t > lastTime) [lastTime, resolution] = [t, s.resolution];
    }
    const graph = await ctx.valueChain(ctx.signal);
    const moves = signals.length === 0 ? [] : propagate(graph, signals, { maxDepth: p.maxDepth, links: p.links, minExpectedPct: p.minExpectedPct });
    const rows: TableRows = moves.map((m) => ({
      symbol: m.symbol ?? m.name,
      name: m.name,
      lane: m.lane,
      from: m.from,
      fromMovePct: round(m.fromMovePct, 2),
      expectedMovePct: round(m.expectedMovePct, 2),
      leadDays: m.leadDays,
      pathCorrelation: round(m.pathCorrelation, 4),
      path: m.path.join(" → "),
      paths: m.paths,
      message: m.message,
    }));
    const barTime = lastTime === undefined ? null : barTimeText(lastTime, resolution);
    // No expected move: no alert (null), as the Alert node does when no symbol qualifies.
    const alert: Alert | null =
      moves.length === 0
        ? null
        : {
            title: p.alertTitle,
            severity: "info",
            message: moves
              .slice(0, 5)
              .map((m) => m.message)
              .join("; ")
              .concat(moves.length > 5 ? `; and ${moves.length - 5} more` : ""),
            symbols: [...new Set(moves.map((m) => m.symbol).filter((s): s is string => s !== null))],
            at: toVnIso(ctx.now()),
            barTime,
            leftOut: tooShort,
          };
    const fmt = (s: ChainSignal) => `${s.node} ${s.movePct >= 0 ? "+" : ""}${s.movePct.toFixed(1)} %`;
    return { moves: rows, alert, info: { signals: signals.map(fmt), quiet, tooShort, barTime } };
  },
});

export const valueChainNodes = [chainLinksNode, propagateNode];
