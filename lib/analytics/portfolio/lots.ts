/**
 * Orders in whole board lots: how many lots of each symbol best match the target weights without
 * spending more than the capital, buying fees included.
 *
 * An integer program solved by HiGHS (the `highs` package, WebAssembly):
 *   minimise Σ |t_i − c_i·x_i|   (the L1 distance, in VND, between each symbol's value and its target)
 *   s.t.     Σ (1 + fee)·c_i·x_i ≤ capital − m,   x_i whole lots
 * with c_i = lot × price_i, t_i = w_i · capital / (1 + fee) (the value that, fees added, spends the
 * capital as the weights say) and m the number of order lines: each line's fee is rounded up to the
 * đồng, which adds under 1 đồng a line, so m đồng of room keeps the exact total within the capital.
 *
 * Written with |·| as d_i ≥ ±(t_i − c_i·x_i), the LP relaxation is worthless (x = t/c, d = 0) and
 * branch and bound took 3–10 s for 200 symbols. So each x_i is written as its lowest candidate plus
 * binary steps, each step with its own change in |t_i − c_i·x_i|: the deviation is convex in x_i, so
 * the relaxation is a fractional knapsack and tight, and 200 symbols solve in tens of milliseconds.
 * The candidates are exact, not a heuristic window:
 * - above ⌈t_i/c_i⌉ a lot only adds deviation and cost, so no optimum goes there;
 * - below ⌊t_i/c_i⌋ each lot adds c_i of deviation. A first solve over ⌊·⌋ − 1 … ⌈·⌉ gives a plan of
 *   distance D₀; every symbol's deviation is at least m_j = min(r_j, c_j − r_j) (r_j: the remainder
 *   of t_j over c_j), so an optimum can sit at most (D₀ − Σ m_j + m_i − r_i) / c_i lots below ⌊·⌋.
 *   If that reaches further than the first window, a second solve over the widened range decides.
 * (A brute force over every lot count on random small cases checks this in lots.test.ts.)
 */
import Decimal from "decimal.js";
import type { Exchange } from "../../market/rules";
import { BOARD_LOT, isOnTick } from "../../market/rules";
import { LotSizingError } from "./errors";

export const DEFAULT_BUY_FEE_RATE = "0.0015";

export interface LotSizingInput {
  /** Whole đồng: a string (decimal), a safe integer or a Decimal. */
  capitalVnd: Decimal.Value;
  /** symbol → target weight; weights ≥ 0 adding up to 1. Symbols at 0 get no order. */
  weights: Record<string, number>;
  /** symbol → latest price in VND (on the tick grid). */
  prices: Record<string, Decimal.Value>;
  /** symbol → exchange: when given, the price must be on that exchange's tick grid. */
  exchanges?: Record<string, Exchange>;
  /** Shares per lot; 100 on HOSE, HNX and UPCOM. */
  boardLot?: number;
  /** Buying fee as a fraction of the order value; 0.15 % by default. */
  feeRate?: Decimal.Value;
  /** Seconds HiGHS may spend before the best plan found so far is taken (default 10). */
  timeLimitSeconds?: number;
}

export interface OrderLine {
  symbol: string;
  price: string;
  lots: number;
  shares: number;
  /** lots × board lot × price, in đồng. */
  value: string;
  /** The buying fee, rounded up to the đồng. */
  fee: string;
  targetWeight: number;
  /** value / Σ values: the weight the bought portfolio really has. */
  realisedWeight: number;
}

export interface LotPlan {
  capital: string;
  lines: OrderLine[];
  invested: string;
  fees: string;
  leftover: string;
  /** Σ |realised − target| and the largest single gap, in weight (1 = 100 %). */
  distance: { l1: number; max: number };
  /** False when HiGHS stopped at its time limit with a plan it could not prove best. */
  optimal: boolean;
}

