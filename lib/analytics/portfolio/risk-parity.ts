/**
 * Equal risk contribution (long only): each symbol carries 1/n of the portfolio's variance.
 * It is the minimiser of the strictly convex f(y) = ½ y'Σy − (1/n) Σ log y_i over y > 0, normalised
 * w = y / Σy (Spinu 2013; Roncalli, "Introduction to Risk Parity and Budgeting", ch. 2). Solved by
 * damped Newton steps (ml-matrix's Cholesky for the linear solve) from the inverse-volatility point:
 * quadratic convergence, ~10 steps.
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { PortfolioInputError } from "./errors";
import type { SquareMatrix } from "./mean-variance";

export function riskParityObjective(y: readonly number[], cov: SquareMatrix): number {
  const n = y.length;
  let quad = 0;
  let logs = 0;
  for (let i = 0; i < n; i++) {
    const row = cov[i] as readonly number[];
    for (let j = 0; j < n; j++) quad += (y[i] as number) * (row[j] as number) * (y[j] as number);
    logs += Math.log(y[i] as number);
  }
  return 0.5 * quad - logs / n;
}

export function riskParity(cov: SquareMatrix): number[] {
  const n = cov.length;
  const budget = 1 / n;
  let y = cov.map((row, i) => 1 / Math.sqrt(row[i] as number));
  let f = riskParityObjective(y, cov);
  for (let iteration = 0; iteration < 100; iteration++) {
    const sy = cov.map((row) => row.reduce((s, x, j) => s + x * (y[j] as number), 0));
    const grad = sy.map((v, i) => v - budget / (y[i] as number));
    const hessian = new Matrix(cov.map((row, i) => row.map((x, j) => (i === j ? x + budget / (y[i] as number) ** 2 : x))));
    const step = new CholeskyDecomposition(hessian).solve(Matrix.columnVector(grad.map((g) => -g))).to1DArray();
    const decrement = -grad.reduce((s, g, i) => s + g * (step[i] as number), 0);
    if (decrement / 2 < 1e-24) break;
    let t = 1;
    // Backtracking keeps y > 0 and f decreasing (Armijo).
    for (;;) {
      const next = y.map((v, i) => v + t * (step[i] as number));
      if (next.every((v) => v > 0)) {
        const fNext = riskParityObjective(next, cov);
        if (fNext <= f - 0.25 * t * decrement) {
          y = next;
          f = fNext;
          break;
        }
      }
      t /= 2;
      if (t < 1e-20) throw new PortfolioInputError("solver_failed", "risk parity: the Newton iteration stalled");
    }
  }
  const sum = y.reduce((a, b) => a + b, 0);
  return y.map((v) => v / sum);
}
