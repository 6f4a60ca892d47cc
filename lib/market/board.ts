/**
 * The price board of the charts index (issue 13, item 4): per stock and index its latest session's
 * last price, the change and % change against that day's reference, the volume and the traded value,
 * and the board colour of the price (lib/market/board-tone.ts).
 *
 * - The reference is the one the chart's limits use (reference.ts: the previous close, UPCOM's previous
 *   VWAP), on the tick grid; stocks get the day's ceiling and floor (rules.ts); an index's reference is
 *   its previous close and it has no limits.
 * - Volume and value count the session's 1-minute bars, or its end-of-day bar when it has none, as the
 *   market snapshot's liquidity does (snapshot.ts); value = Σ close × volume, exact in decimal.js.
 * - Each symbol's own latest session: a symbol that did not trade today shows its last day (`date`).
 *
 * The whole board is one query, cached like the snapshot (Redis when configured, else in process) for
 * BOARD_TTL_SECONDS, so every viewer's poll in that window costs one cache read.
 */
import Decimal from "decimal.js";
import { z } from "zod";
import type { Cache } from "../cache";
import { cachedJson } from "../cached-json";
import { toVnDate, toVnIso } from "../time";
import { boardTone, type BoardTone } from "./board-tone";
import type { Queryable } from "./queryable";
import { dayReference, previousSessionOf, type PreviousSession, type ReferenceBasis } from "./reference";
import { priceLimits, type Exchange } from "./rules";

export const BOARD_KEY = "market:board";
/** As short as the browser's poll, so a new bar shows within one or two polls (the query is one round trip). */
export const BOARD_TTL_SECONDS = 15;

const toneSchema = z.enum(["ceiling", "floor", "up", "down", "ref"]);
const rowSchema = z.object({
  symbol: z.string(),
  name: z.string(),
  kind: z.enum(["stock", "index"]),
  exchange: z.enum(["HOSE", "HNX", "UPCOM"]).nullable(),
  sector: z.string().nullable(),
  /** The Vietnamese trading day of the row's figures, YYYY-MM-DD. */
  date: z.string(),
  last: z.number(),
  reference: z.number().nullable(),
  basis: z.enum(["previous-close", "previous-vwap", "previous-vwap-approx"]).nullable(),
  ceiling: z.number().nullable(),
  floor: z.number().nullable(),
  change: z.number().nullable(),
  changePct: z.number().nullable(),
  volume: z.number(),
  /** VND traded (stocks only; an index's "value" would be points × shares). */
  value: z.number().nullable(),
  /** null when there is no earlier session to compare with. */
  tone: toneSchema.nullable(),
});
export type BoardRow = z.infer<typeof rowSchema>;

const boardSchema = z.object({
  /** The latest bar on the board, ISO 8601 in Vietnam time. */
  asOf: z.string().nullable(),
  rows: z.array(rowSchema),
});
export type Board = z.infer<typeof boardSchema>;

/** One symbol's latest session as the database holds it (the input of boardRow). */
export interface BoardQuote {
  symbol: string;
  name: string;
  kind: "stock" | "index";
  exchange: Exchange | null;
  sector: string | null;
  /** The latest bar's instant. */
  at: Date;
  /** The session's day, 00:00 in Vietnam. */
  day: Date;
  last: number;
  volume: number;
  /** Σ close × volume, as exact text or a Decimal. */
  value: Decimal.Value;
  previous: PreviousSession | null;
}

/** The session's reference (and limits, for a stock) from the previous session, or nulls without one. */
function referenceOf(q: BoardQuote): { reference: number; basis: ReferenceBasis | null; ceiling: number | null; floor: number | null } | null {
  if (!q.previous) return null;
  if (q.kind === "stock" && q.exchange) {
    if (!(q.previous.close > 0)) return null; // a bad stored bar: no reference rather than a made-up one
    const { reference, basis } = dayReference(q.exchange, q.previous);
    const limits = priceLimits(q.exchange, reference);
    return { reference, basis, ceiling: limits.ceiling, floor: limits.floor };
  }
  // An index: points, no tick grid, no limits; its reference is the previous close.
  return { reference: q.previous.close, basis: "previous-close", ceiling: null, floor: null };
}

/** A board row: change and % change against the reference (decimal.js), the tone, value in whole VND. */
export function boardRow(q: BoardQuote): BoardRow {
  const ref = referenceOf(q);
  let change: number | null = null;
  let changePct: number | null = null;
  let tone: BoardTone | null = null;
  if (ref && ref.reference > 0) {
    const diff = new Decimal(q.last).minus(ref.reference);
    change = diff.toDecimalPlaces(2).toNumber();
    changePct = diff.div(ref.reference).times(100).toDecimalPlaces(2).toNumber();
    tone = boardTone(q.last, {
      reference: ref.reference,
      ceiling: ref.ceiling ?? Number.POSITIVE_INFINITY,
      floor: ref.floor ?? Number.NEGATIVE_INFINITY,
    });
  }
  return {
    symbol: q.symbol,
    name: q.name,
    kind: q.kind,
    exchange: q.exchange,
    sector: q.sector,
    date: toVnDate(q.day),
    last: q.last,
    reference: ref?.reference ?? null,
    basis: ref?.basis ?? null,
    ceiling: ref?.ceiling ?? null,
    floor: ref?.floor ?? null,
    change,
    changePct,
    volume: q.volume,
    value: q.kind === "stock" ? new Decimal(q.value).toDecimalPlaces(0).toNumber() : null,
    tone,
  };
}

