/**
 * Reading the shared value chain: its nodes (with the day's move of the listed ones, from the market
 * data) and its edges (with their latest lead-lag analysis). Any signed-in user may read it; times are
 * UTC instants here, turned into Vietnam time by the route or page that shows them.
 */
import Decimal from "decimal.js";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/database";
import type { NodeType, LagCorrelation } from "./schemas";

/** The latest daily close of a listed node and its move from the session before. */
export interface NodeMarket {
  close: number;
  previousClose: number | null;
  /** % change from the previous session's close, 2 decimals; null without a previous close. */
  changePct: number | null;
  /** The instant of the bar the close comes from (a 1-minute bar, or 00:00 GMT+7 of an end-of-day bar). */
  asOf: Date;
}

export interface ChainNode {
  id: string;
  symbol: string | null;
  name: string;
  sector: string;
  nodeType: NodeType;
  description: string | null;
  createdAt: Date | null;
  /** Null when the node has no symbol or the symbol has no bars. */
  market: NodeMarket | null;
}

export interface EdgeAnalysis {
  id: number;
  edgeId: string;
  computedAt: Date;
  /** Null for the nightly job, or once the account is deleted. */
  computedBy: string | null;
  windowYears: number;
  /** YYYY-MM-DD: the last trading day of the window. */
  asOf: string;
  maxLag: number;
  n: number;
  leadTimeDays: number;
  correlation: number;
  significant: boolean;
  /** Half-width of the band corrected for the 2K + 1 lags tested. */
  band: number;
  /** Half-width of the plain 95 % band, 1.96/√n. */
  plainBand: number;
  weight: number;
  lags: LagCorrelation[];
  params: Record<string, unknown>;
}

export interface ChainEdge {
  id: string;
  sourceId: string;
  targetId: string;
  relationship: string | null;
  correlationCoeff: number | null;
  leadTimeDays: number | null;
  weight: number | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  /** The newest stored analysis, or null when the edge was never analysed. */
  latestAnalysis: EdgeAnalysis | null;
}

export interface Chain {
  nodes: ChainNode[];
  edges: ChainEdge[];
}

type Row = Record<string, unknown>;
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));

function nodeOf(r: Row, market: NodeMarket | null = null): ChainNode {
  return {
    id: r.id as string,
    symbol: (r.symbol as string | null) ?? null,
    name: r.name as string,
    sector: r.sector as string,
    nodeType: r.node_type as NodeType,
    description: (r.description as string | null) ?? null,
    createdAt: date(r.created_at),
    market,
  };
}

/** An analysis row (columns prefixed `a_` when joined to its edge). */
export function analysisOf(r: Row, prefix = ""): EdgeAnalysis {
  const f = (name: string) => r[prefix + name];
  return {
    id: Number(f("id")),
    edgeId: f("edge_id") as string,
    computedAt: new Date(f("computed_at") as string | Date),
    computedBy: (f("computed_by") as string | null) ?? null,
    windowYears: Number(f("window_years")),
    asOf: typeof f("as_of") === "string" ? (f("as_of") as string) : (f("as_of") as Date).toISOString().slice(0, 10),
    maxLag: Number(f("max_lag")),
    n: Number(f("n")),
    leadTimeDays: Number(f("lead_time_days")),
    correlation: Number(f("correlation")),
    significant: f("significant") as boolean,
    band: Number(f("band")),
    plainBand: Number(f("plain_band")),
    weight: Number(f("weight")),
    lags: f("lags") as LagCorrelation[],
    params: (f("params") as Record<string, unknown>) ?? {},
  };
}

function edgeOf(r: Row): ChainEdge {
  return {
    id: r.id as string,
    sourceId: r.source_id as string,
    targetId: r.target_id as string,
    relationship: (r.relationship as string | null) ?? null,
    correlationCoeff: r.correlation_coeff === null ? null : Number(r.correlation_coeff),
    leadTimeDays: r.lead_time_days === null ? null : Number(r.lead_time_days),
    weight: r.weight === null ? null : Number(r.weight),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    latestAnalysis: r.a_id === null || r.a_id === undefined ? null : analysisOf(r, "a_"),
  };
}

