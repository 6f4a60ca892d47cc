/**
 * The optimiser's entry point: daily closes of a universe → weights and their metrics. Free of Next
 * and of the database: the caller loads the closes (symbols × trading dates) and passes settings.
 */
import { z } from "zod";
import type { WeightConstraints } from "./constraints";
import { isUnconstrained, projectOntoConstraints, resolveConstraints } from "./constraints";
import { assertPositiveDefinite } from "./covariance-check";
import { PortfolioInputError } from "./errors";
import type { Alignment, CloseMatrix } from "./estimators";
import { compoundedMeanReturn, observationCount, PERIODS_PER_YEAR, sampleCovariance, sharedDates, simpleReturnMatrix } from "./estimators";
import { hierarchicalRiskParity } from "./hrp";
import type { SquareMatrix } from "./mean-variance";
import { dot, efficientReturn, efficientRisk, maxSharpe, minVolatility, portfolioVariance } from "./mean-variance";
import { riskParity } from "./risk-parity";

export const OPTIMISATION_METHODS = ["equal_weight", "inverse_volatility", "min_volatility", "max_sharpe", "efficient_return", "efficient_risk", "risk_parity", "hrp"] as const;
export type OptimisationMethod = (typeof OPTIMISATION_METHODS)[number];

/** PyPortfolioOpt's default risk-free rate; the app passes the VN 10-year bond yield from its settings. */
export const DEFAULT_RISK_FREE_RATE = 0.02;
/** Fewer daily returns than this and a symbol is left out (and listed in `excluded`). */
export const DEFAULT_MIN_OBSERVATIONS = 60;

const weight = z.number().min(0).max(1);

export const optimiseSettingsSchema = z
  .object({
    method: z.enum(OPTIMISATION_METHODS),
    riskFreeRate: z.number().min(-1).max(1).default(DEFAULT_RISK_FREE_RATE),
    targetReturn: z.number().min(-1).max(100).optional(),
    targetVolatility: z.number().positive().max(100).optional(),
    minWeight: weight.optional(),
    maxWeight: weight.optional(),
    bounds: z.record(z.string(), z.object({ min: weight.optional(), max: weight.optional() })).optional(),
    sectors: z.record(z.string(), z.string().min(1)).optional(),
    sectorMax: z.record(z.string(), weight).optional(),
    alignment: z.enum(["pairwise", "shared_dates"]).default("pairwise"),
    minObservations: z.number().int().min(2).default(DEFAULT_MIN_OBSERVATIONS),
    periodsPerYear: z.number().int().positive().default(PERIODS_PER_YEAR),
  })
  .superRefine((s, ctx) => {
    if (s.method === "efficient_return" && s.targetReturn === undefined) ctx.addIssue({ code: "custom", path: ["targetReturn"], message: "efficient_return needs targetReturn" });
    if (s.method === "efficient_risk" && s.targetVolatility === undefined) ctx.addIssue({ code: "custom", path: ["targetVolatility"], message: "efficient_risk needs targetVolatility" });
  });

export type OptimiseSettings = z.input<typeof optimiseSettingsSchema>;

export interface PriceHistory {
  symbols: readonly string[];
  /** Trading dates (ISO yyyy-mm-dd), oldest first; one column of `closes` each. */
  dates: readonly string[];
  /** closes[symbol][date], null where there is no close. */
  closes: CloseMatrix;
}

export interface Allocation {
  method: OptimisationMethod;
  symbols: string[];
  weights: Record<string, number>;
  expectedReturn: number;
  volatility: number;
  sharpe: number;
  riskFreeRate: number;
  /** Each symbol's share of the portfolio variance, w_i (Σw)_i / w'Σw; they add up to 1. */
  riskContributions: Record<string, number>;
  /** Symbols left out for too short a history. */
  excluded: { symbol: string; observations: number }[];
  /** The first and last date of the window, and the daily returns it held (most per symbol). */
  from: string;
  to: string;
  observations: number;
  /** True when a heuristic's weights broke the bounds and were moved to the nearest allowed ones. */
  projected: boolean;
}

export interface Estimates {
  symbols: string[];
  excluded: { symbol: string; observations: number }[];
  mu: number[];
  cov: number[][];
  observations: number;
}

