/**
 * What the portfolio page draws around an allocation: the efficient frontier (efficient_return solved
 * over a grid of target returns from the minimum-volatility portfolio's return to the highest the limits
 * allow), each single symbol's return and volatility, and the universe's correlation matrix. Computed
 * from the same estimates as the allocation (optimise.ts's estimate()), so the chosen portfolio sits on
 * or under the curve it is drawn with.
 */
import type { WeightConstraints } from "./constraints";
import { PortfolioInputError } from "./errors";
import type { SquareMatrix } from "./mean-variance";
import { dot, efficientReturn, minVolatility, portfolioVariance, reachableReturn } from "./mean-variance";

export interface RiskReturnPoint {
  expectedReturn: number;
  volatility: number;
}

export interface FrontierPoint extends RiskReturnPoint {
  sharpe: number;
}

/** Default number of points on the curve: enough for a smooth line, each one quadratic program. */
export const FRONTIER_POINTS = 24;

export function efficientFrontier(
  mu: readonly number[],
  cov: SquareMatrix,
  c: WeightConstraints,
  symbols: readonly string[],
  riskFreeRate: number,
  points = FRONTIER_POINTS,
): FrontierPoint[] {
  const low = minVolatility(cov, c);
  const from = dot(low, mu);
  const to = reachableReturn(mu, c).value;
  const out: FrontierPoint[] = [];
  for (let k = 0; k < points; k++) {
    // The top end exactly at the reachable maximum can fail on rounding: stop a hair below it.
    const target = k === 0 ? from : from + ((to - from) * k) / (points - 1) - (k === points - 1 ? Math.abs(to) * 1e-9 : 0);
    let w: number[];
    try {
      w = k === 0 ? low : efficientReturn(mu, cov, c, target, symbols);
    } catch (err) {
      // A grid point the solver cannot reach is left out; the curve is a picture, not a result.
      if (err instanceof PortfolioInputError) continue;
      throw err;
    }
    const expectedReturn = dot(w, mu);
    const volatility = Math.sqrt(portfolioVariance(w, cov));
    out.push({ expectedReturn, volatility, sharpe: (expectedReturn - riskFreeRate) / volatility });
  }
  return out;
}

/** Each symbol held alone: its expected return and volatility (the diagonal of the covariance). */
export function singleAssetPoints(mu: readonly number[], cov: SquareMatrix): RiskReturnPoint[] {
  return mu.map((m, i) => ({ expectedReturn: m, volatility: Math.sqrt((cov[i] as readonly number[])[i] as number) }));
}

/** The correlation matrix of a covariance matrix: Σ_ij / (σ_i σ_j), 1 on the diagonal. */
export function correlationMatrix(cov: SquareMatrix): number[][] {
  const sd = cov.map((row, i) => Math.sqrt(row[i] as number));
  return cov.map((row, i) => row.map((x, j) => (i === j ? 1 : x / ((sd[i] as number) * (sd[j] as number)))));
}
