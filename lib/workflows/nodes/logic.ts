/**
 * Logic nodes: conditions over series (true/false per symbol and bar), their combination, and ranking.
 * Two series are compared bar by bar on the times both have; a warm-up (NaN) bar has no value and is
 * left out of the condition (not false: NOT of it would then be true).
 */
import { z } from "zod";
import type { BooleanBySymbol, NodeInfo, PortSpec, SeriesBySymbol, TableRows, Universe } from "../types";
import { defineNode } from "./define";
import { barTimeText, commonBar, input, joinOnTime, mapValues } from "./series-ops";

const OPERATORS = { ">": (a: number, b: number) => a > b, ">=": (a: number, b: number) => a >= b, "<": (a: number, b: number) => a < b, "<=": (a: number, b: number) => a <= b, "==": (a: number, b: number) => a === b };
const boolOut: PortSpec[] = [{ id: "condition", label: "Condition", type: "boolean" }];
const boolIn = (id: string, label: string): PortSpec => ({ id, label, type: "boolean", required: true });

export const compareNode = defineNode({
  type: "logic.compare",
  label: "Compare",
  category: "logic",
  description: "A op B for each bar (e.g. close > SMA).",
  inputs: [
    { id: "a", label: "A", type: "series", required: true },
    { id: "b", label: "B", type: "series", required: true },
  ],
  outputs: boolOut,
  params: z.object({ operator: z.enum(["<", "<=", ">", ">=", "=="]).default(">") }),
  execute: (inputs, p) => ({ condition: joinOnTime(input<SeriesBySymbol>(inputs, "a"), input<SeriesBySymbol>(inputs, "b"), OPERATORS[p.operator]) }),
});

export const thresholdNode = defineNode({
  type: "logic.threshold",
  label: "Threshold",
  category: "logic",
  description: "Series op a fixed level (e.g. RSI < 30).",
  inputs: [{ id: "series", label: "Series", type: "series", required: true }],
  outputs: boolOut,
  params: z.object({ operator: z.enum(["<", "<=", ">", ">=", "=="]).default("<"), level: z.number().finite() }),
  execute: (inputs, p) => ({ condition: mapValues(input<SeriesBySymbol>(inputs, "series"), (v) => OPERATORS[p.operator](v, p.level)) }),
});

export const crossNode = defineNode({
  type: "logic.cross",
  label: "Crosses",
  category: "logic",
  description: "True on the bar where A crosses above (or below) B: the previous bar was on the other side or level.",
  inputs: [
    { id: "a", label: "A", type: "series", required: true },
    { id: "b", label: "B", type: "series", required: true },
  ],
  outputs: boolOut,
  params: z.object({ direction: z.enum(["above", "below"]).default("above") }),
  execute(inputs, p) {
    const above = p.direction === "above";
    return {
      condition: joinOnTime(input<SeriesBySymbol>(inputs, "a"), input<SeriesBySymbol>(inputs, "b"), (a, b, prev) =>
        prev === undefined ? false : above ? prev.x <= prev.y && a > b : prev.x >= prev.y && a < b,
      ),
    };
  },
});

function combine(a: BooleanBySymbol, b: BooleanBySymbol, fn: (x: boolean, y: boolean) => boolean): BooleanBySymbol {
  return joinOnTime(a, b, fn);
}

export const andNode = defineNode({
  type: "logic.and",
  label: "AND",
  category: "logic",
  description: "Both conditions hold on the bar.",
  inputs: [boolIn("a", "A"), boolIn("b", "B")],
  outputs: boolOut,
  params: z.object({}),
  execute: (inputs) => ({ condition: combine(input(inputs, "a"), input(inputs, "b"), (x, y) => x && y) }),
});

export const orNode = defineNode({
  type: "logic.or",
  label: "OR",
  category: "logic",
  description: "Either condition holds on the bar.",
  inputs: [boolIn("a", "A"), boolIn("b", "B")],
  outputs: boolOut,
  params: z.object({}),
  execute: (inputs) => ({ condition: combine(input(inputs, "a"), input(inputs, "b"), (x, y) => x || y) }),
});

export const notNode = defineNode({
  type: "logic.not",
  label: "NOT",
  category: "logic",
  description: "The condition does not hold.",
  inputs: [boolIn("a", "Condition")],
  outputs: boolOut,
  params: z.object({}),
  execute(inputs) {
    return { condition: mapValues(input<BooleanBySymbol>(inputs, "a"), (x) => !x) };
  },
});

export const rankNode = defineNode({
  type: "logic.rank",
  label: "Rank / top N",
  category: "logic",
  description: "Ranks symbols by their value at the latest bar time most symbols share and keeps the top N; symbols with no bar then are left out and named.",
  inputs: [{ id: "series", label: "Series", type: "series", required: true }],
  outputs: [
    { id: "table", label: "Ranking", type: "table" },
    { id: "universe", label: "Top symbols", type: "universe" },
  ],
  params: z.object({ n: z.number().int().min(1).max(500).default(10), order: z.enum(["desc", "asc"]).default("desc") }),
  execute(inputs, p) {
    const bar = commonBar(input<SeriesBySymbol>(inputs, "series"));
    const time = bar.time === undefined ? null : barTimeText(bar.time, bar.resolution);
    const rows = bar.values
      .map(([symbol, value]) => ({ symbol, value }))
      .sort((x, y) => (p.order === "desc" ? y.value - x.value : x.value - y.value) || x.symbol.localeCompare(y.symbol))
      .slice(0, p.n);
    const table: TableRows = rows.map((r, i) => ({ rank: i + 1, symbol: r.symbol, value: r.value, time }));
    const info: NodeInfo = { barTime: time, compared: bar.values.length, leftOut: bar.leftOut };
    return { table, universe: { symbols: rows.map((r) => r.symbol) } satisfies Universe, info };
  },
});

export const logicNodes = [compareNode, thresholdNode, crossNode, andNode, orNode, notNode, rankNode];
