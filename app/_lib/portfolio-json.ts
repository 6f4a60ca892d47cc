/**
 * What the portfolio routes share: the JSON body read and checked with zod (400 naming the field), the
 * optimiser's and the lot sizing's errors as 400 answers with their code, and saved allocations as JSON
 * (times in +07:00).
 */
import type { z } from "zod";
import { LotSizingError, PortfolioInputError } from "@/lib/analytics/portfolio/errors";
import type { GeneratedAllocation } from "@/lib/portfolio/generate";
import type { SavedAllocation, SavedAllocationSummary } from "@/lib/portfolio/saved";
import { toVnIso } from "@/lib/time";
import { json } from "./route";

/** zod's issues as one sentence, each prefixed with its field unless the message names it already. */
export function issuesMessage(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.map(String).join(".");
      return path && !i.message.startsWith(String(i.path[0])) ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}

export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S, what: string): Promise<{ data: z.output<S> } | { response: Response }> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { response: json({ error: `Send ${what} as a JSON object.` }, 400) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { response: json({ error: issuesMessage(parsed.error), code: "invalid_request" }, 400) };
  return { data: parsed.data };
}

/** The optimiser's and the lot sizing's refusals as 400 { error, code }; anything else goes on. */
export function portfolioErrorResponse(error: unknown): Response {
  if (error instanceof PortfolioInputError || error instanceof LotSizingError) {
    return json({ error: `${error.message[0]?.toUpperCase()}${error.message.slice(1)}.`.replace(/\.\.$/, "."), code: error.code }, 400);
  }
  throw error;
}

/** An optimisation's answer: weights and metrics, asOf (the last trading date used, a Vietnamese date). */
export function allocationJson(g: GeneratedAllocation) {
  const a = g.allocation;
  return {
    method: a.method,
    weights: a.weights,
    expectedReturn: a.expectedReturn,
    volatility: a.volatility,
    sharpe: a.sharpe,
    riskFreeRate: a.riskFreeRate,
    riskContributions: a.riskContributions,
    asOf: g.asOf,
    from: a.from,
    to: a.to,
    observations: a.observations,
    excluded: a.excluded,
    projected: a.projected,
    ...(g.details ? { universe: g.details } : {}),
  };
}

export function savedSummaryJson(s: SavedAllocationSummary) {
  return { ...s, createdAt: toVnIso(s.createdAt) };
}

export function savedAllocationJson(s: SavedAllocation) {
  return { ...savedSummaryJson(s), params: s.params, rows: s.rows.map((r) => ({ id: r.allocationId, symbol: r.symbol, pct: r.pct })) };
}