const NODE_COLUMNS = sql`n.id, n.symbol, n.name, n.sector, n.node_type, n.description, n.created_at`;
const ANALYSIS_COLUMNS = sql`a.id AS a_id, a.edge_id AS a_edge_id, a.computed_at AS a_computed_at, a.computed_by AS a_computed_by,
  a.window_years AS a_window_years, a.as_of::text AS a_as_of, a.max_lag AS a_max_lag, a.n AS a_n,
  a.lead_time_days AS a_lead_time_days, a.correlation AS a_correlation, a.significant AS a_significant,
  a.band AS a_band, a.plain_band AS a_plain_band, a.weight AS a_weight, a.lags AS a_lags, a.params AS a_params`;

/**
 * The latest close and the day's change of each symbol that has bars. Two lookups per symbol through
 * market_candles_last_close_before (the candle API's own): the last close, then the last close before
 * that bar's trading day (00:00 GMT+7, date_bin's origin 17:00 UTC).
 */
export async function dayChanges(db: Database, symbols: readonly string[], now: Date = new Date()): Promise<Map<string, NodeMarket>> {
  const out = new Map<string, NodeMarket>();
  if (symbols.length === 0) return out;
  // Bars are never stamped more than a day ahead (candle-validation.ts): "before now + 2 days" is "the latest".
  const horizon = new Date(now.getTime() + 2 * 86_400_000);
  const { rows } = await db.execute<{ symbol: string; close: number; at: Date; previous: number | null }>(sql`
    SELECT s.symbol, l.close, l.at, p.close AS previous
      FROM unnest(${sql.param([...symbols])}::text[]) AS s(symbol)
      CROSS JOIN LATERAL market_candles_last_close_before(s.symbol, ${horizon}) AS l
      LEFT JOIN LATERAL market_candles_last_close_before(s.symbol, date_bin('1 day', l.at, '2000-01-02 17:00+00')) AS p ON true`);
  for (const r of rows) {
    const close = Number(r.close);
    const previous = r.previous === null ? null : Number(r.previous);
    const changePct =
      previous !== null && previous > 0
        ? new Decimal(close).minus(previous).div(previous).times(100).toDecimalPlaces(2).toNumber()
        : null;
    out.set(r.symbol, { close, previousClose: previous, changePct, asOf: new Date(r.at) });
  }
  return out;
}

/** The whole chain: nodes by lane then name, edges by creation; each edge with its latest analysis. */
export async function readChain(db: Database, opts: { now?: Date } = {}): Promise<Chain> {
  const [nodeRows, edgeRows] = await Promise.all([
    db.execute(sql`SELECT ${NODE_COLUMNS} FROM value_chain_nodes n
      ORDER BY array_position(ARRAY['Upstream', 'Midstream', 'Downstream']::varchar[], n.node_type), n.name, n.id`),
    db.execute(sql`SELECT e.*, ${ANALYSIS_COLUMNS} FROM value_chain_edges e
      LEFT JOIN LATERAL (SELECT * FROM value_chain_analyses x WHERE x.edge_id = e.id
                          ORDER BY x.computed_at DESC, x.id DESC LIMIT 1) AS a ON true
      ORDER BY e.created_at, e.id`),
  ]);
  const symbols = nodeRows.rows.map((r) => r.symbol as string | null).filter((s): s is string => !!s);
  const markets = await dayChanges(db, symbols, opts.now);
  return {
    nodes: nodeRows.rows.map((r) => nodeOf(r, r.symbol ? (markets.get(r.symbol as string) ?? null) : null)),
    edges: edgeRows.rows.map(edgeOf),
  };
}

/** One node (without its market move), or undefined. */
export async function getNode(db: Database, id: string): Promise<ChainNode | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.execute(sql`SELECT ${NODE_COLUMNS} FROM value_chain_nodes n WHERE n.id = ${id}`);
  return rows[0] ? nodeOf(rows[0]) : undefined;
}

/** One edge with its latest analysis, or undefined. */
export async function getEdge(db: Database, id: string): Promise<ChainEdge | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.execute(sql`SELECT e.*, ${ANALYSIS_COLUMNS} FROM value_chain_edges e
    LEFT JOIN LATERAL (SELECT * FROM value_chain_analyses x WHERE x.edge_id = e.id
                        ORDER BY x.computed_at DESC, x.id DESC LIMIT 1) AS a ON true
    WHERE e.id = ${id}`);
  return rows[0] ? edgeOf(rows[0]) : undefined;
}

/** Ids are UUIDs: anything else names nothing (and must not reach a uuid cast as an error). */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

export { nodeOf as nodeFromRow, edgeOf as edgeFromRow };
