/**
 * Portfolio nodes: "Allocate" turns a list of symbols (a universe, e.g. a rank node's top symbols) into
 * an allocation with its metrics, through the run's ctx.allocate (lib/portfolio: the same optimiser and
 * data as /portfolio), and may save it for the workflow's owner. Its table (symbol, weight, risk
 * contribution) and its metrics are stored with the run and shown on the run's page. Free of the
 * database: the builder loads this file in the browser.
 */
import { z } from "zod";
import { plainText } from "@/lib/text";
import type { NodeInfo, TableRows, Universe } from "../types";
import { defineNode } from "./define";
import { input } from "./series-ops";

const METHODS = ["max_sharpe", "min_volatility", "efficient_return", "efficient_risk", "risk_parity", "hrp", "inverse_volatility", "equal_weight"] as const;
const weight = z.number().min(0).max(1);

export const allocateNode = defineNode({
  type: "portfolio.allocate",
  label: "Allocate",
  category: "output",
  description: "Weights for the symbols by an allocation method over their daily closes (long only, weights add up to 1), with expected return, volatility, Sharpe ratio and risk contributions; optionally saved to your portfolio page.",
  inputs: [{ id: "universe", label: "Symbols", type: "universe", required: true }],
  outputs: [{ id: "allocation", label: "Allocation", type: "table" }],
  params: z
    .object({
      method: z.enum(METHODS).default("max_sharpe"),
      lookbackDays: z.number().int().min(60).max(2520).default(252),
      minWeight: weight.optional(),
      maxWeight: weight.optional(),
      targetReturn: z.number().min(-1).max(100).optional(),
      targetVolatility: z.number().positive().max(100).optional(),
      save: z.boolean().default(false),
      name: plainText("name").max(200).optional(),
    })
    .refine((p) => p.method !== "efficient_return" || p.targetReturn !== undefined, { message: "efficient_return needs a target return (a yearly fraction, e.g. 0.15)", path: ["targetReturn"] })
    .refine((p) => p.method !== "efficient_risk" || p.targetVolatility !== undefined, { message: "efficient_risk needs a target volatility (a yearly fraction, e.g. 0.2)", path: ["targetVolatility"] }),
  async execute(inputs, p, ctx) {
    const symbols = [...new Set(input<Universe>(inputs, "universe").symbols)];
    if (symbols.length < 2) throw new Error(`an allocation needs at least two symbols; ${symbols.length === 1 ? `only ${symbols[0]} came in` : "none came in"}`);
    if (!ctx.allocate) throw new Error("allocations cannot be computed in this run (no market data service)");
    const a = await ctx.allocate({ symbols, method: p.method, lookbackDays: p.lookbackDays, minWeight: p.minWeight, maxWeight: p.maxWeight, targetReturn: p.targetReturn, targetVolatility: p.targetVolatility, save: p.save, name: p.name }, ctx.signal);
    const allocation: TableRows = Object.entries(a.weights)
      .sort(([x, wx], [y, wy]) => wy - wx || x.localeCompare(y))
      .map(([symbol, w]) => ({ symbol, weight: w, riskContribution: a.riskContributions[symbol] ?? null }));
    const info: NodeInfo = {
      method: p.method,
      expectedReturn: a.expectedReturn,
      volatility: a.volatility,
      sharpe: a.sharpe,
      riskFreeRate: a.riskFreeRate,
      asOf: a.asOf,
      excluded: a.excluded,
      savedAllocationId: a.savedId,
    };
    return { allocation, info };
  },
});

export const portfolioNodes = [allocateNode];
