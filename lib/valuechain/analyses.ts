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
  if (parsed.length === 0) return [];
  // Set-based: three statements however many edges (a whole chain in one round trip each, not three per edge).
  const ids = [...new Set(parsed.map((p) => p.edgeId))];
  const records = parsed.map(({ edgeId, result: a }, i) => ({
    ord: i,
    edge_id: edgeId,
    window_years: a.windowYears,
    as_of: a.asOf,
    max_lag: a.maxLag,
    n: a.n,
    lead_time_days: a.leadTimeDays,
    correlation: a.correlation,
    significant: a.significant,
    band: a.band,
    plain_band: a.plainBand,
    weight: a.weight,
    lags: a.lags,
    params: a.params,
  }));
  try {
    return await db.transaction(async (tx) => {
      // Lock the edges (in id order, so two whole-chain stores cannot deadlock) and check they all exist.
      const { rows: found } = await tx.execute(sql`SELECT id FROM value_chain_edges WHERE id = ANY(${sql.param(ids)}::uuid[]) ORDER BY id FOR UPDATE`);
      const present = new Set(found.map((r) => r.id as string));
      const missing = parsed.find((p) => !present.has(p.edgeId));
      if (missing) throw new ValueChainError("not_found", `There is no edge with id ${missing.edgeId}.`);
      const { rows } = await tx.execute(sql`INSERT INTO value_chain_analyses
            (edge_id, computed_at, computed_by, window_years, as_of, max_lag, n, lead_time_days, correlation, significant,
             band, plain_band, weight, lags, params)
          SELECT r.edge_id, ${opts.computedAt ?? sql`now()`}::timestamptz, ${opts.userId ?? null}::uuid, r.window_years, r.as_of, r.max_lag, r.n,
                 r.lead_time_days, r.correlation, r.significant, r.band, r.plain_band, r.weight, r.lags, r.params
            FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(ord int, edge_id uuid, window_years int, as_of date, max_lag int,
                 n int, lead_time_days int, correlation double precision, significant boolean, band double precision,
                 plain_band double precision, weight double precision, lags jsonb, params jsonb)
           ORDER BY r.ord
          RETURNING id, edge_id, computed_at, computed_by, window_years, as_of::text, max_lag, n, lead_time_days, correlation,
                    significant, band, plain_band, weight, lags, params`);
      // The last result given for an edge is the one it keeps, as storing them one by one would leave it.
      await tx.execute(sql`UPDATE value_chain_edges e
            SET correlation_coeff = r.correlation, lead_time_days = r.lead_time_days, weight = r.weight
           FROM (SELECT DISTINCT ON (edge_id) edge_id, correlation, lead_time_days, weight
                   FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
                        AS x(ord int, edge_id uuid, correlation double precision, lead_time_days int, weight double precision)
                  ORDER BY edge_id, ord DESC) AS r
          WHERE e.id = r.edge_id`);
      // Identity ids follow the insert's order, which is the order given.
      return rows.map((r) => analysisOf(r)).sort((a, b) => a.id - b.id);
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
