/**
 * The mean-variance methods, each one quadratic program solved by quadprog:
 * - min_volatility: minimise w'Σw;
 * - efficient_return: minimise w'Σw with μ'w ≥ target;
 * - max_sharpe: PyPortfolioOpt's transform: minimise y'Σy with (μ − rf)'y = 1 and the constraints
 *   scaled by κ = Σy (y ≥ lower·κ, y ≤ upper·κ, Σ_sector y ≤ cap·κ); then w = y / κ. κ is eliminated
 *   as Σy so the quadratic stays strictly convex, which quadprog needs;
 * - efficient_risk: maximise μ'w with w'Σw ≤ target². quadprog has no quadratic constraints, so this
 *   walks the frontier instead: σ(r) of efficient_return(r) rises with r from the minimum-volatility
 *   return to the highest reachable one, and the r with σ(r) = target is found by the Illinois
 *   (regula falsi) method on σ²(r) − target², each step one efficient_return solve (8–12 on the test file and a 200-symbol synthetic market; capped at 200).
 * All take the constraints of constraints.ts.
 */
import type { WeightConstraints } from "./constraints";
import { cleanWeights, maxReturnPortfolio, sumToOne, weightInequalities } from "./constraints";
import { PortfolioInputError } from "./errors";
import type { LinearConstraint } from "./qp";
import { solveQuadratic } from "./qp";

export type Vector = readonly number[];
export type SquareMatrix = readonly (readonly number[])[];

export function portfolioVariance(w: Vector, cov: SquareMatrix): number {
  let v = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    const row = cov[i] as readonly number[];
    for (let j = 0; j < w.length; j++) v += wi * (row[j] as number) * (w[j] as number);
  }
  return v;
}

export const dot = (a: Vector, b: Vector): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const twice = (cov: SquareMatrix) => cov.map((row) => row.map((x) => 2 * x));
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

function solveOrExplain(outcome: ReturnType<typeof solveQuadratic>, what: string): number[] {
  if (outcome.ok) return outcome.x;
  if (outcome.reason === "infeasible") throw new PortfolioInputError("infeasible_bounds", `${what}: no weights satisfy the constraints`);
  throw new PortfolioInputError("singular_covariance", `${what}: the covariance matrix is not positive definite`);
}

export function minVolatility(cov: SquareMatrix, c: WeightConstraints): number[] {
  const n = cov.length;
  const outcome = solveQuadratic({ D: twice(cov), d: new Array<number>(n).fill(0), equalities: [sumToOne(n)], inequalities: weightInequalities(c) });
  return cleanWeights(solveOrExplain(outcome, "minimum volatility"));
}

/** The highest expected return any allowed portfolio reaches, and the best single symbol's. */
export function reachableReturn(mu: Vector, c: WeightConstraints): { weights: number[]; value: number } {
  const weights = maxReturnPortfolio(mu, c);
  return { weights, value: dot(weights, mu) };
}

export function efficientReturn(mu: Vector, cov: SquareMatrix, c: WeightConstraints, target: number, symbols: readonly string[]): number[] {
  const best = reachableReturn(mu, c);
  if (target > best.value + 1e-12) {
    const top = mu.reduce((b, x, i) => (x > (mu[b] as number) ? i : b), 0);
    const limit = Math.abs(best.value - (mu[top] as number)) < 1e-12 ? `the best symbol's (${symbols[top]}, ${pct(mu[top] as number)})` : `the highest the weight limits allow (${pct(best.value)}; best symbol ${symbols[top]} ${pct(mu[top] as number)})`;
    throw new PortfolioInputError("target_return_unreachable", `target return ${pct(target)} is above ${limit}`);
  }
  return efficientReturnUnchecked(mu, cov, c, target);
}

function efficientReturnUnchecked(mu: Vector, cov: SquareMatrix, c: WeightConstraints, target: number): number[] {
  const n = cov.length;
  const rows: LinearConstraint[] = [{ a: mu, b: target }, ...weightInequalities(c)];
  const outcome = solveQuadratic({ D: twice(cov), d: new Array<number>(n).fill(0), equalities: [sumToOne(n)], inequalities: rows });
  return cleanWeights(solveOrExplain(outcome, `efficient return ${pct(target)}`));
}

export function maxSharpe(mu: Vector, cov: SquareMatrix, c: WeightConstraints, riskFreeRate: number): number[] {
  const n = cov.length;
  const best = reachableReturn(mu, c);
  if (best.value <= riskFreeRate) {
    throw new PortfolioInputError("no_return_above_risk_free", `no allowed portfolio's expected return (at best ${pct(best.value)}) exceeds the risk-free rate of ${pct(riskFreeRate)}: the maximum Sharpe ratio is undefined`);
  }
  const excess = mu.map((m) => m - riskFreeRate);
  const rows: LinearConstraint[] = [];
  for (let i = 0; i < n; i++) {
    // y_i ≥ lower_i·Σy  ⇔  y_i − lower_i·Σy ≥ 0 (with lower_i = 0 this is y_i ≥ 0).
    rows.push({ a: Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) - (c.lower[i] as number)), b: 0 });
    const up = c.upper[i] as number;
    if (up < 1) rows.push({ a: Array.from({ length: n }, (_, j) => up - (i === j ? 1 : 0)), b: 0 });
  }
  for (const cap of c.sectorCaps) {
    const members = new Set(cap.members);
    rows.push({ a: Array.from({ length: n }, (_, j) => cap.max - (members.has(j) ? 1 : 0)), b: 0 });
  }
  const outcome = solveQuadratic({ D: twice(cov), d: new Array<number>(n).fill(0), equalities: [{ a: excess, b: 1 }], inequalities: rows });
  return cleanWeights(solveOrExplain(outcome, "maximum Sharpe"));
}

export function efficientRisk(mu: Vector, cov: SquareMatrix, c: WeightConstraints, targetVolatility: number): number[] {
  const target2 = targetVolatility ** 2;
  const wMin = minVolatility(cov, c);
  const varMin = portfolioVariance(wMin, cov);
  if (target2 < varMin * (1 - 1e-9)) {
    throw new PortfolioInputError("target_volatility_unreachable", `target volatility ${pct(targetVolatility)} is below the minimum volatility the symbols and limits allow (${pct(Math.sqrt(varMin))})`);
  }
  const top = reachableReturn(mu, c);
  // The top-return portfolio is taken as the frontier's upper end (unique unless two returns tie).
  if (portfolioVariance(top.weights, cov) <= target2) return top.weights;
  let lo = dot(wMin, mu);
  let hi = top.value;
  if (target2 <= varMin) return wMin;
  let gLo = varMin - target2;
  let gHi = portfolioVariance(top.weights, cov) - target2;
  let best = wMin;
  let side = 0;
  for (let iteration = 0; iteration < 200; iteration++) {
    const r = (lo * gHi - hi * gLo) / (gHi - gLo);
    const w = efficientReturnUnchecked(mu, cov, c, r);
    const g = portfolioVariance(w, cov) - target2;
    if (g <= 0) best = w;
    if (Math.abs(g) <= 1e-13 * target2 || hi - lo <= 1e-13) return g <= 0 ? w : best;
    if (g < 0) {
      lo = r;
      gLo = g;
      if (side === -1) gHi /= 2;
      side = -1;
    } else {
      hi = r;
      gHi = g;
      if (side === 1) gLo /= 2;
      side = 1;
    }
  }
  return best;
}
