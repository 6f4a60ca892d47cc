/**
 * Generating an allocation from the market data: the request's symbols are checked against
 * market_symbols (stocks only: an index or a commodity cannot be bought), their daily closes over the
 * lookback are read in one statement (lib/market/universe-closes.ts), and the optimiser
 * (lib/analytics/portfolio) does the rest. With `details`, also what the page draws: the efficient
 * frontier, every symbol alone, and the correlation matrix, from the same estimates.
 */
import { z } from "zod";
import { backtest, type BacktestResult } from "@/lib/analytics/portfolio/backtest";
import { resolveConstraints } from "@/lib/analytics/portfolio/constraints";
import { PortfolioInputError } from "@/lib/analytics/portfolio/errors";
import { correlationMatrix, efficientFrontier, singleAssetPoints, type FrontierPoint, type RiskReturnPoint } from "@/lib/analytics/portfolio/frontier";
import { estimate, OPTIMISATION_METHODS, optimise, type Allocation } from "@/lib/analytics/portfolio/optimise";
import type { Queryable } from "@/lib/market/queryable";
import { readDailyCloses } from "@/lib/market/universe-closes";
import type { ExchangeCode } from "@/lib/market/types";

export const MAX_UNIVERSE = 200;
export const DEFAULT_LOOKBACK_DAYS = 252;

const symbol = z
  .string({ error: "each symbol must be text" })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9._-]{0,19}$/, "a symbol is 1–20 letters, digits, '.', '_' or '-'");
const weight = (name: string) => z.number({ error: `${name} must be a number from 0 to 1` }).min(0, `${name} must be from 0 to 1`).max(1, `${name} must be from 0 to 1`);

/** The body of POST /api/portfolio/optimize, of a save, and the Allocate node's parameters. */
export const allocationRequestSchema = z
  .object({
    symbols: z
      .array(symbol, { error: "symbols must be a list of symbols" })
      .min(2, "pick at least two symbols")
      .max(MAX_UNIVERSE, `at most ${MAX_UNIVERSE} symbols`)
      .transform((list) => [...new Set(list)]),
    method: z.enum(OPTIMISATION_METHODS, { error: `method must be one of ${OPTIMISATION_METHODS.join(", ")}` }),
    lookbackDays: z
      .number({ error: "lookbackDays must be a number of trading days" })
      .int("lookbackDays must be a whole number of trading days")
      .min(60, "lookbackDays must be from 60 to 2,520 trading days")
      .max(2520, "lookbackDays must be from 60 to 2,520 trading days")
      .default(DEFAULT_LOOKBACK_DAYS),
    riskFreeRate: z.number({ error: "riskFreeRate must be a yearly fraction, e.g. 0.03" }).min(-0.5, "riskFreeRate must be from -0.5 to 0.5 (a fraction: 0.03 = 3 %)").max(0.5, "riskFreeRate must be from -0.5 to 0.5 (a fraction: 0.03 = 3 %)").optional(),
    minWeight: weight("minWeight").optional(),
    maxWeight: weight("maxWeight").optional(),
    targetReturn: z.number({ error: "targetReturn must be a yearly fraction, e.g. 0.15" }).min(-1).max(100).optional(),
    targetVolatility: z.number({ error: "targetVolatility must be a yearly fraction, e.g. 0.2" }).positive("targetVolatility must be above 0").max(100).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.symbols.length < 2) ctx.addIssue({ code: "custom", path: ["symbols"], message: "pick at least two different symbols" });
    if (s.method === "efficient_return" && s.targetReturn === undefined) ctx.addIssue({ code: "custom", path: ["targetReturn"], message: "efficient_return needs targetReturn (a yearly fraction, e.g. 0.15)" });
    if (s.method === "efficient_risk" && s.targetVolatility === undefined) ctx.addIssue({ code: "custom", path: ["targetVolatility"], message: "efficient_risk needs targetVolatility (a yearly fraction, e.g. 0.2)" });
    if (s.minWeight !== undefined && s.maxWeight !== undefined && s.minWeight > s.maxWeight) ctx.addIssue({ code: "custom", path: ["minWeight"], message: "minWeight is above maxWeight" });
  });

export type AllocationRequest = z.output<typeof allocationRequestSchema>;

export interface UniverseDetails {
  /** The symbols kept (those with enough history), in the allocation's order. */
  symbols: string[];
  sectors: Record<string, string | null>;
  /** correlation[i][j] of daily returns, over the days both symbols have. */
  correlation: number[][];
  assets: (RiskReturnPoint & { symbol: string })[];
  frontier: FrontierPoint[];
}

export interface GeneratedAllocation {
  request: AllocationRequest & { riskFreeRate: number };
  allocation: Allocation;
  /** The last trading date (Vietnamese) of the closes used. */
  asOf: string;
  details?: UniverseDetails;
}

interface SymbolRow {
  symbol: string;
  kind: string;
  exchange: ExchangeCode | null;
  sector: string | null;
}

