/**
 * Sanity bounds every bar must meet before it is stored (issue 9: a 1e303 price was once accepted and
 * reached every chart). Checked inside the write transaction, against what is stored, so that a
 * batch with one bar outside bounds stores nothing (lib/market/ingest.ts, corrections.ts).
 *
 * 1. The plausible range, for every symbol (prices are finite and positive already, candle-validation.ts):
 *    - a stock, in VND: at most 10,000,000 VND a share (the dearest Vietnamese shares trade in the
 *      hundreds of thousands; a thousand-VND file read as VND stays far below, and a VND file read as
 *      "thousand VND" or 1e303 far above);
 *    - an index, in points: at most 100,000 (VNINDEX has never passed 2,000);
 *    - a commodity series, in its own unit (USD/t): at most 1,000,000;
 *    - a symbol not in market_symbols (a derivative of the live feed, a test's series): the widest, 10,000,000;
 *    - a volume: a whole number of shares, at most 10,000,000,000 a bar (a whole exchange trades about
 *      a billion shares a day).
 * 2. For a stock with an exchange, the day's price limits (rules.ts: HOSE ±7 %, HNX ±10 %, UPCOM ±15 %)
 *    around the reference (reference.ts: the previous session's close; on UPCOM its VWAP): every bar's
 *    high must be at most the ceiling and its low at least the floor. The previous session is the
 *    latest Vietnamese day before the bar's own that holds a bar, stored or earlier in the same batch
 *    (the batch's bars win over the stored ones they replace); minute bars are judged against the
 *    previous trading day's reference, like the daily bar of their day.
 *    - Tolerance: LIMIT_TOLERANCE_TICKS ticks beyond the ceiling and the floor. The reference is rounded
 *      to the tick (a half tick of error, times 1 ± the limit), back-adjusted history is off the tick
 *      grid, and vendors round the ATC print; two ticks absorb all of it and are still far below a
 *      limit's width (on HOSE, at least 14 ticks either side).
 *    - UPCOM when the previous session has only a daily bar: its VWAP lies somewhere between that
 *      day's low and high, so the ceiling is taken from the high and the floor from the low.
 *    - No previous session within MAX_REFERENCE_GAP_DAYS (a new listing, or history with a gap that
 *      QuantFlow cannot tell from a long suspension): the reference is unknown and only the plausible
 *      range applies.
 *    - A reviewed override (market_bar_overrides: symbol and Vietnamese trade date, the reason, the
 *      admin) lifts the limit check, never the plausible range, for that symbol's bars of that day:
 *      ex-rights days, splits and relistings move the reference in ways DNSE's data does not carry.
 * Indices and commodity series have no daily limits.
 */
import Decimal from "decimal.js";
import { z } from "zod";
import { toVnDate, toVnIso } from "../time";
import { CandleValidationError, SYMBOL_PATTERN, type BarKind, type CandleIssue } from "./candle-validation";
import { parseVnDate } from "./calendar";
import type { Queryable } from "./queryable";
import { dayReference, vwapFromSums, type MinuteVwap, type PreviousSession } from "./reference";
import { PRICE_LIMIT, priceLimits, roundToTick, tickSize, type Exchange } from "./rules";
import type { CandleRow, SymbolKind } from "./types";

/** The highest plausible price per kind of symbol, in its stored unit; "unknown": not in market_symbols. */
export const MAX_PRICE: Record<SymbolKind | "unknown", number> = {
  stock: 10_000_000,
  index: 100_000,
  commodity: 1_000_000,
  unknown: 10_000_000,
};
const UNIT: Record<SymbolKind | "unknown", string> = { stock: "VND", index: "points", commodity: "", unknown: "" };
/** The most shares one bar can plausibly hold. */
export const MAX_VOLUME = 10_000_000_000;
/** Ticks a bar may go beyond the day's ceiling or floor (rounding of the reference, adjusted history, ATC). */
export const LIMIT_TOLERANCE_TICKS = 2;
/** A previous session further back than this (calendar days) is not trusted as the reference: Tết closes about nine. */
export const MAX_REFERENCE_GAP_DAYS = 14;

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
const SHOWN = 100;
const PRICES = ["open", "high", "low", "close"] as const;

/** A batch with bars outside bounds: nothing was stored. `refused` holds every refused row's index. */
export class BarBoundsError extends CandleValidationError {
  constructor(
    issues: CandleIssue[],
    readonly refused: number[],
    batchSize: number,
  ) {
    super(issues, refused.length, batchSize);
    this.message = this.message.replace(" candles refused;", " candles outside sanity bounds;");
    this.name = "BarBoundsError";
  }
}

