/**
 * Saved allocations of one user: a portfolio_allocation_sets row (method, parameters, metrics) and the
 * seed's portfolio_allocations rows it groups (one per symbol, allocation_pct 0–100 adding up to exactly
 * 100, percentagesSummingTo100), written in one transaction. Every query takes the user id: another
 * user's set is simply not found.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/database";
import { portfolioAllocations, portfolioAllocationSetRows, portfolioAllocationSets } from "@/db/schema";
import { percentagesSummingTo100 } from "@/lib/analytics/portfolio/percentages";
import type { GeneratedAllocation } from "./generate";

export interface SavedAllocationSummary {
  id: string;
  name: string;
  method: string;
  createdAt: Date;
  symbols: number;
  workflowId: string | null;
  metrics: SavedMetrics;
}

export interface SavedMetrics {
  expectedReturn: number;
  volatility: number;
  sharpe: number;
  riskContributions: Record<string, number>;
  asOf: string;
  from: string;
  to: string;
  observations: number;
  excluded: { symbol: string; observations: number }[];
}

export interface SavedAllocation extends SavedAllocationSummary {
  params: Record<string, unknown>;
  /** Largest first, as saved; pct is the stored allocation_pct (2 decimals). */
  rows: { allocationId: string; symbol: string; pct: number }[];
}

export const METHOD_LABELS: Record<string, string> = {
  equal_weight: "Equal weight",
  inverse_volatility: "Inverse volatility",
  min_volatility: "Minimum volatility",
  max_sharpe: "Maximum Sharpe",
  efficient_return: "Efficient return",
  efficient_risk: "Efficient risk",
  risk_parity: "Risk parity",
  hrp: "Hierarchical risk parity",
};

export async function saveAllocation(db: Database, userId: string, generated: GeneratedAllocation, options: { name?: string; workflowId?: string | null } = {}): Promise<SavedAllocation> {
  const { allocation, request, asOf } = generated;
  const ordered = allocation.symbols.map((symbol) => ({ symbol, w: allocation.weights[symbol] as number })).sort((a, b) => b.w - a.w || a.symbol.localeCompare(b.symbol));
  const pcts = percentagesSummingTo100(ordered.map((o) => o.w));
  const metrics: SavedMetrics = {
    expectedReturn: allocation.expectedReturn,
    volatility: allocation.volatility,
    sharpe: allocation.sharpe,
    riskContributions: allocation.riskContributions,
    asOf,
    from: allocation.from,
    to: allocation.to,
    observations: allocation.observations,
    excluded: allocation.excluded,
  };
  const name = options.name?.trim() || `${METHOD_LABELS[allocation.method] ?? allocation.method} · ${ordered.length} symbols`;
  const id = await db.transaction(async (tx) => {
    const [set] = await tx
      .insert(portfolioAllocationSets)
      .values({ userId, name, method: allocation.method, params: { ...request }, metrics: { ...metrics }, workflowId: options.workflowId ?? null })
      .returning({ id: portfolioAllocationSets.id });
    const rows = await tx
      .insert(portfolioAllocations)
      .values(ordered.map((o, i) => ({ userId, symbol: o.symbol, allocationPct: Number(pcts[i]) })))
      .returning({ id: portfolioAllocations.id });
    await tx.insert(portfolioAllocationSetRows).values(rows.map((r, position) => ({ setId: set!.id, allocationId: r.id, position })));
    return set!.id;
  });
  return (await getSavedAllocation(db, userId, id)) as SavedAllocation;
}

const summaryColumns = {
  id: portfolioAllocationSets.id,
  name: portfolioAllocationSets.name,
  method: portfolioAllocationSets.method,
  createdAt: portfolioAllocationSets.createdAt,
  workflowId: portfolioAllocationSets.workflowId,
  metrics: portfolioAllocationSets.metrics,
  symbols: sql<number>`(SELECT count(*)::int FROM ${portfolioAllocationSetRows} r WHERE r.set_id = ${portfolioAllocationSets.id})`,
};

/** The user's saved allocations, newest first. */
export async function listSavedAllocations(db: Database, userId: string): Promise<SavedAllocationSummary[]> {
  const rows = await db.select(summaryColumns).from(portfolioAllocationSets).where(eq(portfolioAllocationSets.userId, userId)).orderBy(desc(portfolioAllocationSets.createdAt), desc(portfolioAllocationSets.id));
  return rows.map((r) => ({ ...r, symbols: Number(r.symbols), metrics: r.metrics as unknown as SavedMetrics }));
}

export async function getSavedAllocation(db: Database, userId: string, id: string): Promise<SavedAllocation | null> {
  const [set] = await db
    .select({ ...summaryColumns, params: portfolioAllocationSets.params })
    .from(portfolioAllocationSets)
    .where(and(eq(portfolioAllocationSets.id, id), eq(portfolioAllocationSets.userId, userId)));
  if (!set) return null;
  const rows = await db
    .select({ allocationId: portfolioAllocations.id, symbol: portfolioAllocations.symbol, pct: portfolioAllocations.allocationPct })
    .from(portfolioAllocationSetRows)
    .innerJoin(portfolioAllocations, eq(portfolioAllocations.id, portfolioAllocationSetRows.allocationId))
    .where(and(eq(portfolioAllocationSetRows.setId, id), eq(portfolioAllocations.userId, userId)))
    .orderBy(portfolioAllocationSetRows.position);
  return { ...set, symbols: Number(set.symbols), metrics: set.metrics as unknown as SavedMetrics, rows };
}

/** Deletes the set and its allocation rows; false when the user has no such set. */
export async function deleteSavedAllocation(db: Database, userId: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [set] = await tx
      .select({ id: portfolioAllocationSets.id })
      .from(portfolioAllocationSets)
      .where(and(eq(portfolioAllocationSets.id, id), eq(portfolioAllocationSets.userId, userId)))
      .for("update");
    if (!set) return false;
    const members = await tx.select({ id: portfolioAllocationSetRows.allocationId }).from(portfolioAllocationSetRows).where(eq(portfolioAllocationSetRows.setId, id));
    if (members.length > 0) {
      await tx.delete(portfolioAllocations).where(and(inArray(portfolioAllocations.id, members.map((m) => m.id)), eq(portfolioAllocations.userId, userId)));
    }
    await tx.delete(portfolioAllocationSets).where(eq(portfolioAllocationSets.id, id));
    return true;
  });
}
