/**
 * Recomputing the lead-lag analysis of the chain's edges from the stored market data and keeping it:
 * one edge (the edge panel's "Recompute", POST /api/value-chain/edges/{id}/analysis) or every edge
 * (the chain's "Recompute all", POST /api/value-chain/analysis, and the nightly job, jobs.ts).
 *
 * - A node's series is its symbol's daily closes as the candle API's 1D shows them (market_candles_1d:
 *   the official end-of-day bar where one is stored, else the day aggregated from 1-minute bars), on
 *   Vietnamese trading dates. Commodities (iron ore, coking coal, crude oil) have end-of-day bars only:
 *   the same view covers them.
 * - Each symbol is read once, all of them in one set-based query over the window (however many edges
 *   share a symbol), then lib/analytics/leadlag.ts analyses every edge (analyseLeadLagBatch).
 *   (bench: `npm run bench:leadlag` with DATABASE_URL set.)
 * - Every successful result is stored in one transaction (analyses.ts storeAnalyses: a history row and
 *   the edge's correlation_coeff, lead_time_days and weight); a failure of the store stores nothing.
 *   An edge that cannot be analysed (an end without a symbol or without bars, too few common days, a
 *   constant series, K or the window larger than the data) keeps its stored values and says why.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/database";
import {
  analyseLeadLagBatch,
  DEFAULT_MAX_LAG,
  windowStart,
  type DailyClose,
  type LeadLagErrorCode,
  type LeadLagResult,
  type WindowYears,
} from "@/lib/analytics/leadlag";
import { addDays, lastClosedTradingDay, vnDateOf, vnMidnightUtc, type VnDate } from "@/lib/market/calendar";
import { analysisFromLeadLag, storeAnalyses } from "./analyses";
import { ValueChainError } from "./errors";
import { isUuid, type EdgeAnalysis } from "./read";
import { ANALYSIS_WINDOWS, describeIssues, MAX_LAG_DAYS } from "./schemas";

/**
 * 3 years unless asked otherwise: the demo holds 5 years of daily bars, so a 3-year window fits with two
 * years to spare for an earlier asOf (a 5-year window fits only as of the very last day), and it holds
 * ~740 returns, plenty for K = 20 (the planted leads clear the corrected band there, lib/demo/leads.ts).
 */
export const DEFAULT_WINDOW_YEARS: WindowYears = 3;

/** The body of both recompute routes (every field optional) and the options of the functions below. */
export const recomputeRequestSchema = z.strictObject(
  {
    windowYears: z.literal(ANALYSIS_WINDOWS, { error: "windowYears must be 1, 3 or 5" }).default(DEFAULT_WINDOW_YEARS),
    maxLag: z
      .int({ error: "maxLag must be a whole number of trading days" })
      .min(1, "maxLag must be at least 1")
      .max(MAX_LAG_DAYS, `maxLag must be at most ${MAX_LAG_DAYS} trading days`)
      .default(DEFAULT_MAX_LAG),
    asOf: z.iso.date({ error: "asOf must be a date written YYYY-MM-DD" }).optional(),
  },
  {
    error: (i) =>
      i.code === "unrecognized_keys" ? `unknown field(s): ${(i.keys ?? []).join(", ")}; send windowYears, maxLag and asOf` : "send the options as a JSON object",
  },
);
export type RecomputeRequest = z.input<typeof recomputeRequestSchema>;

export interface RecomputeOptions {
  /** Who asked (stored as computed_by); null for the nightly job. */
  userId?: string | null;
  /** The clock: "today" and the default asOf follow it. */
  now?: Date;
}

/** The window actually analysed: asOf given, or the latest trading day the data has. */
export interface RecomputeWindow {
  windowYears: WindowYears;
  maxLag: number;
  asOf: VnDate;
  from: VnDate;
}

export type EdgeRecomputeOutcome =
  | { edgeId: string; ok: true; result: LeadLagResult; analysis: EdgeAnalysis }
  | { edgeId: string; ok: false; code: LeadLagErrorCode | "no-symbol"; error: string };

export interface ChainRecompute {
  window: RecomputeWindow;
  edges: EdgeRecomputeOutcome[];
  /** How long the read, the analysis and the store took, in ms (the bench prints them). */
  timings: { readMs: number; computeMs: number; storeMs: number };
}