export function estimate(history: PriceHistory, settings: { alignment?: Alignment; minObservations?: number; periodsPerYear?: number } = {}): Estimates {
  const { alignment = "pairwise", minObservations = DEFAULT_MIN_OBSERVATIONS, periodsPerYear = PERIODS_PER_YEAR } = settings;
  const { symbols, dates, closes } = history;
  if (closes.length !== symbols.length) throw new PortfolioInputError("invalid_prices", `closes has ${closes.length} rows for ${symbols.length} symbols`);
  closes.forEach((row, i) => {
    if (row.length !== dates.length) throw new PortfolioInputError("invalid_prices", `${symbols[i]} has ${row.length} closes for ${dates.length} dates`);
  });
  const duplicate = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (duplicate) throw new PortfolioInputError("invalid_prices", `${duplicate} appears twice in the universe`);
  let returns = simpleReturnMatrix(closes, symbols, dates);
  // Rows (days) with no return at all are dropped, like PyPortfolioOpt's dropna(how="all"); they change nothing else.
  const kept: string[] = [];
  const excluded: Estimates["excluded"] = [];
  const keptReturns: number[][] = [];
  returns.forEach((r, i) => {
    const count = observationCount(r);
    if (count >= minObservations) {
      kept.push(symbols[i] as string);
      keptReturns.push(r);
    } else excluded.push({ symbol: symbols[i] as string, observations: count });
  });
  if (kept.length < 2) {
    const short = excluded.map((e) => `${e.symbol} (${e.observations})`).join(", ");
    throw new PortfolioInputError("too_few_symbols", `a portfolio needs at least two symbols with ${minObservations} daily returns or more; ${kept.length === 1 ? `only ${kept[0]} has` : "none has"} enough${short ? `: ${short}` : ""}`);
  }
  returns = alignment === "shared_dates" ? sharedDates(keptReturns) : keptReturns;
  const observations = Math.max(...returns.map(observationCount));
  if (alignment === "shared_dates" && observations < 2) {
    throw new PortfolioInputError("too_few_symbols", `the symbols share ${observations} trading day(s) with a return for all of them: too few for a covariance`);
  }
  return { symbols: kept, excluded, mu: returns.map((r) => compoundedMeanReturn(r, periodsPerYear)), cov: sampleCovariance(returns, periodsPerYear), observations };
}

export function performance(w: readonly number[], mu: readonly number[], cov: SquareMatrix, riskFreeRate: number) {
  const expectedReturn = dot(w, mu);
  const variance = portfolioVariance(w, cov);
  const volatility = Math.sqrt(variance);
  const contributions = w.map((wi, i) => (wi * (cov[i] as readonly number[]).reduce((s, c, j) => s + c * (w[j] as number), 0)) / variance);
  return { expectedReturn, volatility, sharpe: (expectedReturn - riskFreeRate) / volatility, contributions };
}

export function optimise(history: PriceHistory, input: OptimiseSettings): Allocation {
  const parsed = optimiseSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PortfolioInputError("invalid_settings", `${issue?.path.join(".") || "settings"}: ${issue?.message}`);
  }
  const settings = parsed.data;
  const est = estimate(history, settings);
  const constraints = resolveConstraints(est.symbols, settings);
  assertPositiveDefinite(est.symbols, est.cov, est.observations);
  const { weights, projected } = solve(settings, est, constraints);
  const perf = performance(weights, est.mu, est.cov, settings.riskFreeRate);
  const record = (values: readonly number[]) => Object.fromEntries(est.symbols.map((s, i) => [s, values[i] as number]));
  return {
    method: settings.method,
    symbols: est.symbols,
    weights: record(weights),
    expectedReturn: perf.expectedReturn,
    volatility: perf.volatility,
    sharpe: perf.sharpe,
    riskFreeRate: settings.riskFreeRate,
    riskContributions: record(perf.contributions),
    excluded: est.excluded,
    from: history.dates[0] ?? "",
    to: history.dates[history.dates.length - 1] ?? "",
    observations: est.observations,
    projected,
  };
}

type Parsed = z.output<typeof optimiseSettingsSchema>;

function solve(settings: Parsed, est: Estimates, c: WeightConstraints): { weights: number[]; projected: boolean } {
  const { mu, cov, symbols } = est;
  const heuristic = (raw: number[]) => {
    const violates = !isUnconstrained(c) && !satisfies(raw, c);
    return violates ? { weights: projectOntoConstraints(raw, c), projected: true } : { weights: raw, projected: false };
  };
  switch (settings.method) {
    case "equal_weight":
      return heuristic(symbols.map(() => 1 / symbols.length));
    case "inverse_volatility": {
      const inv = cov.map((row, i) => 1 / Math.sqrt(row[i] as number));
      const sum = inv.reduce((a, b) => a + b, 0);
      return heuristic(inv.map((x) => x / sum));
    }
    case "risk_parity":
      return heuristic(riskParity(cov));
    case "hrp":
      return heuristic(hierarchicalRiskParity(cov));
    case "min_volatility":
      return { weights: minVolatility(cov, c), projected: false };
    case "max_sharpe":
      return { weights: maxSharpe(mu, cov, c, settings.riskFreeRate), projected: false };
    case "efficient_return":
      return { weights: efficientReturn(mu, cov, c, settings.targetReturn as number, symbols), projected: false };
    case "efficient_risk":
      return { weights: efficientRisk(mu, cov, c, settings.targetVolatility as number), projected: false };
  }
}

function satisfies(w: readonly number[], c: WeightConstraints, tolerance = 1e-12): boolean {
  if (w.some((x, i) => x < (c.lower[i] as number) - tolerance || x > (c.upper[i] as number) + tolerance)) return false;
  return c.sectorCaps.every((cap) => cap.members.reduce((s, i) => s + (w[i] as number), 0) <= cap.max + tolerance);
}