/** Grouped digits for readable prices; exponent form for absurd ones (1e+303), so a message stays short. */
const fmt = (n: number) => (Math.abs(n) >= 1e15 ? String(n) : new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 }).format(n));
const vnDayNumber = (t: number) => Math.floor((t + VN_OFFSET_MS) / DAY_MS);
const dayText = (dayNumber: number) => toVnDate(new Date(dayNumber * DAY_MS - VN_OFFSET_MS));
const dayStart = (dayNumber: number) => new Date(dayNumber * DAY_MS - VN_OFFSET_MS);

interface SymbolRow {
  symbol: string;
  kind: SymbolKind;
  exchange: Exchange | null;
}

/** One Vietnamese day of one symbol: what the reference of the next day is computed from. */
interface Session {
  /** The day's close: its end-of-day bar's, else its last minute's. */
  close: number;
  /** When that close was printed (an end-of-day bar counts as the end of its day). */
  at: number;
  minutes: MinuteVwap | null;
  daily: { high: number; low: number; close: number; volume: number } | null;
}

/** The batch's bars of one symbol and day, and the day's session as the batch gives it. */
interface BatchDay {
  rows: number[];
  lastAt: number;
  lastClose: number;
  pv: Decimal;
  v: Decimal;
  daily: Session["daily"];
}

function rowLabel(row: CandleRow, index: number): string {
  return `rows[${index}] (${row.symbol} ${toVnIso(row.time)})`;
}

/** The plausible range: prices and volume of each row against its kind's bounds. */
function rangeIssues(rows: readonly CandleRow[], kinds: Map<string, SymbolRow>): { issues: CandleIssue[]; refused: number[] } {
  const issues: CandleIssue[] = [];
  const refused: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const kind = kinds.get(row.symbol)?.kind ?? "unknown";
    const max = MAX_PRICE[kind];
    const reasons: string[] = [];
    for (const key of PRICES) {
      const value = row[key];
      if (!(Number.isFinite(value) && value > 0 && value <= max)) {
        const what = kind === "unknown" ? "any series" : `a${kind === "index" ? "n" : ""} ${kind}`;
        reasons.push(`${key} ${fmt(value)} is outside the plausible range (0, ${fmt(max)}${UNIT[kind] ? ` ${UNIT[kind]}` : ""}] for ${what}`);
      }
    }
    if (!(Number.isInteger(row.volume) && row.volume >= 0 && row.volume <= MAX_VOLUME)) {
      reasons.push(`volume ${fmt(row.volume)} is outside the plausible range [0, ${fmt(MAX_VOLUME)}] shares`);
    }
    if (reasons.length > 0) {
      refused.push(i);
      if (issues.length < SHOWN) issues.push({ index: i, message: `${rowLabel(row, i)}: ${reasons.join("; ")}` });
    }
  }
  return { issues, refused };
}

/** The batch's stocks grouped by symbol and Vietnamese day. */
function batchDays(rows: readonly CandleRow[], kinds: Map<string, SymbolRow>, kind: BarKind): Map<string, Map<number, BatchDay>> {
  const bySymbol = new Map<string, Map<number, BatchDay>>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const info = kinds.get(row.symbol);
    if (info?.kind !== "stock" || !info.exchange) continue;
    let days = bySymbol.get(row.symbol);
    if (!days) bySymbol.set(row.symbol, (days = new Map()));
    const t = row.time.getTime();
    const d = vnDayNumber(t);
    let day = days.get(d);
    if (!day) days.set(d, (day = { rows: [], lastAt: -Infinity, lastClose: 0, pv: new Decimal(0), v: new Decimal(0), daily: null }));
    day.rows.push(i);
    // A batch's later duplicate of a key wins (ingest keeps the last), hence >=.
    const at = kind === "daily" ? t + DAY_MS - 60_000 : t;
    if (at >= day.lastAt) {
      day.lastAt = at;
      day.lastClose = row.close;
    }
    if (kind === "daily") day.daily = { high: row.high, low: row.low, close: row.close, volume: row.volume };
    else if (info.exchange === "UPCOM" && row.volume > 0) {
      day.pv = day.pv.plus(new Decimal(row.high).plus(row.low).plus(row.close).times(row.volume));
      day.v = day.v.plus(row.volume);
    }
  }
  return bySymbol;
}

