/** The browser's side of the portfolio routes: typed fetchers; a non-2xx answer becomes a PortfolioApiError with the route's reason. */

export const METHODS = [
  ["max_sharpe", "Maximum Sharpe"],
  ["min_volatility", "Minimum volatility"],
  ["efficient_return", "Efficient return (target return)"],
  ["efficient_risk", "Efficient risk (target volatility)"],
  ["risk_parity", "Risk parity"],
  ["hrp", "Hierarchical risk parity"],
  ["inverse_volatility", "Inverse volatility"],
  ["equal_weight", "Equal weight"],
] as const;
export type Method = (typeof METHODS)[number][0];
export const methodLabel = (m: string) => METHODS.find(([k]) => k === m)?.[1] ?? m;

export interface OptimizeRequest {
  symbols: string[];
  method: Method;
  lookbackDays: number;
  riskFreeRate?: number;
  minWeight?: number;
  maxWeight?: number;
  targetReturn?: number;
  targetVolatility?: number;
}

export interface RiskReturn {
  expectedReturn: number;
  volatility: number;
}

export interface OptimizeAnswer {
  method: Method;
  weights: Record<string, number>;
  expectedReturn: number;
  volatility: number;
  sharpe: number;
  riskFreeRate: number;
  riskContributions: Record<string, number>;
  asOf: string;
  from: string;
  to: string;
  observations: number;
  excluded: { symbol: string; observations: number }[];
  projected: boolean;
  universe?: {
    symbols: string[];
    sectors: Record<string, string | null>;
    correlation: number[][];
    assets: (RiskReturn & { symbol: string })[];
    frontier: (RiskReturn & { sharpe: number })[];
  };
}

// The orders route answers lib/portfolio/orders.ts's plan as is: one type for both sides (type-only, nothing bundled).
import type { PricedPlan } from "@/lib/portfolio/orders";
export type { OrderLine } from "@/lib/analytics/portfolio/lots";
export type OrdersAnswer = PricedPlan;

export interface SavedSummary {
  id: string;
  name: string;
  method: Method;
  createdAt: string;
  symbols: number;
  workflowId: string | null;
  metrics: { expectedReturn: number; volatility: number; sharpe: number; riskContributions: Record<string, number>; asOf: string; observations: number };
}

export interface SavedAllocation extends SavedSummary {
  params: OptimizeRequest & { riskFreeRate: number };
  rows: { id: string; symbol: string; pct: number }[];
}

export class PortfolioApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  } catch {
    throw new PortfolioApiError("QuantFlow cannot be reached: check the connection and try again.", 0);
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
  if (!res.ok) throw new PortfolioApiError(body.error ?? `The request failed (HTTP ${res.status}).`, res.status, body.code);
  return body as T;
}

const post = <T,>(path: string, body: unknown) => call<T>(path, { method: "POST", body: JSON.stringify(body) });

export const optimize = (req: OptimizeRequest) => post<OptimizeAnswer>("/api/portfolio/optimize", { ...req, details: true });
export const sizeOrders = (weights: Record<string, number>, capitalVnd: string) => post<OrdersAnswer>("/api/portfolio/orders", { weights, capitalVnd });
export const saveAllocation = (req: OptimizeRequest & { name?: string }) => post<SavedAllocation>("/api/portfolio/allocations", req);
export const listSaved = () => call<{ allocations: SavedSummary[] }>("/api/portfolio/allocations").then((b) => b.allocations);
export const openSaved = (id: string) => call<SavedAllocation>(`/api/portfolio/allocations/${encodeURIComponent(id)}`);
export const deleteSaved = (id: string) => call<void>(`/api/portfolio/allocations/${encodeURIComponent(id)}`, { method: "DELETE" });
export const searchSymbols = (q: string) =>
  call<{ symbols: { symbol: string; name: string; kind: string; exchange: string | null; sector: string | null }[] }>(`/api/symbols?q=${encodeURIComponent(q)}&limit=12`).then((b) => b.symbols.filter((s) => s.kind === "stock"));

export interface CurveMetrics {
  cagr: number;
  volatility: number;
  maxDrawdown: number;
  turnover: number;
  finalValue: string;
  costs: string;
}

export interface BacktestAnswer {
  dates: string[];
  curves: { strategy: number[]; equalWeight: number[]; benchmark: number[] | null };
  metrics: { strategy: CurveMetrics; equalWeight: CurveMetrics; benchmark: CurveMetrics | null };
  rebalances: { date: string; weights: Record<string, number>; costs: string }[];
  skipped: { date: string; reason: string }[];
  asOf: string;
}

export const runBacktest = (req: OptimizeRequest, years: number) => post<BacktestAnswer>("/api/portfolio/backtest", { ...req, years });
