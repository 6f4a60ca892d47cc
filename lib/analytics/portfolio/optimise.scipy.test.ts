/**
 * Every method against an independent numpy/scipy solution (scipy-reference.py) on the same closes:
 * the objective each method optimises agrees to 1e-6.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { OptimisationMethod, OptimiseSettings, PriceHistory } from "./optimise";
import { estimate, OPTIMISATION_METHODS, optimise } from "./optimise";
import { riskParityObjective } from "./risk-parity";
import { loadPyPortfolioOptPrices, syntheticHistory } from "./test-fixtures";

const SCRIPT = fileURLToPath(new URL("./scipy-reference.py", import.meta.url));

function scipyMissing(): string | null {
  const probe = spawnSync("python3", ["-c", "import numpy, scipy"], { encoding: "utf8" });
  if (probe.error) return "python3 not found";
  return probe.status === 0 ? null : "python3 has no numpy/scipy";
}

interface Reference {
  mu: number[];
  cov: number[][];
  weights: number[];
  objective?: number;
  heuristic?: number[];
  spinu?: number;
}

// PyPortfolioOpt's sector map for its test file (tests/test_efficient_frontier.py, test_min_volatility_sector_constraints).
const SECTORS: Record<string, string> = {
  T: "auto", UAA: "airline", SHLD: "retail", XOM: "energy", RRC: "energy", BBY: "retail", MA: "fig", PFE: "pharma", JPM: "fig", SBUX: "retail",
  GOOG: "tech", AAPL: "tech", FB: "tech", AMZN: "tech", BABA: "tech", GE: "utility", AMD: "tech", WMT: "retail", BAC: "fig", GM: "auto",
};

const pyPrices = loadPyPortfolioOptPrices();
const synthetic = (() => {
  const h = syntheticHistory(30, 500, 11);
  // Three late listings, so the pairwise covariance is exercised here too.
  return { ...h, closes: h.closes.map((row, i) => (i % 10 === 3 ? row.map((c, t) => (t < 100 + i ? null : c)) : row)) };
})();

const universes: { name: string; history: PriceHistory; extra: Partial<OptimiseSettings> }[] = [
  { name: "PyPortfolioOpt's file, long only", history: pyPrices, extra: { riskFreeRate: 0.02, targetReturn: 0.25, targetVolatility: 0.2 } },
  {
    name: "PyPortfolioOpt's file, bounds and sector caps",
    history: pyPrices,
    extra: { riskFreeRate: 0.03, targetReturn: 0.2, targetVolatility: 0.18, minWeight: 0.01, maxWeight: 0.15, bounds: { XOM: { min: 0.05 } }, sectors: SECTORS, sectorMax: { tech: 0.3, retail: 0.2, fig: 0.25 } },
  },
  { name: "30 synthetic symbols, 3 listed late", history: synthetic, extra: { riskFreeRate: 0.05, targetReturn: 0.3, targetVolatility: 0.2 } },
];

const missing = scipyMissing();

describe.skipIf(missing !== null)(`agreement with scipy${missing ? ` (skipped: ${missing})` : ""}`, () => {
  const cases = universes.flatMap((u) => OPTIMISATION_METHODS.map((method) => ({ universe: u, settings: { method, ...u.extra } as OptimiseSettings })));
  let references: Reference[] = [];

  it("runs the scipy reference", () => {
    const input = JSON.stringify({ cases: cases.map((c) => ({ symbols: c.universe.history.symbols, closes: c.universe.history.closes, settings: c.settings })) });
    const run = spawnSync("python3", [SCRIPT], { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(run.stderr).toBe("");
    references = JSON.parse(run.stdout) as Reference[];
    expect(references).toHaveLength(cases.length);
  }, 120_000);

  it.each(universes.map((u) => u.name))("%s: same expected returns and covariance", (name) => {
    const index = cases.findIndex((c) => c.universe.name === name);
    const ref = references[index] as Reference;
    const est = estimate((cases[index] as (typeof cases)[number]).universe.history);
    est.mu.forEach((m, i) => expect(m).toBeCloseTo(ref.mu[i] as number, 10));
    est.cov.forEach((row, i) => row.forEach((c, j) => expect(c).toBeCloseTo(ref.cov[i]?.[j] as number, 12)));
  });

  it.each(cases.map((c, i) => [c.universe.name, c.settings.method, i] as [string, OptimisationMethod, number]))("%s: %s", (_, method, index) => {
    const { universe, settings } = cases[index] as (typeof cases)[number];
    const ref = references[index] as Reference;
    const ours = optimise(universe.history, settings);
    const w = ours.symbols.map((s) => ours.weights[s] as number);
    const mu = ref.mu;
    const cov = ref.cov;
    const variance = (x: readonly number[]) => x.reduce((s, a, i) => s + a * x.reduce((t, b, j) => t + (cov[i]?.[j] as number) * b, 0), 0);
    const ret = (x: readonly number[]) => x.reduce((s, a, i) => s + a * (mu[i] as number), 0);
    switch (method) {
      case "min_volatility":
      case "efficient_return":
        expect(Math.abs(variance(w) - (ref.objective as number))).toBeLessThan(1e-6);
        break;
      case "efficient_risk":
        expect(Math.abs(ret(w) - (ref.objective as number))).toBeLessThan(1e-6);
        break;
      case "max_sharpe":
        expect(Math.abs(ours.sharpe - (ref.objective as number))).toBeLessThan(1e-6);
        break;
      default: {
        // Heuristics: the same weights before any constraint; with constraints, the same distance to them.
        if (ref.objective !== undefined) {
          const distance = w.reduce((s, x, i) => s + (x - (ref.heuristic?.[i] as number)) ** 2, 0);
          expect(Math.abs(distance - ref.objective)).toBeLessThan(1e-6);
        } else {
          w.forEach((x, i) => expect(Math.abs(x - (ref.weights[i] as number))).toBeLessThan(1e-6));
        }
        if (method === "risk_parity" && ref.spinu !== undefined && ref.objective === undefined) {
          // At the optimum of ½y'Σy − (1/n)Σlog y, y'Σy = 1: so y = w / √(w'Σw).
          const scale = 1 / Math.sqrt(variance(w));
          expect(Math.abs(riskParityObjective(w.map((x) => x * scale), cov) - ref.spinu)).toBeLessThan(1e-6);
        }
      }
    }
    // Whatever the method, the answer keeps the constraints scipy was given.
    for (const x of w) expect(x).toBeGreaterThanOrEqual(-1e-12);
    if (settings.maxWeight !== undefined) for (const x of w) expect(x).toBeLessThanOrEqual(settings.maxWeight + 1e-9);
  });
});
