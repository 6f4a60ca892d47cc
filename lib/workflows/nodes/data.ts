/** Data nodes: candles, the market snapshot and universes, all fetched through the run's context. */
import { z } from "zod";
import { plainText } from "@/lib/text";
import { CANDLE_RESOLUTIONS } from "../../market/candles";
import { SNAPSHOT_MARKETS } from "../../market/snapshot";
import type { CandlesBySymbol, Universe } from "../types";
import { defineNode } from "./define";
import { fieldOf } from "./series-ops";

const symbolName = z.string().regex(/^[A-Z0-9_]{1,20}$/, "a symbol is 1–20 capital letters, digits or _");
/** Bars per symbol a Candles node may ask for (the memory budget usually stops it well before). */
export const MAX_LOOKBACK_BARS = 1_000_000;
/** About 30 years of sessions. */
export const MAX_LOOKBACK_DAYS = 7_500;
const triggerIn = { id: "trigger", label: "Trigger", type: "trigger" as const };

export const candlesNode = defineNode({
  type: "data.candles",
  label: "Candles",
  category: "data",
  description: "The latest bars of one or many symbols (listed here, or from a connected universe).",
  inputs: [triggerIn, { id: "universe", label: "Symbols", type: "universe" }],
  outputs: [
    { id: "candles", label: "OHLCV", type: "candles" },
    { id: "close", label: "Close", type: "series" },
    { id: "volume", label: "Volume", type: "series" },
  ],
  // The lookback is not capped at the chart's page of bars: the run's memory budget
  // (QUANTFLOW_RUN_MEMORY_MB) stops a read that would be too big, saying so.
  params: z
    .object({
      symbols: z.array(symbolName).max(500).default([]),
      resolution: z.enum(CANDLE_RESOLUTIONS).default("1D"),
      lookback: z.number().int().min(1).max(MAX_LOOKBACK_BARS).default(250),
      /** bars: the latest `lookback` bars of each symbol; days: the bars of the last `lookback` trading days. */
      lookbackUnit: z.enum(["bars", "days"]).default("bars"),
    })
    .refine((p) => p.lookbackUnit === "bars" || p.lookback <= MAX_LOOKBACK_DAYS, {
      path: ["lookback"],
      message: `a lookback in days is at most ${MAX_LOOKBACK_DAYS.toLocaleString("en-US")} trading days`,
    }),
  async execute(inputs, params, ctx) {
    const fromUniverse = (inputs.universe as Universe | undefined)?.symbols ?? [];
    const symbols = [...new Set([...params.symbols, ...fromUniverse])];
    if (symbols.length === 0) throw new Error("no symbols: list some or connect a universe");
    const lookback = params.lookbackUnit === "days" ? { days: params.lookback } : { bars: params.lookback };
    const candles: CandlesBySymbol = await ctx.candles(symbols, params.resolution, lookback, ctx.signal);
    return { candles, close: fieldOf(candles, "close", params.resolution), volume: fieldOf(candles, "volume", params.resolution) };
  },
});

export const snapshotNode = defineNode({
  type: "data.snapshot",
  label: "Market snapshot",
  category: "data",
  description: "VN-Index and its change, liquidity and foreign flow of one exchange, as of its latest bar.",
  inputs: [triggerIn],
  outputs: [{ id: "snapshot", label: "Snapshot", type: "snapshot" }],
  params: z.object({ market: z.enum(SNAPSHOT_MARKETS).default("HOSE") }),
  execute: async (_inputs, params, ctx) => ({ snapshot: await ctx.snapshot(params.market, ctx.signal) }),
});

export const universeNode = defineNode({
  type: "data.universe",
  label: "Universe",
  category: "data",
  description: "All stocks of an exchange and/or a sector.",
  inputs: [triggerIn],
  outputs: [{ id: "universe", label: "Symbols", type: "universe" }],
  params: z.object({
    exchange: z.enum(SNAPSHOT_MARKETS).optional(),
    sector: plainText("sector").min(1).max(80).optional(),
  }),
  async execute(_inputs, params, ctx) {
    const symbols = await ctx.universe({ exchange: params.exchange, sector: params.sector }, ctx.signal);
    return { universe: { symbols } satisfies Universe };
  },
});

export const dataNodes = [candlesNode, snapshotNode, universeNode];