type HighsModule = Awaited<ReturnType<typeof import("highs").default>>;
let highsPromise: Promise<HighsModule> | undefined;
/** The WebAssembly module is loaded once per process; each solve gets a fresh solver from it. */
function loadHighs(): Promise<HighsModule> {
  highsPromise ??= import("highs").then((m) => m.default());
  return highsPromise;
}

function toDecimal(value: Decimal.Value, what: string, code: "invalid_capital" | "invalid_price"): Decimal {
  try {
    const d = new Decimal(value);
    if (d.isFinite()) return d;
  } catch {
    // falls through to the error below
  }
  throw new LotSizingError(code, `${what} is not a number: ${String(value)}`);
}

const formatVnd = (d: Decimal) => `${d.toNumber().toLocaleString("en-US")} VND`;

export async function sizeOrders(input: LotSizingInput): Promise<LotPlan> {
  const lot = input.boardLot ?? BOARD_LOT;
  if (!Number.isInteger(lot) || lot < 1) throw new LotSizingError("invalid_weights", `the board lot must be a positive whole number of shares, got ${lot}`);
  const feeRate = toDecimal(input.feeRate ?? DEFAULT_BUY_FEE_RATE, "the fee rate", "invalid_capital");
  if (feeRate.isNeg() || feeRate.gte(1)) throw new LotSizingError("invalid_capital", `the fee rate must be in [0, 1), got ${feeRate.toString()}`);
  const capital = toDecimal(input.capitalVnd, "the capital", "invalid_capital");
  if (capital.lte(0)) throw new LotSizingError("invalid_capital", `the capital must be more than 0 VND, got ${capital.toString()}`);
  if (!capital.isInteger()) throw new LotSizingError("invalid_capital", `the capital must be whole đồng, got ${capital.toString()}`);

  const entries = Object.entries(input.weights);
  if (entries.length === 0) throw new LotSizingError("invalid_weights", "no weights given");
  for (const [symbol, w] of entries) {
    if (!Number.isFinite(w) || w < 0) throw new LotSizingError("invalid_weights", `${symbol}'s weight must be a number ≥ 0, got ${w}`);
  }
  const total = entries.reduce((s, [, w]) => s + w, 0);
  if (Math.abs(total - 1) > 1e-6) throw new LotSizingError("invalid_weights", `the weights add up to ${total}, not 1`);

  const held = entries.filter(([, w]) => w > 0);
  const symbols = held.map(([s]) => s);
  const noPrice = symbols.filter((s) => input.prices[s] === undefined || input.prices[s] === null);
  if (noPrice.length > 0) throw new LotSizingError("missing_price", `no price today for ${noPrice.join(", ")}`);
  const prices = symbols.map((s) => {
    const p = toDecimal(input.prices[s] as Decimal.Value, `${s}'s price`, "invalid_price");
    if (p.lte(0) || !p.isInteger()) throw new LotSizingError("invalid_price", `${s}'s price must be a positive whole number of VND, got ${p.toString()}`);
    const exchange = input.exchanges?.[s];
    if (exchange && !isOnTick(exchange, p.toNumber())) throw new LotSizingError("invalid_price", `${s}'s price ${p.toString()} is not on the ${exchange} tick grid`);
    return p;
  });

  const onePlusFee = feeRate.plus(1);
  const lotCost = prices.map((p) => p.times(lot));
  const cheapest = lotCost.reduce((best, c, i) => (c.lt(lotCost[best] as Decimal) ? i : best), 0);
  const cheapestAllIn = (lotCost[cheapest] as Decimal).plus(feeOf(lotCost[cheapest] as Decimal, feeRate));
  if (capital.lt(cheapestAllIn)) {
    throw new LotSizingError("capital_below_one_lot", `the capital ${formatVnd(capital)} is less than one lot of the cheapest symbol, ${symbols[cheapest]} (${lot} × ${formatVnd(prices[cheapest] as Decimal)} + fee = ${formatVnd(cheapestAllIn)})`);
  }

  const weights = held.map(([, w]) => w / total);
  const { lots, optimal } = await solveLots(capital, lotCost, weights, onePlusFee, input.timeLimitSeconds ?? 10);
  repairBudget(lots, lotCost, weights, capital, feeRate);
  return buildPlan(symbols, prices, lotCost, lots, weights, capital, feeRate, lot, optimal, input.weights);
}

