/**
 * The demo data: a deterministic, generated Vietnamese market for `npm run db:seed` and for the first
 * start on an empty database.
 *
 * What it makes (lib/market/demo-universe.ts lists the symbols):
 * - daily bars for `historyYears` of trading days for every symbol, from a factor model of daily log
 *   returns: a market factor (with slowly changing volatility), one factor per sector, the stock's own
 *   noise, and the built-in lead-lag links of lib/demo/leads.ts (iron ore → steel makers by 3 trading
 *   days, coking coal → steel by 4, crude oil → energy by 2, steel → construction by 2);
 * - 1-minute bars for the last `intradayDays` trading days for every stock and index, bridging each
 *   day's open to its close along a shared intraday market path, on the exchange's sessions;
 * - (the demo analyst account is lib/demo/account.ts; writing it all, lib/demo/seed.ts).
 *
 * Every stock price is on its exchange's tick grid and within the day's limits around the previous
 * close; volumes are whole board lots; OHLC is consistent. Daily bars are written to
 * market_candles_eod only for days before the 1-minute window (and for commodities, which have no
 * 1-minute bars), so market_candles_1d shows for the window exactly the aggregation of the minutes.
 *
 * Same options (seed, now, symbols, sizes) → the same rows, bit for bit: one seeded PRNG stream per
 * purpose and per symbol, so a reduced universe yields the same series for the symbols it keeps.
 */
import { z } from "zod";
import {
  addDays,
  lastClosedTradingDay,
  sessionMinuteOffsets,
  SESSIONS,
  tradingDaysBetween,
  vnDateOf,
  vnMidnightUtc,
  vnTimeToUtc,
  type VnDate,
} from "@/lib/market/calendar";
import { DEMO_UNIVERSE, type DemoSector, type DemoSymbol } from "@/lib/market/demo-universe";
import { BOARD_LOT, PRICE_LIMIT, priceLimits, roundToTick, type Exchange } from "@/lib/market/rules";
import type { CandleRow } from "@/lib/market/types";
import { DEMO_FACTOR_LEADS } from "./leads";
import { Rng } from "./random";

export const DEFAULT_SEED = "quantflow-demo";

// ---------------------------------------------------------------- options

const universeSymbols = new Set(DEMO_UNIVERSE.map((s) => s.symbol));

export const demoOptionsSchema = z.object({
  /** PRNG seed; the same seed (and the same other options) gives the same rows. */
  seed: z.union([z.string().min(1), z.int()]).default(DEFAULT_SEED),
  /** "Today": the data ends on the last trading day whose session is over at this instant. */
  now: z
    .date()
    .refine((d) => !Number.isNaN(d.getTime()), "now must be a valid Date")
    .default(() => new Date()),
  /** A subset of the demo universe (default: all of it). */
  symbols: z
    .array(z.string())
    .min(1, "symbols must not be empty")
    .refine((a) => a.every((s) => universeSymbols.has(s)), {
      error: (i) =>
        `unknown symbols: ${(i.input as string[]).filter((s) => !universeSymbols.has(s)).join(", ")} (see lib/market/demo-universe.ts)`,
    })
    .refine((a) => new Set(a).size === a.length, "symbols must not repeat")
    .optional(),
  /** Trading days with 1-minute bars, ending on the last day. */
  intradayDays: z.int().min(1).max(250).default(60),
  /** Years of daily bars, ending on the last day (the 1-minute window included). */
  historyYears: z.int().min(1).max(10).default(5),
});
export type DemoOptions = z.input<typeof demoOptionsSchema>;
export type ParsedDemoOptions = z.output<typeof demoOptionsSchema>;

/** Validates demo options; throws a RangeError listing every problem in plain words. */
export function parseDemoOptions(options: DemoOptions): ParsedDemoOptions {
  const result = demoOptionsSchema.safeParse(options);
  if (!result.success) throw new RangeError(`Invalid demo data options:\n${z.prettifyError(result.error)}`);
  return result.data;
}

// ---------------------------------------------------------------- the factor model

/** Days generated before the first output day, so lagged factors exist from day 0 (longest chain: coal → steel → construction). */
const PREHISTORY = 8;

