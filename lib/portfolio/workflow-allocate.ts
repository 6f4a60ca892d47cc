/**
 * The workflow engine's ctx.allocate: the Allocate node's request checked like the API's, generated from
 * the market data, and saved for the workflow's owner (linked to the workflow) when asked. A refused
 * request (PortfolioInputError) fails the node with the optimiser's message and saves nothing.
 */
import type { Database } from "@/db/database";
import type { Queryable } from "@/lib/market/queryable";
import type { AllocateRequest, AllocateResult } from "@/lib/workflows/types";
import { allocationRequestSchema, generateAllocation } from "./generate";
import { saveAllocation } from "./saved";
import { portfolioSettings } from "./settings";

export async function allocateForWorkflow(db: Database, q: Queryable, owner: { userId: string; workflowId: string }, request: AllocateRequest): Promise<AllocateResult> {
  const parsed = allocationRequestSchema.safeParse({ ...request, save: undefined, name: undefined });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const generated = await generateAllocation(q, parsed.data, { defaultRiskFreeRate: portfolioSettings().riskFreeRate });
  const saved = request.save ? await saveAllocation(db, owner.userId, generated, { name: request.name, workflowId: owner.workflowId }) : null;
  const a = generated.allocation;
  return {
    weights: a.weights,
    riskContributions: a.riskContributions,
    expectedReturn: a.expectedReturn,
    volatility: a.volatility,
    sharpe: a.sharpe,
    riskFreeRate: a.riskFreeRate,
    asOf: generated.asOf,
    excluded: a.excluded.map((e) => e.symbol),
    savedId: saved?.id ?? null,
  };
}