interface EdgeEnds {
  id: string;
  source: string | null;
  target: string | null;
  sourceName: string;
  targetName: string;
}

function parseRequest(request: unknown, now: Date) {
  const parsed = recomputeRequestSchema.safeParse(request ?? {});
  if (!parsed.success) throw new ValueChainError("invalid", describeIssues(parsed.error));
  const today = vnDateOf(now);
  if (parsed.data.asOf !== undefined && parsed.data.asOf > today) {
    throw new ValueChainError("invalid", `asOf: ${parsed.data.asOf} is after today (${today} in Vietnam); the analysis needs prices up to asOf`);
  }
  return parsed.data;
}

async function edgeEnds(db: Database, edgeId?: string): Promise<EdgeEnds[]> {
  const { rows } = await db.execute(sql`SELECT e.id, s.symbol AS source, t.symbol AS target, s.name AS source_name, t.name AS target_name
      FROM value_chain_edges e
      JOIN value_chain_nodes s ON s.id = e.source_id
      JOIN value_chain_nodes t ON t.id = e.target_id
     ${edgeId === undefined ? sql`` : sql`WHERE e.id = ${edgeId}`}
     ORDER BY e.created_at, e.id`);
  return rows.map((r) => ({
    id: r.id as string,
    source: (r.source as string | null) ?? null,
    target: (r.target as string | null) ?? null,
    sourceName: r.source_name as string,
    targetName: r.target_name as string,
  }));
}

/**
 * The latest trading day on which any of the symbols has a daily bar, not after the last closed session
 * (a live feed's unfinished day is left out); undefined when none has a bar.
 */
async function latestDataDay(db: Database, symbols: readonly string[], now: Date): Promise<VnDate | undefined> {
  if (symbols.length === 0) return undefined;
  const before = vnMidnightUtc(addDays(lastClosedTradingDay(now), 1));
  const { rows } = await db.execute(sql`SELECT max(l.at) AS at
      FROM unnest(${sql.param([...symbols])}::text[]) AS s(symbol)
      CROSS JOIN LATERAL market_candles_last_close_before(s.symbol, ${before}) AS l`);
  const at = rows[0]?.at;
  return at === null || at === undefined ? undefined : vnDateOf(new Date(at as string | Date));
}

/**
 * The daily closes of every symbol over [from, to] (Vietnamese trading dates), in one query on the candle
 * API's 1D view (market_candles_1d: the official end-of-day bar where one is stored, else the day aggregated
 * from the 1-minute bars' hours). One row per symbol, its days and closes as two comma-joined lists: a
 * 5-year chain is ~40,000 closes, and 30 rows cross the wire and the driver's parser faster than 40,000
 * (PostgreSQL ≥ 12 writes a double in its shortest exact form, so Number() reads back the same value).
 * Symbols without a bar in the window are absent from the map.
 */
export async function readDailyCloses(db: Database, symbols: readonly string[], from: VnDate, to: VnDate): Promise<Map<string, DailyClose[]>> {
  const out = new Map<string, DailyClose[]>();
  if (symbols.length === 0) return out;
  const { rows } = await db.execute(sql`SELECT symbol,
         string_agg(to_char(bucket AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD'), ',' ORDER BY bucket) AS days,
         string_agg(close::text, ',' ORDER BY bucket) AS closes
      FROM market_candles_1d
     WHERE symbol = ANY(${sql.param([...new Set(symbols)])}::text[])
       AND bucket >= ${vnMidnightUtc(from)} AND bucket < ${vnMidnightUtc(addDays(to, 1))}
     GROUP BY symbol`);
  for (const r of rows) {
    const days = (r.days as string).split(",");
    const closes = (r.closes as string).split(",");
    out.set(
      r.symbol as string,
      days.map((date, i) => ({ date, close: Number(closes[i]) })),
    );
  }
  return out;
}

const endWithoutSymbol = (name: string): string => `${name} has no symbol, so no price series: give the node a listed symbol to analyse this link.`;
const symbolWithoutBars = (symbol: string, name: string, from: VnDate, asOf: VnDate): string =>
  `${symbol} (${name}) has no daily bars between ${from} and ${asOf}: import or backfill its history first.`;