/** Stored sessions of `symbols` from MAX_REFERENCE_GAP_DAYS before their first batch day up to their last. */
async function storedSessions(
  db: Queryable,
  ranges: { symbol: string; from: Date; to: Date }[],
): Promise<Map<string, Map<number, Session>>> {
  const params = [ranges.map((r) => r.symbol), ranges.map((r) => r.from), ranges.map((r) => r.to)];
  const { rows: minuteRows } = await db.query(
    `WITH p AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS p(symbol, lo, hi))
     SELECT c.symbol, date_bin('1 day', c.time, '2000-01-02 17:00+00') AS d,
            (array_agg(c.close ORDER BY c.time DESC))[1] AS close, max(c.time) AS at,
            sum((c.high::numeric + c.low::numeric + c.close::numeric) * c.volume)::text AS pv, sum(c.volume)::text AS v
       FROM p JOIN market_candles c ON c.symbol = p.symbol AND c.time >= p.lo AND c.time < p.hi
      GROUP BY 1, 2`,
    params,
  );
  const { rows: eodRows } = await db.query(
    `WITH p AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS p(symbol, lo, hi))
     SELECT e.symbol, e.time AS d, e.high, e.low, e.close, e.volume::text AS volume
       FROM p JOIN market_candles_eod e ON e.symbol = p.symbol AND e.time >= p.lo AND e.time < p.hi`,
    params,
  );
  const out = new Map<string, Map<number, Session>>();
  const session = (symbol: string, d: Date) => {
    let days = out.get(symbol);
    if (!days) out.set(symbol, (days = new Map()));
    const key = vnDayNumber(d.getTime());
    let s = days.get(key);
    if (!s) days.set(key, (s = { close: 0, at: -Infinity, minutes: null, daily: null }));
    return s;
  };
  for (const r of minuteRows as { symbol: string; d: Date; close: number; at: Date; pv: string | null; v: string | null }[]) {
    const s = session(r.symbol, r.d);
    s.minutes = r.pv !== null && r.v !== null ? vwapFromSums(r.pv, r.v) : null;
    if (r.at.getTime() > s.at) {
      s.at = r.at.getTime();
      s.close = r.close;
    }
  }
  for (const r of eodRows as { symbol: string; d: Date; high: number; low: number; close: number; volume: string }[]) {
    const s = session(r.symbol, r.d);
    s.daily = { high: r.high, low: r.low, close: r.close, volume: Number(r.volume) };
    s.at = r.d.getTime() + DAY_MS - 60_000;
    s.close = r.close;
  }
  return out;
}

/** The previous session of a day: the batch's version of a day wins over the stored one it replaces. */
function mergedSession(batch: BatchDay | undefined, stored: Session | undefined, kind: BarKind): Session | undefined {
  if (!batch) return stored;
  const batchSession: Session = {
    close: batch.lastClose,
    at: batch.lastAt,
    minutes: kind === "minute" ? vwapFromSums(batch.pv, batch.v) : (stored?.minutes ?? null),
    daily: kind === "daily" ? batch.daily : (stored?.daily ?? null),
  };
  if (!stored) return batchSession;
  // A daily batch's bar closes the day; a minute batch replaces minutes but not a later stored one or the official bar.
  if (kind === "minute" && stored.at > batch.lastAt) return { ...batchSession, close: stored.close, at: stored.at };
  return batchSession;
}

interface DayLimits {
  ceiling: number;
  floor: number;
  explain: string;
}

function limitsFor(exchange: Exchange, previousDay: number, previous: Session): DayLimits | null {
  const pct = `${exchange} ±${new Decimal(PRICE_LIMIT[exchange]).times(100).toString()} %`;
  const on = dayText(previousDay);
  const asPrevious: PreviousSession = { close: previous.close, minutes: previous.minutes, daily: previous.daily };
  const { reference, basis } = dayReference(exchange, asPrevious);
  // A reference that rounds to nothing (a price below one tick: a unit mistake the unit check names) has no limits.
  if (!(reference > 0) || (previous.daily && !(roundToTick(exchange, previous.daily.low) > 0))) return null;
  if (basis === "previous-vwap-approx" && previous.daily) {
    // Only the daily bar is known: its VWAP is somewhere in [low, high].
    const high = priceLimits(exchange, roundToTick(exchange, previous.daily.high)).ceiling;
    const low = priceLimits(exchange, roundToTick(exchange, previous.daily.low)).floor;
    return withTolerance(exchange, high, low, `${pct} of the reference, the VWAP of ${on} somewhere in its range ${fmt(previous.daily.low)}–${fmt(previous.daily.high)}`);
  }
  const { ceiling, floor } = priceLimits(exchange, reference);
  const what = basis === "previous-close" ? `the close of ${on}` : `the VWAP of ${on}`;
  return withTolerance(exchange, ceiling, floor, `${pct} of the reference ${fmt(reference)}, ${what}`);
}

