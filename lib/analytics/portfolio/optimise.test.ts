import { describe, expect, it } from "vitest";
import { PortfolioInputError } from "./errors";
import type { OptimiseSettings, PriceHistory } from "./optimise";
import { OPTIMISATION_METHODS, optimise } from "./optimise";
import { loadPyPortfolioOptPrices, syntheticHistory } from "./test-fixtures";

const prices = loadPyPortfolioOptPrices();

/** Expects optimise() to fail with a PortfolioInputError of `code` whose message matches `message`. */
function expectError(history: PriceHistory, settings: OptimiseSettings, code: string, message: RegExp) {
  try {
    optimise(history, settings);
  } catch (error) {
    expect(error).toBeInstanceOf(PortfolioInputError);
    expect((error as PortfolioInputError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error("optimise did not throw");
}

describe("PyPortfolioOpt's published results on its own price file", () => {
  // Published in robertmartin8/PyPortfolioOpt tests/test_efficient_frontier.py (commit 0a70188511b5,
  // the v1.5 line): test_min_volatility and test_max_sharpe_long_only assert portfolio_performance()
  // with its default risk-free rate 0.02. Settings: ../shared/data/portfolio/README.md.
  it("minimum volatility: return 0.15056821399482578, volatility 0.15915084514118694, Sharpe 0.8204054077060996", () => {
    const a = optimise(prices, { method: "min_volatility", riskFreeRate: 0.02 });
    expect(a.expectedReturn).toBeCloseTo(0.15056821399482578, 4);
    expect(a.volatility).toBeCloseTo(0.15915084514118694, 4);
    expect(a.sharpe).toBeCloseTo(0.8204054077060996, 4);
  });
  it("maximum Sharpe (rf 0.02): return 0.3047768672819914, volatility 0.22165566922402932, Sharpe 1.2847714127003216", () => {
    const a = optimise(prices, { method: "max_sharpe", riskFreeRate: 0.02 });
    expect(a.expectedReturn).toBeCloseTo(0.3047768672819914, 4);
    expect(a.volatility).toBeCloseTo(0.22165566922402932, 4);
    expect(a.sharpe).toBeCloseTo(1.2847714127003216, 4);
  });
});

describe("every method", () => {
  it.each(OPTIMISATION_METHODS)("%s: long only, weights add to 1, risk contributions add to 1", (method) => {
    const a = optimise(prices, { method, targetReturn: 0.25, targetVolatility: 0.2, maxWeight: 0.3 });
    const w = Object.values(a.weights);
    expect(w).toHaveLength(20);
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    for (const x of w) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(0.3 + 1e-9);
    }
    expect(Object.values(a.riskContributions).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10);
    expect(a.sharpe).toBeCloseTo((a.expectedReturn - 0.02) / a.volatility, 12);
    expect(a.from).toBe("1989-12-29");
    expect(a.to).toBe("2018-04-11");
  });

  it("risk parity gives each symbol the same share of the variance", () => {
    const a = optimise(prices, { method: "risk_parity" });
    for (const rc of Object.values(a.riskContributions)) expect(rc).toBeCloseTo(1 / 20, 10);
    expect(a.projected).toBe(false);
  });

  it("efficient return meets its target at the least volatility, efficient risk its volatility at the most return", () => {
    const er = optimise(prices, { method: "efficient_return", targetReturn: 0.25 });
    expect(er.expectedReturn).toBeCloseTo(0.25, 9);
    const ek = optimise(prices, { method: "efficient_risk", targetVolatility: er.volatility });
    expect(ek.volatility).toBeLessThanOrEqual(er.volatility + 1e-12);
    expect(ek.expectedReturn).toBeCloseTo(0.25, 7);
  });

  it("honours per-symbol bounds and sector caps, moving a heuristic's weights when they break them", () => {
    const sectors = Object.fromEntries(prices.symbols.map((s) => [s, ["GOOG", "AAPL", "FB", "BABA", "AMZN", "AMD"].includes(s) ? "tech" : "other"]));
    for (const method of OPTIMISATION_METHODS) {
      const a = optimise(prices, { method, sectors, sectorMax: { tech: 0.2 }, bounds: { XOM: { min: 0.1 } }, targetReturn: 0.2, targetVolatility: 0.2 });
      const tech = Object.entries(a.weights).filter(([s]) => sectors[s] === "tech").reduce((sum, [, w]) => sum + w, 0);
      expect(tech, method).toBeLessThanOrEqual(0.2 + 1e-9);
      expect(a.weights.XOM, method).toBeGreaterThanOrEqual(0.1 - 1e-9);
    }
    expect(optimise(prices, { method: "equal_weight", sectors, sectorMax: { tech: 0.2 } }).projected).toBe(true);
  });

  it("leaves out a symbol with too short a history and says so", () => {
    const history = syntheticHistory(3, 200, 7);
    const closes = history.closes.map((row, i) => (i === 2 ? row.map((c, t) => (t < 150 ? null : c)) : row));
    const a = optimise({ ...history, closes }, { method: "min_volatility" });
    expect(a.symbols).toEqual(["S000", "S001"]);
    expect(a.excluded).toEqual([{ symbol: "S002", observations: 49 }]);
  });

  it("can use only the days every symbol has a return", () => {
    const pairwise = optimise(prices, { method: "min_volatility" });
    const shared = optimise(prices, { method: "min_volatility", alignment: "shared_dates" });
    expect(shared.observations).toBeLessThan(pairwise.observations);
    expect(shared.volatility).not.toBeCloseTo(pairwise.volatility, 4);
  });
});

describe("bad input gets a typed error naming its cause", () => {
  const two = syntheticHistory(2, 300, 3);
  it("fewer than two symbols with enough history", () => {
    const closes = two.closes.map((row, i) => (i === 1 ? row.map((c, t) => (t < 280 ? null : c)) : row));
    expectError({ ...two, closes }, { method: "min_volatility" }, "too_few_symbols", /at least two symbols with 60 daily returns or more; only S000 has enough: S001 \(19\)/);
    expectError({ symbols: ["A"], dates: two.dates, closes: [two.closes[0] as number[]] }, { method: "hrp" }, "too_few_symbols", /at least two symbols/);
  });
  it("a singular covariance: two symbols that move as one, a flat price, more symbols than days", () => {
    const base = two.closes[0] as number[];
    expectError({ symbols: ["HPG", "HSG"], dates: two.dates, closes: [base, base.map((c) => c * 2)] }, { method: "min_volatility" }, "singular_covariance", /HPG and HSG move as one/);
    expectError({ symbols: ["HPG", "VNM"], dates: two.dates, closes: [base, base.map(() => 50_000)] }, { method: "max_sharpe" }, "singular_covariance", /VNM's price did not move/);
    const wide = syntheticHistory(80, 70, 5);
    expectError(wide, { method: "min_volatility" }, "singular_covariance", /80 symbols need more than 80 daily returns, the window has 69/);
  });
  it("infeasible bounds: max weight × count < 1, min weight × count > 1, sector caps, min above max", () => {
    expectError(prices, { method: "min_volatility", maxWeight: 0.04 }, "infeasible_bounds", /maximum weights \(20 symbols\) allow at most 80 % in total/);
    expectError(prices, { method: "hrp", minWeight: 0.06 }, "infeasible_bounds", /minimum weights add up to 120 %.*at most 5 %/);
    const sectors = Object.fromEntries(prices.symbols.map((s) => [s, "all"]));
    expectError(prices, { method: "max_sharpe", sectors, sectorMax: { all: 0.9 } }, "infeasible_bounds", /sector caps allow at most 90 %/);
    expectError(prices, { method: "equal_weight", sectors, sectorMax: { all: 0.5 }, minWeight: 0.04 }, "infeasible_bounds", /sector all: its symbols' minimum weights add up to 80 %, above the sector's cap of 50 %/);
    expectError(prices, { method: "min_volatility", bounds: { AAPL: { min: 0.5, max: 0.4 } } }, "infeasible_bounds", /AAPL: minimum weight 50 % is above its maximum 40 %/);
  });
  it("a target return above the best asset's, a target volatility below the minimum", () => {
    expectError(prices, { method: "efficient_return", targetReturn: 2 }, "target_return_unreachable", /target return 200.00 % is above the best symbol's \(MA, 38.87 %\)/);
    expectError(prices, { method: "efficient_return", targetReturn: 0.5, maxWeight: 0.1 }, "target_return_unreachable", /above the highest the weight limits allow/);
    expectError(prices, { method: "efficient_risk", targetVolatility: 0.1 }, "target_volatility_unreachable", /target volatility 10.00 % is below the minimum volatility .* \(15.92 %\)/);
  });
  it("a maximum Sharpe with no return above the risk-free rate, missing targets, bad closes", () => {
    expectError(prices, { method: "max_sharpe", riskFreeRate: 0.9 }, "no_return_above_risk_free", /exceeds the risk-free rate of 90.00 %/);
    expectError(prices, { method: "efficient_return" }, "invalid_settings", /targetReturn: efficient_return needs targetReturn/);
    expectError(prices, { method: "min_volatility", maxWeight: 1.5 }, "invalid_settings", /maxWeight/);
    expectError({ ...two, closes: [two.closes[0] as number[], (two.closes[1] as number[]).map((c, t) => (t === 5 ? -1 : c))] }, { method: "equal_weight" }, "invalid_prices", new RegExp(`S001's close on ${two.dates[5]} is -1: a close must be a positive number or missing`));
  });
});