const MARKET_DRIFT = 0.0003;
const MARKET_VOL = 0.011;
/** Daily volatility of each commodity's log return. */
const COMMODITY_VOL: Record<DemoCommodityCode, number> = {
  IRON_ORE: 0.018,
  COKING_COAL: 0.02,
  CRUDE_OIL: 0.021,
};
type DemoCommodityCode = "IRON_ORE" | "COKING_COAL" | "CRUDE_OIL";
const SECTOR_VOL: Record<DemoSector, number> = {
  Steel: 0.007,
  Construction: 0.009,
  Banks: 0.006,
  "Real estate": 0.01,
  Retail: 0.008,
  Energy: 0.008,
};
/** Share of a day's return that happens overnight (the gap between close and next open). */
const OVERNIGHT_SHARE = 0.3;

interface Factors {
  /** Volatility regime multiplier per output day. */
  regime: Float64Array;
  market: Float64Array;
  /** Each commodity's daily log return. */
  commodity: Record<DemoCommodityCode, Float64Array>;
  /** The common daily return of each sector, lead-lag links included. */
  sector: Record<DemoSector, Float64Array>;
}

const isCommodityCode = (s: string): s is DemoCommodityCode => s in COMMODITY_VOL;

function generateFactors(seed: string, days: number): Factors {
  const rng = new Rng(`${seed}|factors`);
  const n = days + PREHISTORY;
  const regime = new Float64Array(n);
  const market = new Float64Array(n);
  const ironOre = new Float64Array(n);
  const own = Object.fromEntries(
    Object.keys(SECTOR_VOL).map((s) => [s, new Float64Array(n)]),
  ) as Record<DemoSector, Float64Array>;
  let logVol = 0;
  for (let i = 0; i < n; i++) {
    // AR(1) log-volatility: calm and nervous stretches of a few weeks, mean multiplier ≈ 1.
    logVol = 0.98 * logVol + 0.05 * rng.normal();
    const v = Math.exp(logVol - 0.03);
    regime[i] = v;
    market[i] = MARKET_DRIFT + MARKET_VOL * v * rng.normal();
    ironOre[i] = COMMODITY_VOL.IRON_ORE * rng.normal();
    for (const s of Object.keys(SECTOR_VOL) as DemoSector[]) own[s][i] = SECTOR_VOL[s] * v * rng.normal();
  }
  // Commodities added later draw from streams of their own, so the older series keep their values.
  const drawn = (code: DemoCommodityCode) => {
    const r = new Rng(`${seed}|factors|${code}`);
    return Float64Array.from({ length: n }, () => COMMODITY_VOL[code] * r.normal());
  };
  const commodity: Record<DemoCommodityCode, Float64Array> = { IRON_ORE: ironOre, COKING_COAL: drawn("COKING_COAL"), CRUDE_OIL: drawn("CRUDE_OIL") };
  const sector = Object.fromEntries(Object.entries(own).map(([s, a]) => [s, a.slice()])) as Record<DemoSector, Float64Array>;
  for (const link of DEMO_FACTOR_LEADS) {
    // A sector leader passes on its whole common return, links applied before this one included.
    const leader = isCommodityCode(link.leader) ? commodity[link.leader] : sector[link.leader].slice();
    const follower = sector[link.follower];
    for (let i = link.lagDays; i < n; i++) follower[i] = follower[i]! + link.loading * leader[i - link.lagDays]!;
  }
  const out = (a: Float64Array) => a.slice(PREHISTORY);
  return {
    regime: out(regime),
    market: out(market),
    commodity: { IRON_ORE: out(commodity.IRON_ORE), COKING_COAL: out(commodity.COKING_COAL), CRUDE_OIL: out(commodity.CRUDE_OIL) },
    sector: Object.fromEntries(Object.entries(sector).map(([s, a]) => [s, out(a)])) as Record<DemoSector, Float64Array>,
  };
}

/** A commodity of the universe that the factor model has no series for is a programming error. */
function commodityCode(sym: DemoSymbol): DemoCommodityCode {
  if (!isCommodityCode(sym.symbol)) throw new RangeError(`the demo factor model has no series for the commodity ${sym.symbol}`);
  return sym.symbol;
}