function withTolerance(exchange: Exchange, ceiling: number, floor: number, explain: string): DayLimits {
  return {
    ceiling: new Decimal(tickSize(exchange, ceiling)).times(LIMIT_TOLERANCE_TICKS).plus(ceiling).toNumber(),
    floor: Math.max(0, new Decimal(floor).minus(new Decimal(tickSize(exchange, floor)).times(LIMIT_TOLERANCE_TICKS)).toNumber()),
    explain: `${explain}; ceiling ${fmt(ceiling)}, floor ${fmt(floor)}, ${LIMIT_TOLERANCE_TICKS} ticks of tolerance`,
  };
}

/**
 * Checks a batch (already valid per candle-validation.ts) against the bounds above, reading the symbols,
 * the overrides and the previous sessions from `db` (the write transaction's connection). Throws
 * BarBoundsError naming the bars outside bounds, with the value and the bound; returns when all pass.
 */
export async function checkBarBounds(db: Queryable, rows: readonly CandleRow[], kind: BarKind): Promise<void> {
  if (rows.length === 0) return;
  const symbols = [...new Set(rows.map((r) => r.symbol))];
  const { rows: infoRows } = await db.query("SELECT symbol, kind, exchange FROM market_symbols WHERE symbol = ANY($1::text[])", [symbols]);
  const kinds = new Map((infoRows as unknown as SymbolRow[]).map((r) => [r.symbol, r]));

  const range = rangeIssues(rows, kinds);
  if (range.refused.length > 0) throw new BarBoundsError(range.issues, range.refused, rows.length);

  const days = batchDays(rows, kinds, kind);
  if (days.size === 0) return;
  const ranges = [...days].map(([symbol, byDay]) => {
    const numbers = [...byDay.keys()];
    return { symbol, from: dayStart(Math.min(...numbers) - MAX_REFERENCE_GAP_DAYS), to: dayStart(Math.max(...numbers)) };
  });
  const stored = await storedSessions(db, ranges);
  const { rows: overrideRows } = await db.query(
    `SELECT o.symbol, to_char(o.trade_date, 'YYYY-MM-DD') AS day
       FROM market_bar_overrides o JOIN unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS p(symbol, lo, hi)
         ON o.symbol = p.symbol AND o.trade_date BETWEEN (p.lo AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AND (p.hi AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`,
    [ranges.map((r) => r.symbol), ranges.map((r) => r.from), ranges.map((r) => new Date(r.to.getTime() + DAY_MS))],
  );
  const overrides = new Set((overrideRows as { symbol: string; day: string }[]).map((r) => `${r.symbol}|${r.day}`));

  const issues: CandleIssue[] = [];
  const refused: number[] = [];
  for (const [symbol, byDay] of days) {
    const exchange = kinds.get(symbol)!.exchange!;
    const storedDays = stored.get(symbol) ?? new Map<number, Session>();
    const all = [...new Set([...byDay.keys(), ...storedDays.keys()])].sort((a, b) => a - b);
    for (let k = 1; k < all.length; k++) {
      const d = all[k]!;
      const mine = byDay.get(d);
      if (!mine) continue;
      const p = all[k - 1]!;
      if (d - p > MAX_REFERENCE_GAP_DAYS) continue;
      const day = dayText(d);
      if (overrides.has(`${symbol}|${day}`)) continue;
      const previous = mergedSession(byDay.get(p), storedDays.get(p), kind);
      if (!previous || !(previous.close > 0)) continue;
      const limits = limitsFor(exchange, p, previous);
      if (!limits) continue;
      for (const i of mine.rows) {
        const row = rows[i]!;
        const reasons: string[] = [];
        if (row.high > limits.ceiling) reasons.push(`high ${fmt(row.high)} is above the ceiling of ${day}`);
        if (row.low < limits.floor) reasons.push(`low ${fmt(row.low)} is below the floor of ${day}`);
        if (reasons.length === 0) continue;
        refused.push(i);
        if (issues.length < SHOWN) {
          issues.push({
            index: i,
            message:
              `${rowLabel(row, i)}: ${reasons.join("; ")} (${limits.explain}); ` +
              `if a corporate action explains it, an admin can add a reviewed override for ${symbol} on ${day}`,
          });
        }
      }
    }
  }
  if (refused.length > 0) {
    throw new BarBoundsError(
      issues.sort((a, b) => a.index - b.index),
      refused.sort((a, b) => a - b),
      rows.length,
    );
  }
}

