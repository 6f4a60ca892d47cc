import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { normalDraws, tradingDays } from "@/test/synthetic-daily-series";
import { backtest, monthlyRebalanceDays } from "./backtest";
import type { PriceHistory } from "./optimise";

const DATES = tradingDays("2023-01-02", "2025-06-30");

function market(seed: number, n = 4, dates = DATES): PriceHistory {
  const symbols = ["AAA", "BBB", "CCC", "DDD"].slice(0, n);
  const closes = symbols.map((_, k) => {
    const draw = normalDraws(seed + k);
    let p = 20_000 + 5_000 * k;
    return dates.map(() => (p *= Math.exp(0.0003 * (k + 1) + 0.015 * draw())));
  });
  return { symbols, dates, closes };
}

const base = { lookbackDays: 120, capitalVnd: "1000000000", feeRate: "0.0015", taxRate: "0.001" };

describe("monthlyRebalanceDays", () => {
  it("is the first session of each month from the start on, the start itself first", () => {
    const days = monthlyRebalanceDays(DATES, 121);
    expect(days[0]).toBe(121);
    for (const t of days.slice(1)) expect(DATES[t]!.slice(0, 7)).not.toBe(DATES[t - 1]!.slice(0, 7));
    expect(days.map((t) => DATES[t]!.slice(0, 7))).toEqual([...new Set(days.map((t) => DATES[t]!.slice(0, 7)))]);
  });
});

describe("backtest", () => {
  it("with the equal-weight method follows the equal-weight curve exactly", () => {
    const r = backtest({ ...base, history: market(1), settings: { method: "equal_weight" } });
    expect(r.curves.strategy).toEqual(r.curves.equalWeight);
    expect(r.dates).toHaveLength(DATES.length - 121);
    expect(r.rebalances.length).toBeGreaterThan(20);
  });

  it("on flat prices loses exactly its costs: the fee on the first purchase, then nothing (no trades, no turnover)", () => {
    const flat: PriceHistory = { symbols: ["AAA", "BBB"], dates: DATES, closes: [DATES.map(() => 25_000), DATES.map(() => 10_000)] };
    const r = backtest({ ...base, history: flat, settings: { method: "equal_weight" } });
    const m = r.metrics.equalWeight;
    expect(new Decimal(m.finalValue).plus(m.costs).minus("1000000000").abs().lte(1)).toBe(true);
    // One purchase of the whole capital: costs = capital × fee / (1 + fee).
    expect(Math.abs(Number(m.costs) - 1e9 * (0.0015 / 1.0015))).toBeLessThan(1);
    expect(m.turnover).toBe(0);
    expect(m.maxDrawdown).toBe(0);
  });

  it("walks forward: a rebalance's weights do not change when the closes from its day on change", () => {
    const a = market(7);
    const b = { ...a, closes: a.closes.map((row, k) => row.map((p, t) => (t >= 200 && p !== null ? p * (1 + 0.2 * (k - 1.5)) * (1 + (t % 3) * 0.01) : p))) };
    const ra = backtest({ ...base, history: a, settings: { method: "min_volatility" } });
    const rb = backtest({ ...base, history: b, settings: { method: "min_volatility" } });
    const before = ra.rebalances.filter((x) => x.date <= DATES[200]!);
    expect(before.length).toBeGreaterThan(2);
    expect(rb.rebalances.slice(0, before.length).map((x) => x.weights)).toEqual(before.map((x) => x.weights));
    expect(rb.rebalances[before.length]!.weights).not.toEqual(ra.rebalances[before.length]!.weights);
  });

  it("measures CAGR, volatility, the maximum drawdown and the benchmark bought and held", () => {
    const h = market(3);
    const index = DATES.map((_, t) => (t < 300 ? 1_000 : t < 400 ? 1_000 * (1 - (t - 300) / 200) : 500 + (t - 400)));
    const r = backtest({ ...base, history: h, settings: { method: "max_sharpe", riskFreeRate: 0 }, benchmark: { symbol: "VNINDEX", closes: index } });
    const b = r.metrics.benchmark!;
    expect(b.maxDrawdown).toBeCloseTo(0.5, 9);
    expect(b.turnover).toBe(0);
    const years = (r.dates.length - 1) / 252;
    const end = r.curves.benchmark!.at(-1)! / 1e9;
    expect(b.cagr).toBeCloseTo(end ** (1 / years) - 1, 10);
    expect(r.metrics.strategy.volatility).toBeGreaterThan(0);
    expect(r.metrics.strategy.turnover).toBeGreaterThan(0);
    expect(Number(r.metrics.strategy.costs)).toBeGreaterThan(1e9 * 0.0014);
  });

  it("keeps its holdings through a rebalance the method refuses, and says why", () => {
    const h = market(5, 2);
    // BBB has no closes until late: until then the window holds one symbol with enough history.
    const late: PriceHistory = { ...h, closes: [h.closes[0]!, h.closes[1]!.map((p, t) => (t < 250 ? null : p))] };
    const r = backtest({ ...base, history: late, settings: { method: "min_volatility" } });
    expect(r.skipped.length).toBeGreaterThan(0);
    expect(r.skipped[0]!.reason).toMatch(/at least two symbols/);
  });

  it("refuses a history too short for its lookback", () => {
    expect(() => backtest({ ...base, history: market(1, 2, DATES.slice(0, 100)), settings: { method: "hrp" } })).toThrow(/needs more than 122 sessions/);
  });
});