/** The fee of one order line, rounded up to the đồng so the broker's charge is never above it. */
function feeOf(value: Decimal, feeRate: Decimal): Decimal {
  return value.times(feeRate).toDecimalPlaces(0, Decimal.ROUND_CEIL);
}

interface LotProblem {
  cost: number[];
  /** (1 + fee) × cost: what a lot takes out of the capital. */
  spend: number[];
  target: number[];
  maxLots: number[];
  budget: number;
}

async function solveLots(capital: Decimal, lotCost: Decimal[], weights: number[], onePlusFee: Decimal, timeLimit: number): Promise<{ lots: number[]; optimal: boolean }> {
  const n = lotCost.length;
  // In units of the capital, so the coefficients are O(1) whatever the amount.
  const K = capital.toNumber();
  const f = onePlusFee.toNumber();
  const budgetDecimal = capital.minus(n);
  const cost = lotCost.map((x) => x.toNumber() / K);
  const problem: LotProblem = {
    cost,
    spend: cost.map((c) => c * f),
    target: weights.map((w) => w / f),
    maxLots: lotCost.map((x) => Math.max(0, budgetDecimal.div(x.times(onePlusFee)).floor().toNumber())),
    budget: budgetDecimal.div(capital).toNumber(),
  };
  const exact = problem.target.map((t, i) => t / (cost[i] as number));
  const floor = exact.map((e, i) => Math.min(Math.floor(e + 1e-12), problem.maxLots[i] as number));
  const high = exact.map((e, i) => Math.min(Math.ceil(e - 1e-12), problem.maxLots[i] as number));
  const narrow = floor.map((x) => Math.max(0, x - 1));
  const first = await solveWindow(problem, narrow, high, timeLimit);
  const distance = first.lots.reduce((s, x, i) => s + deviation(problem, i, x), 0);
  const remainder = exact.map((e, i) => (e - Math.floor(e + 1e-12)) * (cost[i] as number));
  const least = remainder.map((r, i) => Math.max(0, Math.min(r, (cost[i] as number) - r)));
  const slack = distance - least.reduce((a, b) => a + b, 0);
  const wide = floor.map((x, i) => Math.max(0, x - Math.floor((slack + (least[i] as number) - (remainder[i] as number)) / (cost[i] as number) + 1e-9)));
  if (wide.every((w, i) => w >= (narrow[i] as number))) return first;
  const second = await solveWindow(problem, wide.map((w, i) => Math.min(w, narrow[i] as number)), high, timeLimit);
  const secondDistance = second.lots.reduce((s, x, i) => s + deviation(problem, i, x), 0);
  return secondDistance <= distance ? second : { lots: first.lots, optimal: false };
}

const deviation = (p: LotProblem, i: number, lots: number) => Math.abs((p.target[i] as number) - (p.cost[i] as number) * lots);