// ---------------------------------------------------------------- reviewed overrides

export const barOverrideSchema = z.object({
  symbol: z
    .string({ error: "symbol is required" })
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(SYMBOL_PATTERN, "symbol must be 1-20 of A-Z, 0-9, '.', '_', '-'")),
  tradeDate: z.string({ error: "tradeDate is required (YYYY-MM-DD, the trading day in Vietnam)" }).transform((v, ctx) => {
    try {
      return parseVnDate(v.trim());
    } catch {
      ctx.addIssue({ code: "custom", message: `tradeDate ${JSON.stringify(v)} is not a date: give YYYY-MM-DD (the trading day in Vietnam)` });
      return z.NEVER;
    }
  }),
  reason: z
    .string({ error: "reason is required: what corporate action explains the day" })
    .trim()
    .min(3, "reason must say what corporate action explains the day (3 to 500 characters)")
    .max(500, "reason must be at most 500 characters")
    .refine((s) => !s.includes("\u0000"), "reason must not contain a NUL byte"),
});
export type BarOverrideInput = z.input<typeof barOverrideSchema>;

export interface BarOverride {
  symbol: string;
  tradeDate: string;
  reason: string;
  reviewedBy: string | null;
  createdAt: Date;
}

export class BarOverrideError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BarOverrideError";
  }
}

/**
 * Records an admin's reviewed override (the caller checks the role); a second one for the same
 * symbol and day replaces the reason and the reviewer. Throws BarOverrideError for bad input or a
 * symbol that is not a stock (only stocks have daily limits).
 */
export async function addBarOverride(db: Queryable, input: BarOverrideInput | unknown, reviewedBy: string | null): Promise<BarOverride> {
  const parsed = barOverrideSchema.safeParse(input);
  if (!parsed.success) throw new BarOverrideError(parsed.error.issues.map((i) => i.message).join("; "));
  const { symbol, tradeDate, reason } = parsed.data;
  const { rows: info } = await db.query("SELECT kind FROM market_symbols WHERE symbol = $1", [symbol]);
  if (!info[0]) throw new BarOverrideError(`Unknown symbol ${symbol}: it is not in QuantFlow's symbol list.`);
  if (info[0].kind !== "stock") throw new BarOverrideError(`${symbol} is not a stock: only stocks have daily price limits to override.`);
  const { rows } = await db.query(
    `INSERT INTO market_bar_overrides (symbol, trade_date, reason, reviewed_by) VALUES ($1, $2::date, $3, $4)
     ON CONFLICT (symbol, trade_date) DO UPDATE SET reason = EXCLUDED.reason, reviewed_by = EXCLUDED.reviewed_by, created_at = now()
     RETURNING symbol, to_char(trade_date, 'YYYY-MM-DD') AS trade_date, reason, reviewed_by, created_at`,
    [symbol, tradeDate, reason, reviewedBy],
  );
  const r = rows[0] as { symbol: string; trade_date: string; reason: string; reviewed_by: string | null; created_at: Date };
  return { symbol: r.symbol, tradeDate: r.trade_date, reason: r.reason, reviewedBy: r.reviewed_by, createdAt: r.created_at };
}

/** The overrides of a symbol (or all), newest trade date first. */
export async function listBarOverrides(db: Queryable, symbol?: string): Promise<BarOverride[]> {
  const { rows } = await db.query(
    `SELECT symbol, to_char(trade_date, 'YYYY-MM-DD') AS trade_date, reason, reviewed_by, created_at
       FROM market_bar_overrides WHERE $1::text IS NULL OR symbol = $1 ORDER BY trade_date DESC, symbol LIMIT 500`,
    [symbol ?? null],
  );
  return (rows as { symbol: string; trade_date: string; reason: string; reviewed_by: string | null; created_at: Date }[]).map((r) => ({
    symbol: r.symbol,
    tradeDate: r.trade_date,
    reason: r.reason,
    reviewedBy: r.reviewed_by,
    createdAt: r.created_at,
  }));
}
