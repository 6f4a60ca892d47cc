/**
 * The lead-lag analysis of edges as stored: every recomputation is kept (value_chain_analyses), and the
 * newest one's lead, correlation and weight are written onto the edge (the seed's correlation_coeff,
 * lead_time_days, weight), both in one transaction. The computing itself is lib/analytics (pure).
 */
import { sql } from "drizzle-orm";
import type { Database } from "@/db/database";
import type { LeadLagResult } from "@/lib/analytics/leadlag";
import { translateDatabaseError, ValueChainError } from "./errors";
import { analysisOf, isUuid, type EdgeAnalysis } from "./read";
import { analysisResultSchema, describeIssues, type AnalysisResult } from "./schemas";

/**
 * A result of lib/analytics/leadlag.ts as the store takes it: the corrected band is `band`, the plain one
 * `plainBand`; the window's days and the z values go to `params` (shown with the analysis, not queried).
 */
export function analysisFromLeadLag(r: LeadLagResult): AnalysisResult {
  return {
    windowYears: r.windowYears,
    asOf: r.asOf,
    maxLag: r.maxLag,
    n: r.n,
    leadTimeDays: r.leadTimeDays,
    correlation: r.correlation,
    significant: r.significant,
    band: r.band.corrected,
    plainBand: r.band.plain,
    weight: r.weight,
    lags: r.lags.map((l) => ({ k: l.k, rho: l.rho, n: l.n })),
    params: { from: r.from, firstDay: r.firstDay, lastDay: r.lastDay, days: r.days, z: r.band.z, plainZ: r.band.plainZ, significantPlain: r.significantPlain },
  };
}

export interface StoreAnalysisOptions {
  /** Who asked for the recomputation; null (the default) for the nightly job. */
  userId?: string | null;
  /** When it was computed (default: the transaction's now()). */
  computedAt?: Date;
}

/**
 * Stores analyses of several edges at once (a whole-chain recomputation): all of them or, when any
 * result is invalid or any edge is gone, none (the edges keep their values). Answers the stored rows
 * in the order given.
 */
export async function storeAnalyses(
  db: Database,
  items: readonly { edgeId: string; result: AnalysisResult }[],
  opts: StoreAnalysisOptions = {},
): Promise<EdgeAnalysis[]> {
  const parsed = items.map(({ edgeId, result }, i) => {
    if (!isUuid(edgeId)) throw new ValueChainError("not_found", `There is no edge with id ${edgeId}.`);
    const r = analysisResultSchema.safeParse(result);
    if (!r.success) throw new ValueChainError("invalid", `${items.length > 1 ? `result ${i + 1}: ` : ""}${describeIssues(r.error)}`);
    return { edgeId, result: r.data };
  });
  try {
    return await db.transaction(async (tx) => {
      const stored: EdgeAnalysis[] = [];
      for (const { edgeId, result: a } of parsed) {
        const edge = await tx.execute(sql`SELECT 1 FROM value_chain_edges WHERE id = ${edgeId} FOR UPDATE`);
        if (edge.rows.length === 0) throw new ValueChainError("not_found", `There is no edge with id ${edgeId}.`);
        const { rows } = await tx.execute(sql`INSERT INTO value_chain_analyses
            (edge_id, computed_at, computed_by, window_years, as_of, max_lag, n, lead_time_days, correlation, significant,
             band, plain_band, weight, lags, params)
          VALUES (${edgeId}, ${opts.computedAt ?? sql`now()`}, ${opts.userId ?? null}, ${a.windowYears}, ${a.asOf}::date, ${a.maxLag},
                  ${a.n}, ${a.leadTimeDays}, ${a.correlation}, ${a.significant}, ${a.band}, ${a.plainBand}, ${a.weight},
                  ${JSON.stringify(a.lags)}::jsonb, ${JSON.stringify(a.params)}::jsonb)
          RETURNING id, edge_id, computed_at, computed_by, window_years, as_of::text, max_lag, n, lead_time_days, correlation,
                    significant, band, plain_band, weight, lags, params`);
        await tx.execute(sql`UPDATE value_chain_edges
            SET correlation_coeff = ${a.correlation}, lead_time_days = ${a.leadTimeDays}, weight = ${a.weight}
          WHERE id = ${edgeId}`);
        stored.push(analysisOf(rows[0]!));
      }
      return stored;
    });
  } catch (error) {
    throw translateDatabaseError(error) ?? error;
  }
}

/** Stores one edge's analysis: the history row and the edge's lead, correlation and weight, together. */
export async function storeAnalysis(db: Database, edgeId: string, result: AnalysisResult, opts: StoreAnalysisOptions = {}): Promise<EdgeAnalysis> {
  const [stored] = await storeAnalyses(db, [{ edgeId, result }], opts);
  return stored!;
}

/** An edge's analyses, newest first (the history the edge's panel charts); [] for an unknown edge. */
export async function listAnalyses(db: Database, edgeId: string, opts: { limit?: number } = {}): Promise<EdgeAnalysis[]> {
  if (!isUuid(edgeId)) return [];
  const limit = Math.max(1, Math.min(1000, Math.trunc(opts.limit ?? 200)));
  const { rows } = await db.execute(sql`SELECT id, edge_id, computed_at, computed_by, window_years, as_of::text, max_lag, n,
      lead_time_days, correlation, significant, band, plain_band, weight, lags, params
      FROM value_chain_analyses WHERE edge_id = ${edgeId}
     ORDER BY computed_at DESC, id DESC LIMIT ${limit}`);
  return rows.map((r) => analysisOf(r));
}
