/**
 * The reference price a trading day's ceiling and floor are taken from, per exchange:
 * - HOSE and HNX: the previous session's close;
 * - UPCOM: the previous session's volume-weighted average price (VWAP) of its matched trades.
 *
 * QuantFlow has no trade ticks, so the UPCOM VWAP is computed from that session's 1-minute bars as
 * Σ(typical · volume) / Σ volume, with each bar's typical price (high + low + close) / 3: a minute's
 * trades lie between its low and high, and the close alone (the minute's last trade) biases the
 * average towards where each minute ended. When the session has no minute bars, or they hold fewer
 * shares than its official daily bar (a partial day), the daily bar's typical price stands in, and
 * the basis says it is an approximation.
 *
 * DNSE's chart data carries no reference price (lib/market/dnse-chart.ts: t, o, h, l, c, v only), so
 * the exchange's adjustment on ex-rights days is not known here: every reference is computed, and
 * the chart says so.
 */
import Decimal from "decimal.js";
import type { Queryable } from "./queryable";
import { roundToTick, type Exchange } from "./rules";

/**
 * How the reference was obtained: the previous close; the previous session's VWAP from its minute
 * bars; or its approximation from the daily bar's typical price.
 */
export const REFERENCE_BASES = ["previous-close", "previous-vwap", "previous-vwap-approx"] as const;
export type ReferenceBasis = (typeof REFERENCE_BASES)[number];

interface PriceBar {
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A session's VWAP from its minute bars, and the shares they hold. */
export interface MinuteVwap {
  vwap: Decimal;
  volume: number;
}

/** The previous session as the database holds it. */
export interface PreviousSession {
  /** Its last close (rules: the HOSE and HNX reference). */
  close: number;
  /** Its minute bars' VWAP, when it has minute bars with volume. */
  minutes: MinuteVwap | null;
  /** Its official end-of-day bar, when stored. */
  daily: PriceBar | null;
}

const typicalTimesThree = (b: PriceBar) => new Decimal(b.high).plus(b.low).plus(b.close);

/** The VWAP from Σ((high + low + close) · volume) and Σ volume, as exact decimals; null without volume. */
export function vwapFromSums(typicalTimesThreeVolume: Decimal.Value, volume: Decimal.Value): MinuteVwap | null {
  const v = new Decimal(volume);
  if (!v.gt(0)) return null;
  return { vwap: new Decimal(typicalTimesThreeVolume).div(v.times(3)), volume: v.toNumber() };
}

/** The VWAP of `bars` by typical price; null when they hold no volume. */
export function sessionVwap(bars: readonly PriceBar[]): MinuteVwap | null {
  let pv = new Decimal(0);
  let v = new Decimal(0);
  for (const b of bars) {
    pv = pv.plus(typicalTimesThree(b).times(b.volume));
    v = v.plus(b.volume);
  }
  return vwapFromSums(pv, v);
}

/** The day's reference on the tick grid (nearest tick, halves up) and how it was obtained. */
export function dayReference(exchange: Exchange, previous: PreviousSession): { reference: number; basis: ReferenceBasis } {
  const close = { reference: roundToTick(exchange, previous.close), basis: "previous-close" as const };
  if (exchange !== "UPCOM") return close;
  const { minutes, daily } = previous;
  if (minutes && (!daily || minutes.volume >= daily.volume)) {
    return { reference: roundToTick(exchange, minutes.vwap.toNumber()), basis: "previous-vwap" };
  }
  if (daily && daily.volume > 0) {
    return { reference: roundToTick(exchange, typicalTimesThree(daily).div(3).toNumber()), basis: "previous-vwap-approx" };
  }
  // Nothing traded: no average to take; the last close is all there is.
  return close;
}

/**
 * The session before `dayStart` (00:00 in Vietnam of the day the limits are for): its last close, its
 * minute bars' Σ((high + low + close) · volume) and Σ volume (numeric, exact) and its end-of-day bar: what
 * an UPCOM reference (an average) needs. Undefined when the symbol has no bar before `dayStart`. The sums
 * are a second query whose day bounds are parameters: the planner then reads only that day's weekly
 * partition (bounds taken from the first query inside one statement planned every partition, which cost
 * a chart five times the rest of its limits).
 */
export async function previousSession(db: Queryable, symbol: string, dayStart: Date): Promise<PreviousSession | undefined> {
  const { rows: last } = await db.query("SELECT close, date_bin('1 day', at, '2000-01-02 17:00+00') AS d FROM market_candles_last_close_before($1, $2)", [symbol, dayStart]);
  const prev = last[0] as { close: number; d: Date } | undefined;
  if (!prev) return undefined;
  const { rows } = await db.query(
    `SELECT m.pv::text AS pv, m.v::text AS v, e.high AS e_high, e.low AS e_low, e.close AS e_close, e.volume::text AS e_volume
       FROM (SELECT sum((c.high::numeric + c.low::numeric + c.close::numeric) * c.volume) AS pv, sum(c.volume) AS v
               FROM market_candles c
              WHERE c.symbol = $1 AND c.time >= $2 AND c.time < $3) AS m
       LEFT JOIN market_candles_eod e ON e.symbol = $1 AND e.time = $2`,
    [symbol, prev.d, new Date(prev.d.getTime() + 86_400_000)],
  );
  const r = rows[0] as { pv: string | null; v: string | null; e_high: number | null; e_low: number | null; e_close: number | null; e_volume: string | null };
  return previousSessionOf({ close: prev.close, pv: r.pv, v: r.v, eHigh: r.e_high, eLow: r.e_low, eClose: r.e_close, eVolume: r.e_volume });
}

/** A previous session as SQL reads it: its last close, its minutes' sums (numeric text) and its end-of-day bar's fields. */
export interface PreviousSessionParts {
  close: number;
  pv: string | null;
  v: string | null;
  eHigh: number | null;
  eLow: number | null;
  eClose: number | null;
  eVolume: string | null;
}

export function previousSessionOf(p: PreviousSessionParts): PreviousSession {
  return {
    close: p.close,
    minutes: p.pv !== null && p.v !== null ? vwapFromSums(p.pv, p.v) : null,
    daily: p.eClose !== null && p.eHigh !== null && p.eLow !== null ? { high: p.eHigh, low: p.eLow, close: p.eClose, volume: Number(p.eVolume ?? 0) } : null,
  };
}