/** One knapsack over lots low_i … high_i of each symbol, as binary steps up from low_i. */
async function solveWindow(p: LotProblem, low: number[], high: number[], timeLimit: number): Promise<{ lots: number[]; optimal: boolean }> {
  const highs = await loadHighs();
  const room = p.budget - low.reduce((s, l, i) => s + l * (p.spend[i] as number), 0);
  if (room < 0) throw new LotSizingError("solver_failed", "the capital is too small for the lot sizing's search range");
  const objective: string[] = [];
  const budget: string[] = [];
  const binaries: string[] = [];
  low.forEach((lo, i) => {
    for (let lots = lo + 1; lots <= (high[i] as number); lots++) {
      const name = `z${i}_${lots}`;
      // The deviation is convex in the lots, so its steps rise and the LP relaxation takes them in order.
      objective.push(`${deviation(p, i, lots) - deviation(p, i, lots - 1)} ${name}`);
      budget.push(`${p.spend[i]} ${name}`);
      binaries.push(name);
    }
  });
  if (binaries.length === 0) return { lots: [...low], optimal: true };
  const model = ["Minimize", ` obj: ${objective.join(" + ")}`, "Subject To", ` budget: ${budget.join(" + ")} <= ${room}`, "Binary", ` ${binaries.join(" ")}`, "End"].join("\n").replace(/\+ -/g, "- ");
  const solution = highs.solve(model, { time_limit: timeLimit, output_flag: false });
  if (solution.Status !== "Optimal" && solution.Status !== "Time limit reached") {
    throw new LotSizingError("solver_failed", `HiGHS could not size the orders (${solution.Status})`);
  }
  const lots = [...low];
  for (const name of binaries) {
    const column = solution.Columns[name] as { Primal?: number } | undefined;
    if (Math.round(column?.Primal ?? 0) === 1) {
      const i = Number(name.slice(1, name.indexOf("_")));
      lots[i] = (lots[i] as number) + 1;
    }
  }
  return { lots, optimal: solution.Status === "Optimal" };
}

/**
 * HiGHS accepts a budget row broken by up to its tolerance (1e-7 of the capital); the exact sum is
 * checked in decimals and, if it is over, a lot of the most overweight symbol is dropped until it fits.
 */
function repairBudget(lots: number[], lotCost: Decimal[], weights: number[], capital: Decimal, feeRate: Decimal): void {
  const spent = () => lotCost.reduce((s, c, i) => s.plus(c.times(lots[i] as number)).plus(feeOf(c.times(lots[i] as number), feeRate)), new Decimal(0));
  while (spent().gt(capital)) {
    const value = lotCost.map((c, i) => c.times(lots[i] as number).toNumber());
    const total = value.reduce((a, b) => a + b, 0);
    let worst = -1;
    value.forEach((v, i) => {
      if ((lots[i] as number) > 0 && (worst < 0 || v / total - (weights[i] as number) > (value[worst] as number) / total - (weights[worst] as number))) worst = i;
    });
    lots[worst] = (lots[worst] as number) - 1;
  }
}

function buildPlan(symbols: string[], prices: Decimal[], lotCost: Decimal[], lots: number[], weights: number[], capital: Decimal, feeRate: Decimal, lot: number, optimal: boolean, allWeights: Record<string, number>): LotPlan {
  const values = lotCost.map((c, i) => c.times(lots[i] as number));
  const fees = values.map((v) => feeOf(v, feeRate));
  const invested = values.reduce((s, v) => s.plus(v), new Decimal(0));
  const feeTotal = fees.reduce((s, v) => s.plus(v), new Decimal(0));
  const leftover = capital.minus(invested).minus(feeTotal);
  const realised = values.map((v) => (invested.isZero() ? 0 : v.div(invested).toNumber()));
  const lines: OrderLine[] = symbols.map((symbol, i) => ({
    symbol,
    price: (prices[i] as Decimal).toFixed(0),
    lots: lots[i] as number,
    shares: (lots[i] as number) * lot,
    value: (values[i] as Decimal).toFixed(0),
    fee: (fees[i] as Decimal).toFixed(0),
    targetWeight: weights[i] as number,
    realisedWeight: realised[i] as number,
  }));
  // Symbols with a target of 0 stay in the list with no order, so the table shows the whole universe.
  for (const [symbol, w] of Object.entries(allWeights)) {
    if (w === 0) lines.push({ symbol, price: "", lots: 0, shares: 0, value: "0", fee: "0", targetWeight: 0, realisedWeight: 0 });
  }
  const gaps = lines.map((l) => Math.abs(l.realisedWeight - l.targetWeight));
  return {
    capital: capital.toFixed(0),
    lines,
    invested: invested.toFixed(0),
    fees: feeTotal.toFixed(0),
    leftover: leftover.toFixed(0),
    distance: { l1: gaps.reduce((a, b) => a + b, 0), max: Math.max(...gaps) },
    optimal,
  };
}
