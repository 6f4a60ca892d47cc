/**
 * A walk-forward backtest of an allocation method: rebalanced monthly (the first trading day of each
 * month), each rebalance sees only the closes before its day (the lookback window ending the session
 * before) and trades at that day's close; against the same rebalancing with equal weights and against
 * buying and holding the benchmark (VNINDEX, no costs: an index cannot be bought).
 *
 * Costs: the broker's fee on the value of every buy and every sale, and the tax on the value of every
 * sale. Holdings are fractional shares (the backtest measures the method, not the lot rounding that
 * sizeOrders does at the end); money (cash, trade values, fees, taxes) is summed in decimal.js.
 * A rebalance where the method refuses the window (too few symbols with history, a singular covariance…)
 * keeps the holdings and is listed in `skipped` with the reason.
 *
 * Metrics of each curve: CAGR over 252 sessions a year, annualised volatility of daily returns,
 * maximum drawdown (the largest fall from a previous high, as a fraction), and turnover: one-way
 * (Σ|trades| / 2 / value before trading) summed over the rebalances after the first, per year.
 */
import Decimal from "decimal.js";
import { PortfolioInputError } from "./errors";
import { PERIODS_PER_YEAR } from "./estimators";
import { optimise, type OptimiseSettings, type PriceHistory } from "./optimise";

export interface BacktestInput {
  /** The universe's closes, oldest first, with at least `lookbackDays` sessions before the first rebalance. */
  history: PriceHistory;
  /** The benchmark's closes on `history.dates` (null where it has none). */
  benchmark?: { symbol: string; closes: readonly (number | null)[] };
  settings: OptimiseSettings;
  /** Sessions of returns each rebalance estimates from. */
  lookbackDays: number;
  capitalVnd: Decimal.Value;
  feeRate: Decimal.Value;
  taxRate: Decimal.Value;
}

export interface CurveMetrics {
  cagr: number;
  volatility: number;
  maxDrawdown: number;
  /** One-way turnover per year (0 for the benchmark). */
  turnover: number;
  finalValue: string;
  /** Fees and taxes paid, in VND. */
  costs: string;
}

export interface BacktestResult {
  dates: string[];
  curves: { strategy: number[]; equalWeight: number[]; benchmark: number[] | null };
  metrics: { strategy: CurveMetrics; equalWeight: CurveMetrics; benchmark: CurveMetrics | null };
  rebalances: { date: string; weights: Record<string, number>; costs: string }[];
  skipped: { date: string; reason: string }[];
}

/** Indices of the first session of each month from `from` on. */
export function monthlyRebalanceDays(dates: readonly string[], from: number): number[] {
  const out: number[] = [];
  for (let t = Math.max(from, 1); t < dates.length; t++) {
    if ((dates[t] as string).slice(0, 7) !== (dates[t - 1] as string).slice(0, 7)) out.push(t);
  }
  if (out[0] !== from && from < dates.length) out.unshift(from);
  return out;
}

/** Last close carried forward; null before a symbol's first close. */
function forwardFilled(closes: readonly (number | null)[]): (number | null)[] {
  let last: number | null = null;
  return closes.map((c) => (c !== null && c > 0 ? (last = c) : last));
}

interface Book {
  cash: Decimal;
  shares: Decimal[];
  costs: Decimal;
  turnover: number;
}

function value(book: Book, prices: readonly (number | null)[]): Decimal {
  return book.shares.reduce((v, s, i) => (s.isZero() ? v : v.plus(s.times(prices[i] ?? 0))), book.cash);
}

/**
 * Trades the book to `weights` at `prices`, costs paid from the value: the targets are set on the value
 * after costs, found by a few fixed-point steps (costs are a small fraction, so it converges at once).
 */
function rebalance(book: Book, weights: readonly number[], prices: readonly (number | null)[], fee: Decimal, tax: Decimal, countTurnover: boolean): Decimal {
  const total = value(book, prices);
  const held = book.shares.map((s, i) => s.times(prices[i] ?? 0));
  let net = total;
  let trades: Decimal[] = [];
  let cost = new Decimal(0);
  for (let k = 0; k < 20; k++) {
    // A trade under one đồng is no trade: it keeps a rebalance on unchanged prices from trading dust.
    trades = weights.map((w, i) => {
      const t = prices[i] ? net.times(w).minus(held[i] as Decimal) : new Decimal(0);
      return t.abs().lt(1) ? new Decimal(0) : t;
    });
    cost = trades.reduce((c, t) => (t.isNeg() ? c.plus(t.abs().times(fee.plus(tax))) : c.plus(t.times(fee))), new Decimal(0));
    const next = total.minus(cost);
    const settled = next.minus(net).abs().lt("0.001");
    net = next;
    if (settled) break;
  }
  trades.forEach((t, i) => {
    const p = prices[i];
    if (!p || t.isZero()) return;
    book.shares[i] = (book.shares[i] as Decimal).plus(t.div(p));
  });
  const traded = trades.reduce((s, t) => s.plus(t.abs()), new Decimal(0));
  book.cash = total.minus(cost).minus(book.shares.reduce((v, s, i) => v.plus(s.times(prices[i] ?? 0)), new Decimal(0)));
  book.costs = book.costs.plus(cost);
  if (countTurnover && total.gt(0)) book.turnover += traded.div(2).div(total).toNumber();
  return cost;
}