/** The requested symbols as market_symbols has them; an unknown one, or one that is not a stock, is refused by name. */
export async function stockSymbols(db: Queryable, symbols: readonly string[]): Promise<Map<string, SymbolRow>> {
  const { rows } = await db.query("SELECT symbol, kind, exchange, sector FROM market_symbols WHERE symbol = ANY($1::text[])", [symbols]);
  const found = new Map((rows as unknown as SymbolRow[]).map((r) => [r.symbol, r]));
  const unknown = symbols.filter((s) => !found.has(s));
  if (unknown.length > 0) throw new PortfolioInputError("unknown_symbol", `unknown symbol${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}: not in QuantFlow's symbol list`);
  const notStocks = symbols.filter((s) => found.get(s)?.kind !== "stock");
  if (notStocks.length > 0) throw new PortfolioInputError("unknown_symbol", `${notStocks.map((s) => `${s} (${found.get(s)?.kind})`).join(", ")} cannot be held: a portfolio holds stocks only`);
  return found;
}

export async function generateAllocation(
  db: Queryable,
  request: AllocationRequest,
  options: { defaultRiskFreeRate: number; details?: boolean; endDay?: string },
): Promise<GeneratedAllocation> {
  const riskFreeRate = request.riskFreeRate ?? options.defaultRiskFreeRate;
  const info = await stockSymbols(db, request.symbols);
  const history = await readDailyCloses(db, request.symbols, { tradingDays: request.lookbackDays, endDay: options.endDay });
  if (history.dates.length === 0) throw new PortfolioInputError("too_few_symbols", `none of ${request.symbols.join(", ")} has daily bars in the last ${request.lookbackDays} trading days`);
  const settings = {
    method: request.method,
    riskFreeRate,
    minWeight: request.minWeight,
    maxWeight: request.maxWeight,
    targetReturn: request.targetReturn,
    targetVolatility: request.targetVolatility,
    // A lookback shorter than the optimiser's 60 returns would leave every symbol out: ask for most of it.
    minObservations: Math.min(60, Math.floor(request.lookbackDays * 0.8)),
  };
  const allocation = optimise(history, settings);
  const asOf = history.dates[history.dates.length - 1] as string;
  const generated: GeneratedAllocation = { request: { ...request, riskFreeRate }, allocation, asOf };
  if (options.details) {
    const est = estimate(history, { minObservations: settings.minObservations });
    const constraints = resolveConstraints(est.symbols, settings);
    generated.details = {
      symbols: est.symbols,
      sectors: Object.fromEntries(est.symbols.map((s) => [s, info.get(s)?.sector ?? null])),
      correlation: correlationMatrix(est.cov),
      assets: singleAssetPoints(est.mu, est.cov).map((p, i) => ({ symbol: est.symbols[i] as string, ...p })),
      frontier: efficientFrontier(est.mu, est.cov, constraints, est.symbols, riskFreeRate),
    };
  }
  return generated;
}

export const backtestRequestSchema = allocationRequestSchema.and(
  z.object({
    years: z.number({ error: "years must be a number" }).int("years must be a whole number").min(1, "years must be from 1 to 10").max(10, "years must be from 1 to 10").default(3),
    capitalVnd: z.string().regex(/^\d+$/, "capitalVnd must be a whole number of VND, e.g. \"1000000000\"").default("1000000000"),
  }),
);
export type BacktestRequest = z.output<typeof backtestRequestSchema>;

/**
 * The method's walk-forward backtest over the last `years` (252 sessions each), with the lookback's
 * sessions before them for the first rebalance; VNINDEX read in the same statement as the benchmark.
 */
export async function runBacktest(db: Queryable, request: BacktestRequest, options: { defaultRiskFreeRate: number; feeRate: number; taxRate: number; endDay?: string }): Promise<BacktestResult & { asOf: string }> {
  await stockSymbols(db, request.symbols);
  const sessions = request.years * 252 + request.lookbackDays + 1;
  const read = await readDailyCloses(db, [...request.symbols, BENCHMARK], { tradingDays: sessions, endDay: options.endDay });
  const at = read.symbols.indexOf(BENCHMARK);
  const history = { symbols: read.symbols.filter((_, i) => i !== at), dates: read.dates, closes: read.closes.filter((_, i) => i !== at) };
  const result = backtest({
    history,
    benchmark: { symbol: BENCHMARK, closes: read.closes[at] as (number | null)[] },
    settings: {
      method: request.method,
      riskFreeRate: request.riskFreeRate ?? options.defaultRiskFreeRate,
      minWeight: request.minWeight,
      maxWeight: request.maxWeight,
      targetReturn: request.targetReturn,
      targetVolatility: request.targetVolatility,
      minObservations: Math.min(60, Math.floor(request.lookbackDays * 0.8)),
    },
    lookbackDays: request.lookbackDays,
    capitalVnd: request.capitalVnd,
    feeRate: options.feeRate,
    taxRate: options.taxRate,
  });
  return { ...result, asOf: read.dates[read.dates.length - 1] ?? "" };
}

const BENCHMARK = "VNINDEX";