/** Bounds of a symbol's total log return over the history, so that it starts at a plausible price. */
const TOTAL_RETURN_RANGE = [-0.4, 0.6] as const;

/**
 * Daily log returns of one symbol (close-to-close, day t over day t-1), shifted by a constant so that
 * the whole history's move stays within TOTAL_RETURN_RANGE (a constant shift leaves every
 * correlation and lead-lag untouched).
 */
function symbolReturns(sym: DemoSymbol, f: Factors, rng: Rng): Float64Array {
  const n = f.market.length;
  const r = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    if (sym.kind === "commodity") r[t] = f.commodity[commodityCode(sym)][t]!;
    else if (sym.kind === "index") r[t] = sym.beta * f.market[t]! + (sym.symbol === "VNINDEX" ? 0.0015 : 0.003) * rng.normal();
    else {
      const raw = sym.beta * f.market[t]! + f.sector[sym.sector][t]! + sym.idioVol * rng.normal();
      // Stay inside the price limit, with room for tick rounding.
      const cap = Math.log(1 + PRICE_LIMIT[sym.exchange]) - 0.004;
      r[t] = Math.max(-cap, Math.min(cap, raw));
    }
  }
  let sum = 0;
  for (let t = 0; t < n; t++) sum += r[t]!;
  const shift = (Math.max(TOTAL_RETURN_RANGE[0], Math.min(TOTAL_RETURN_RANGE[1], sum)) - sum) / n;
  for (let t = 0; t < n; t++) r[t] = r[t]! + shift;
  return r;
}

// ---------------------------------------------------------------- prices on the grid

/** Rounds a generated price: stocks to their tick (via whole VND, the exact fast path), others to 0.01. */
function quoteFn(sym: DemoSymbol): (raw: number) => number {
  if (sym.kind !== "stock") return (raw) => Math.max(0.01, Math.round(raw * 100) / 100);
  const ex = sym.exchange;
  return (raw) => roundToTick(ex, Math.max(1, Math.round(raw)));
}

interface Band {
  floor: number;
  ceiling: number;
}

const bands = new Map<string, Band>();
/** The day's floor and ceiling around the reference (memoised: prices repeat, decimal rounding is slow). */
function bandOf(sym: DemoSymbol, reference: number): Band {
  if (sym.kind !== "stock") return { floor: 0.01, ceiling: Number.POSITIVE_INFINITY };
  const key = `${sym.exchange}|${reference}`;
  let band = bands.get(key);
  if (!band) {
    const l = priceLimits(sym.exchange, reference);
    band = { floor: l.floor, ceiling: l.ceiling };
    if (bands.size > 100_000) bands.clear();
    bands.set(key, band);
  }
  return band;
}

const clamp = (x: number, b: Band) => (x < b.floor ? b.floor : x > b.ceiling ? b.ceiling : x);

const toLots = (shares: number) => Math.max(1, Math.round(shares / BOARD_LOT));

// ---------------------------------------------------------------- the plan