// Sorting lives in board-sort.ts (no imports), so the page's bundle takes it without the server's modules.
export { arrangeBoard, BOARD_SORT_KEYS, sortBoardRows, type BoardSort, type BoardSortKey } from "./board-sort";

// ---------------------------------------------------------------- reading

interface QuoteRow {
  symbol: string;
  name: string;
  kind: "stock" | "index";
  exchange: Exchange | null;
  sector: string | null;
  at: Date;
  d: Date;
  close: number;
  volume: string | null;
  value: string | null;
  p_close: number | null;
  p_pv: string | null;
  p_v: string | null;
  pe_high: number | null;
  pe_low: number | null;
  pe_close: number | null;
  pe_volume: string | null;
}

/**
 * Every stock's and index's latest session and the one before, in one round trip. The functions of
 * drizzle/0003_candle_reads find the last bar (minute or end-of-day) in the latest month's partitions
 * first; the previous session's minute sums are read for UPCOM stocks only (their reference is a VWAP).
 */
export async function readBoardQuotes(db: Queryable, now: Date = new Date()): Promise<BoardQuote[]> {
  // Bars are never stamped more than a day ahead (candle-validation.ts), so this is "the latest".
  const horizon = new Date(now.getTime() + 2 * 86_400_000);
  const { rows } = await db.query(
    `WITH last AS (
       SELECT s.symbol, s.name, s.kind, s.exchange, s.sector, l.close, l.at,
              date_bin('1 day', l.at, '2000-01-02 17:00+00') AS d
         FROM market_symbols s CROSS JOIN LATERAL market_candles_last_close_before(s.symbol, $1) AS l
        WHERE s.kind IN ('stock', 'index')),
     prev AS (
       SELECT last.*, p.close AS p_close, date_bin('1 day', p.at, '2000-01-02 17:00+00') AS pd
         FROM last LEFT JOIN LATERAL market_candles_last_close_before(last.symbol, last.d) AS p ON true)
     SELECT prev.symbol, prev.name, prev.kind, prev.exchange, prev.sector, prev.at, prev.d, prev.close,
            COALESCE(m.v, e.volume)::text AS volume, COALESCE(m.value, e.close::numeric * e.volume)::text AS value,
            prev.p_close, pm.pv::text AS p_pv, pm.v::text AS p_v,
            pe.high AS pe_high, pe.low AS pe_low, pe.close AS pe_close, pe.volume::text AS pe_volume
       FROM prev
       CROSS JOIN LATERAL (
         SELECT sum(c.volume) AS v, sum(c.close::numeric * c.volume) AS value FROM market_candles c
          WHERE c.symbol = prev.symbol AND c.time >= prev.d AND c.time < prev.d + interval '1 day') AS m
       LEFT JOIN LATERAL (
         SELECT x.close, x.volume FROM market_candles_eod x WHERE x.symbol = prev.symbol AND x.time = prev.d LIMIT 1) AS e ON true
       LEFT JOIN LATERAL (
         SELECT sum((c.high::numeric + c.low::numeric + c.close::numeric) * c.volume) AS pv, sum(c.volume) AS v
           FROM market_candles c
          WHERE prev.kind = 'stock' AND prev.exchange = 'UPCOM'
            AND c.symbol = prev.symbol AND c.time >= prev.pd AND c.time < prev.pd + interval '1 day') AS pm ON true
       LEFT JOIN LATERAL (
         SELECT x.high, x.low, x.close, x.volume FROM market_candles_eod x WHERE x.symbol = prev.symbol AND x.time = prev.pd LIMIT 1) AS pe ON true
      ORDER BY prev.symbol`,
    [horizon],
  );
  return (rows as unknown as QuoteRow[]).map((r) => ({
    symbol: r.symbol,
    name: r.name,
    kind: r.kind,
    exchange: r.exchange,
    sector: r.sector,
    at: r.at,
    day: r.d,
    last: r.close,
    volume: Number(r.volume ?? 0),
    value: r.value ?? 0,
    previous:
      r.p_close === null
        ? null
        : previousSessionOf({ close: r.p_close, pv: r.p_pv, v: r.p_v, eHigh: r.pe_high, eLow: r.pe_low, eClose: r.pe_close, eVolume: r.pe_volume }),
  }));
}

/** The board computed from the database now. */
export async function computeBoard(db: Queryable, now: Date = new Date()): Promise<Board> {
  const quotes = await readBoardQuotes(db, now);
  const latest = quotes.reduce<Date | null>((m, q) => (m && m >= q.at ? m : q.at), null);
  return { asOf: latest ? toVnIso(latest) : null, rows: quotes.map(boardRow) };
}

/** The board from the cache when it holds a fresh one, else computed and cached for BOARD_TTL_SECONDS. */
export async function getBoard(db: Queryable, cache: Cache): Promise<Board & { source: "redis" | "memory" | "database" }> {
  const { value, source } = await cachedJson(cache, BOARD_KEY, BOARD_TTL_SECONDS, boardSchema, () => computeBoard(db));
  return { ...value, source };
}