/** Reads, analyses and stores the given edges; the failures keep their stored values. */
async function recompute(db: Database, edges: readonly EdgeEnds[], request: unknown, opts: RecomputeOptions): Promise<ChainRecompute> {
  const now = opts.now ?? new Date();
  const req = parseRequest(request, now);
  const symbols = [...new Set(edges.flatMap((e) => [e.source, e.target]).filter((s): s is string => s !== null))];
  const t0 = performance.now();
  const asOf = req.asOf ?? (await latestDataDay(db, symbols, now)) ?? lastClosedTradingDay(now);
  const window: RecomputeWindow = { windowYears: req.windowYears, maxLag: req.maxLag, asOf, from: windowStart(asOf, req.windowYears) };
  const series = await readDailyCloses(db, symbols, window.from, asOf);
  const t1 = performance.now();

  const failures = new Map<string, EdgeRecomputeOutcome>();
  const analysable: (EdgeEnds & { source: string; target: string })[] = [];
  for (const e of edges) {
    const missing =
      e.source === null
        ? { code: "no-symbol" as const, error: endWithoutSymbol(e.sourceName) }
        : e.target === null
          ? { code: "no-symbol" as const, error: endWithoutSymbol(e.targetName) }
          : !series.has(e.source)
            ? { code: "no-series" as const, error: symbolWithoutBars(e.source, e.sourceName, window.from, asOf) }
            : !series.has(e.target)
              ? { code: "no-series" as const, error: symbolWithoutBars(e.target, e.targetName, window.from, asOf) }
              : undefined;
    if (missing) failures.set(e.id, { edgeId: e.id, ok: false, ...missing });
    else analysable.push(e as EdgeEnds & { source: string; target: string });
  }
  const outcomes = analyseLeadLagBatch(series, analysable, { windowYears: window.windowYears, asOf, maxLag: window.maxLag });
  const t2 = performance.now();

  const succeeded = outcomes.filter((o) => o.ok);
  let stored: EdgeAnalysis[];
  try {
    stored = await storeAnalyses(
      db,
      succeeded.map((o) => ({ edgeId: o.edge.id, result: analysisFromLeadLag(o.result) })),
      { userId: opts.userId ?? null },
    );
  } catch (error) {
    // An edge removed between the read and the store: nothing was stored (one transaction).
    if (error instanceof ValueChainError && error.code === "not_found" && edges.length > 1) {
      throw new ValueChainError("invalid", "An edge was removed while the chain was being recomputed; nothing was stored. Try again.");
    }
    throw error;
  }
  const t3 = performance.now();
  const storedById = new Map(stored.map((a) => [a.edgeId, a]));
  for (const o of outcomes) {
    failures.set(
      o.edge.id,
      o.ok ? { edgeId: o.edge.id, ok: true, result: o.result, analysis: storedById.get(o.edge.id)! } : { edgeId: o.edge.id, ok: false, code: o.error.code, error: o.error.message },
    );
  }
  return {
    window,
    edges: edges.map((e) => failures.get(e.id)!),
    timings: { readMs: t1 - t0, computeMs: t2 - t1, storeMs: t3 - t2 },
  };
}

/**
 * Recomputes one edge and stores it. Throws ValueChainError: not_found for an unknown edge, invalid
 * (a 400 with the reason) for bad options or an edge that cannot be analysed; its stored values then stay.
 */
export async function recomputeEdge(
  db: Database,
  edgeId: string,
  request: unknown,
  opts: RecomputeOptions = {},
): Promise<{ window: RecomputeWindow; result: LeadLagResult; analysis: EdgeAnalysis }> {
  // Bad options are refused before the id is looked up, the same answer whichever edge is named.
  parseRequest(request, opts.now ?? new Date());
  const edges = isUuid(edgeId) ? await edgeEnds(db, edgeId) : [];
  if (edges.length === 0) throw new ValueChainError("not_found", `There is no edge with id ${edgeId}.`);
  const { window, edges: [outcome] } = await recompute(db, edges, request, opts);
  if (!outcome!.ok) throw new ValueChainError("invalid", outcome!.error);
  return { window, result: outcome!.result, analysis: outcome!.analysis };
}

/** Recomputes every edge of the chain; stores the successful ones together (all or none). */
export async function recomputeChain(db: Database, request: unknown, opts: RecomputeOptions = {}): Promise<ChainRecompute> {
  parseRequest(request, opts.now ?? new Date());
  return recompute(db, await edgeEnds(db), request, opts);
}