function metricsOf(curve: readonly number[], turnoverTotal: number, costs: Decimal, finalValue: Decimal): CurveMetrics {
  const n = curve.length - 1;
  const first = curve[0] as number;
  const last = curve[n] as number;
  const years = n / PERIODS_PER_YEAR;
  const returns = curve.slice(1).map((v, i) => v / (curve[i] as number) - 1);
  const mean = returns.reduce((a, b) => a + b, 0) / Math.max(1, returns.length);
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / Math.max(1, returns.length - 1);
  let peak = -Infinity;
  let maxDrawdown = 0;
  for (const v of curve) {
    peak = Math.max(peak, v);
    maxDrawdown = Math.max(maxDrawdown, 1 - v / peak);
  }
  return {
    cagr: years > 0 ? (last / first) ** (1 / years) - 1 : 0,
    volatility: Math.sqrt(variance * PERIODS_PER_YEAR),
    maxDrawdown,
    turnover: years > 0 ? turnoverTotal / years : 0,
    finalValue: finalValue.toFixed(0),
    costs: costs.toFixed(0),
  };
}

export function backtest(input: BacktestInput): BacktestResult {
  const { history, lookbackDays } = input;
  const capital = new Decimal(input.capitalVnd);
  const fee = new Decimal(input.feeRate);
  const tax = new Decimal(input.taxRate);
  if (!capital.gt(0)) throw new PortfolioInputError("invalid_settings", "the backtest's capital must be more than 0 VND");
  const start = lookbackDays + 1;
  if (history.dates.length <= start + 1) {
    throw new PortfolioInputError("too_few_symbols", `a backtest needs more than ${start + 1} sessions of history (the ${lookbackDays}-day lookback and at least one month after it); there are ${history.dates.length}`);
  }
  const n = history.symbols.length;
  const prices = history.closes.map(forwardFilled);
  const priceAt = (t: number) => prices.map((row) => row[t] ?? null);
  const days = new Set(monthlyRebalanceDays(history.dates, start));
  const newBook = (): Book => ({ cash: capital, shares: Array.from({ length: n }, () => new Decimal(0)), costs: new Decimal(0), turnover: 0 });
  const strategy = newBook();
  const equal = newBook();
  const curves = { strategy: [] as number[], equalWeight: [] as number[] };
  const rebalances: BacktestResult["rebalances"] = [];
  const skipped: BacktestResult["skipped"] = [];
  let first = true;
  for (let t = start; t < history.dates.length; t++) {
    const p = priceAt(t);
    if (days.has(t)) {
      const date = history.dates[t] as string;
      // The window: the lookback's sessions up to the day before, never day t itself.
      const from = t - lookbackDays - 1;
      const window: PriceHistory = { symbols: history.symbols, dates: history.dates.slice(from, t), closes: history.closes.map((row) => row.slice(from, t)) };
      const tradable = p.map((x) => x !== null);
      const count = tradable.filter(Boolean).length;
      if (count > 0) rebalance(equal, tradable.map((ok) => (ok ? 1 / count : 0)), p, fee, tax, !first);
      try {
        const allocation = optimise(window, input.settings);
        const w = history.symbols.map((s, i) => (tradable[i] ? (allocation.weights[s] ?? 0) : 0));
        const sum = w.reduce((a, b) => a + b, 0);
        const cost = rebalance(strategy, w.map((x) => x / sum), p, fee, tax, !first);
        rebalances.push({ date, weights: allocation.weights, costs: cost.toFixed(0) });
      } catch (err) {
        if (!(err instanceof PortfolioInputError)) throw err;
        skipped.push({ date, reason: err.message });
      }
      first = false;
    }
    curves.strategy.push(value(strategy, p).toNumber());
    curves.equalWeight.push(value(equal, p).toNumber());
  }
  const dates = history.dates.slice(start);
  let benchmark: number[] | null = null;
  let benchmarkMetrics: CurveMetrics | null = null;
  if (input.benchmark) {
    const filled = forwardFilled(input.benchmark.closes).slice(start);
    const base = filled.find((x) => x !== null);
    if (base) {
      benchmark = filled.map((x) => capital.times(x ?? base).div(base).toNumber());
      benchmarkMetrics = metricsOf(benchmark, 0, new Decimal(0), new Decimal(benchmark[benchmark.length - 1] as number).toDecimalPlaces(0));
    }
  }
  const last = priceAt(history.dates.length - 1);
  return {
    dates,
    curves: { ...curves, benchmark },
    metrics: {
      strategy: metricsOf(curves.strategy, strategy.turnover, strategy.costs, value(strategy, last).toDecimalPlaces(0)),
      equalWeight: metricsOf(curves.equalWeight, equal.turnover, equal.costs, value(equal, last).toDecimalPlaces(0)),
      benchmark: benchmarkMetrics,
    },
    rebalances,
    skipped,
  };
}