/** One symbol's days: the open/close/volume every day, and full OHLCV on days before the window. */
interface SymbolDays {
  sym: DemoSymbol;
  reference: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export interface DemoPlan {
  seed: string;
  /** Every trading day with a daily bar, oldest first. */
  days: VnDate[];
  /** The last `intradayDays` of `days`: the days with 1-minute bars. */
  intradayDays: VnDate[];
  symbols: DemoSymbol[];
  /** Per intraday day: the intraday market path on the union session timeline (see marketPosition). */
  marketPaths: Float64Array[];
  series: Map<string, SymbolDays>;
}

/** The last trading day whose sessions are over at `now` (lib/market/calendar.ts). */
export const lastCompletedTradingDay = lastClosedTradingDay;

function yearsBefore(day: VnDate, years: number): VnDate {
  const y = Number(day.slice(0, 4)) - years;
  const md = day.slice(5) === "02-29" ? "02-28" : day.slice(5);
  return `${String(y).padStart(4, "0")}-${md}`;
}

/** Minutes of the union session timeline (09:00–11:30, 13:00–15:00) before a minute of the day. */
function marketPosition(minuteOfDay: number): number {
  if (minuteOfDay <= 690) return Math.max(0, minuteOfDay - 540);
  if (minuteOfDay < 780) return 150;
  return 150 + Math.min(120, minuteOfDay - 780);
}
const MARKET_STEPS = 270;

/** Draws the daily series of every chosen symbol. Cheap (no 1-minute bars yet). */
export function planDemoData(options: DemoOptions = {}): DemoPlan {
  const opts = parseDemoOptions(options);
  const seed = String(opts.seed);
  const last = lastCompletedTradingDay(opts.now);
  const days = tradingDaysBetween(addDays(yearsBefore(last, opts.historyYears), 1), last);
  if (opts.intradayDays > days.length) {
    throw new RangeError(`intradayDays (${opts.intradayDays}) exceeds the ${days.length} trading days of history`);
  }
  const intradayDays = days.slice(days.length - opts.intradayDays);
  const factors = generateFactors(seed, days.length);
  const symbols = opts.symbols
    ? DEMO_UNIVERSE.filter((s) => opts.symbols!.includes(s.symbol))
    : [...DEMO_UNIVERSE];

  const series = new Map<string, SymbolDays>();
  for (const sym of symbols) series.set(sym.symbol, drawDays(sym, seed, factors));

  // The market's intraday path each window day: a Brownian bridge from 0 to the market factor's
  // intraday share, so that stocks and indices move together within the day as well.
  const rng = new Rng(`${seed}|market-intraday`);
  const first = days.length - intradayDays.length;
  const marketPaths = intradayDays.map((_, i) => {
    const t = first + i;
    const target = (1 - OVERNIGHT_SHARE) * factors.market[t]!;
    const step = (0.8 * MARKET_VOL * factors.regime[t]!) / Math.sqrt(MARKET_STEPS);
    return bridge(rng, MARKET_STEPS, target, step);
  });

  return { seed, days, intradayDays, symbols, marketPaths, series };
}

/** A random walk of `steps` steps from 0, pinned to end at `target`. */
function bridge(rng: Rng, steps: number, target: number, stepVol: number): Float64Array {
  const w = new Float64Array(steps + 1);
  for (let k = 1; k <= steps; k++) w[k] = w[k - 1]! + stepVol * rng.normal();
  const gap = target - w[steps]!;
  for (let k = 1; k <= steps; k++) w[k] = w[k]! + (gap * k) / steps;
  w[steps] = target;
  return w;
}

function drawDays(sym: DemoSymbol, seed: string, factors: Factors): SymbolDays {
  const rng = new Rng(`${seed}|daily|${sym.symbol}`);
  const r = symbolReturns(sym, factors, rng);
  const n = r.length;
  const quote = quoteFn(sym);
  // Anchor the end near today's realistic price: walk the returns back to the first reference. The
  // quotes follow an unrounded log price, so tick rounding and limit hits never accumulate (on a
  // 100 VND tick a cheap stock would otherwise stick to its price).
  let sum = 0;
  for (let t = 0; t < n; t++) sum += r[t]!;
  let latent = Math.log(sym.price) - sum;
  let reference = quote(Math.exp(latent));

  const s: SymbolDays = {
    sym,
    reference: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  const typicalMove =
    sym.kind === "stock"
      ? Math.hypot(MARKET_VOL * sym.beta, sym.idioVol, SECTOR_VOL[sym.sector])
      : sym.kind === "commodity"
        ? COMMODITY_VOL[commodityCode(sym)]
        : MARKET_VOL;
  for (let t = 0; t < n; t++) {
    const band = bandOf(sym, reference);
    const gap = OVERNIGHT_SHARE * r[t]! + 0.002 * rng.normal();
    const open = clamp(quote(Math.exp(latent + gap)), band);
    latent += r[t]!;
    const close = clamp(quote(Math.exp(latent)), band);
    const range = 0.35 * typicalMove * factors.regime[t]!;
    const high = Math.max(open, close, clamp(quote(Math.max(open, close) * Math.exp(Math.abs(rng.normal()) * range)), band));
    const low = Math.min(open, close, clamp(quote(Math.min(open, close) * Math.exp(-Math.abs(rng.normal()) * range)), band));
    // Busier on big moves, lognormal otherwise.
    const activity = Math.exp(0.35 * rng.normal() - 0.06) * (0.6 + (0.4 * Math.abs(r[t]!)) / typicalMove);
    s.reference[t] = reference;
    s.open[t] = open;
    s.high[t] = high;
    s.low[t] = low;
    s.close[t] = close;
    s.volume[t] = toLots(sym.dailyVolume * activity) * BOARD_LOT;
    reference = close;
  }
  return s;
}

/** Whether a symbol gets 1-minute bars (commodities are daily only). */
export function hasMinuteBars(sym: DemoSymbol): boolean {
  return sym.kind !== "commodity";
}

function sessionExchange(sym: DemoSymbol): Exchange {
  return sym.exchange ?? "HOSE";
}

// ---------------------------------------------------------------- rows

export interface MarketSymbolRow {
  symbol: string;
  name: string;
  kind: DemoSymbol["kind"];
  exchange: Exchange | null;
  sector: string | null;
}

export function demoSymbolRows(plan: DemoPlan): MarketSymbolRow[] {
  return plan.symbols.map((s) => ({ symbol: s.symbol, name: s.name, kind: s.kind, exchange: s.exchange, sector: s.sector }));
}

function seriesOf(plan: DemoPlan, symbol: string): SymbolDays {
  const s = plan.series.get(symbol);
  if (!s) throw new RangeError(`${symbol} is not in this plan`);
  return s;
}

/**
 * The rows for market_candles_eod: days before the 1-minute window, or every day for a symbol that
 * has no 1-minute bars. Stamped 00:00 in Vietnam of the trading day.
 */
export function demoEodBars(plan: DemoPlan, symbol: string): CandleRow[] {
  const s = seriesOf(plan, symbol);
  const end = hasMinuteBars(s.sym) ? plan.days.length - plan.intradayDays.length : plan.days.length;
  const rows: CandleRow[] = new Array(end);
  for (let t = 0; t < end; t++) {
    rows[t] = {
      time: vnMidnightUtc(plan.days[t]!),
      symbol,
      open: s.open[t]!,
      high: s.high[t]!,
      low: s.low[t]!,
      close: s.close[t]!,
      volume: s.volume[t]!,
    };
  }
  return rows;
}

const sessionCache = new Map<string, Date[]>();
/** Bar start instants of an exchange's day, shared between symbols (never mutated). */
function barTimes(exchange: Exchange, day: VnDate): Date[] {
  const key = `${exchange}|${day}`;
  let times = sessionCache.get(key);
  if (!times) {
    times = sessionMinuteOffsets(exchange).map((m) => vnTimeToUtc(day, m));
    if (sessionCache.size > 5_000) sessionCache.clear();
    sessionCache.set(key, times);
  }
  return times;
}

/**
 * 1-minute bars of one symbol over the window, oldest first. Each day runs from the day's open to its
 * close: continuous bars follow the market's intraday path (× beta) plus the symbol's own bridge; the
 * closing auction, where the exchange has one, is a single bar at the close price.
 */
export function demoMinuteBars(plan: DemoPlan, symbol: string): CandleRow[] {
  const s = seriesOf(plan, symbol);
  const sym = s.sym;
  if (!hasMinuteBars(sym)) return [];
  const exchange = sessionExchange(sym);
  const offsets = sessionMinuteOffsets(exchange);
  const auction = SESSIONS[exchange].closingAuction !== null;
  const nCont = auction ? offsets.length - 1 : offsets.length;
  const startPos = marketPosition(offsets[0]!);
  const endPos = offsets.slice(0, nCont).map((m) => marketPosition(m + 1));
  const beta = sym.kind === "stock" || sym.kind === "index" ? sym.beta : 1;
  const ownVol = sym.kind === "stock" ? Math.max(sym.idioVol, 0.008) : 0.001;
  const step = (0.9 * ownVol) / Math.sqrt(nCont);
  const quote = quoteFn(sym);
  const rng = new Rng(`${plan.seed}|minute|${symbol}`);

  // Volume profile: busy open and close (the U shape of the day); HOSE's first bar holds the ATO.
  const weights = new Float64Array(offsets.length);
  let total = 0;
  for (let k = 0; k < nCont; k++) {
    weights[k] = 1 + 2 * Math.exp(-k / 15) + 1.2 * Math.exp(-(nCont - 1 - k) / 15) + (k === 0 && exchange === "HOSE" ? 6 : 0);
    total += weights[k]!;
  }
  if (auction) {
    weights[nCont] = 0.1 * total;
    total += weights[nCont]!;
  }

  const first = plan.days.length - plan.intradayDays.length;
  const rows: CandleRow[] = [];
  plan.intradayDays.forEach((day, i) => {
    const t = first + i;
    const band = bandOf(sym, s.reference[t]!);
    const open = s.open[t]!;
    const close = s.close[t]!;
    const market = plan.marketPaths[i]!;
    const times = barTimes(exchange, day);
    // With a closing auction the continuous session ends a little away from the closing print.
    const lastContinuous = auction ? Math.log(close) + 0.002 * rng.normal() : Math.log(close);
    const marketMove = (k: number) => beta * (market[endPos[k]!]! - market[startPos]!);
    const own = bridge(rng, nCont, lastContinuous - Math.log(open) - marketMove(nCont - 1), step);
    const shares = s.volume[t]!;

    let prev = open;
    for (let k = 0; k < nCont; k++) {
      const o = prev;
      const c = !auction && k === nCont - 1 ? close : clamp(quote(open * Math.exp(marketMove(k) + own[k + 1]!)), band);
      const wick = 0.5 * step;
      const h = Math.max(o, c, clamp(quote(Math.max(o, c) * Math.exp(Math.abs(rng.normal()) * wick)), band));
      const l = Math.min(o, c, clamp(quote(Math.min(o, c) * Math.exp(-Math.abs(rng.normal()) * wick)), band));
      const v = toLots((shares * weights[k]! * Math.exp(0.6 * rng.normal() - 0.18)) / total) * BOARD_LOT;
      rows.push({ time: times[k]!, symbol, open: o, high: h, low: l, close: c, volume: v });
      prev = c;
    }
    if (auction) {
      const v = toLots((shares * weights[nCont]! * Math.exp(0.3 * rng.normal() - 0.045)) / total) * BOARD_LOT;
      rows.push({ time: times[nCont]!, symbol, open: close, high: close, low: close, close, volume: v });
    }
  });
  return rows;
}

/** Daily bars (stamped 00:00 in Vietnam) aggregated from bars of any finer resolution, per symbol and day. */
export function aggregateDaily(rows: readonly CandleRow[]): CandleRow[] {
  const out = new Map<string, CandleRow>();
  const sorted = [...rows].sort((a, b) => a.time.getTime() - b.time.getTime());
  for (const r of sorted) {
    const day = vnDateOf(r.time);
    const key = `${r.symbol}|${day}`;
    const d = out.get(key);
    if (!d) out.set(key, { ...r, time: vnMidnightUtc(day) });
    else {
      d.high = Math.max(d.high, r.high);
      d.low = Math.min(d.low, r.low);
      d.close = r.close;
      d.volume += r.volume;
    }
  }
  return [...out.values()];
}

/** Every daily bar of a symbol as market_candles_1d should show it: EOD rows, then the window's aggregated minutes. */
export function demoDailySeries(plan: DemoPlan, symbol: string): CandleRow[] {
  return [...demoEodBars(plan, symbol), ...aggregateDaily(demoMinuteBars(plan, symbol))];
}

/** How many 1-minute bars the plan holds (every session minute of the window has a bar). */
export function countMinuteBars(plan: DemoPlan): number {
  let n = 0;
  for (const sym of plan.symbols) {
    if (hasMinuteBars(sym)) n += sessionMinuteOffsets(sessionExchange(sym)).length * plan.intradayDays.length;
  }
  return n;
}
