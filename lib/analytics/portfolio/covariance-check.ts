/**
 * The quadratic programs need a positive definite covariance. When it is not, the message says why in
 * terms of the data: a symbol whose price never moved, two symbols that move as one, fewer shared days
 * than symbols, or (pairwise covariances) histories that overlap too little to be consistent.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from "ml-matrix";
import { PortfolioInputError } from "./errors";

/** Relative size of the smallest pivot below which the matrix is treated as singular. */
const SINGULAR_RATIO = 1e-12;

export function assertPositiveDefinite(symbols: readonly string[], cov: readonly (readonly number[])[], observations: number): void {
  const n = symbols.length;
  const diag = cov.map((row, i) => row[i] as number);
  const flat = diag.findIndex((v) => !(v > 0));
  if (flat >= 0) {
    throw new PortfolioInputError("singular_covariance", `the covariance matrix is singular: ${symbols[flat]}'s price did not move over the window (zero variance)`);
  }
  const scale = Math.max(...diag);
  const chol = new CholeskyDecomposition(new Matrix(cov.map((r) => [...r])));
  if (chol.isPositiveDefinite()) {
    const L = chol.lowerTriangularMatrix;
    let smallest = Infinity;
    for (let i = 0; i < n; i++) smallest = Math.min(smallest, L.get(i, i) ** 2);
    if (smallest / scale > SINGULAR_RATIO) return;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const corr = (cov[i]?.[j] as number) / Math.sqrt((diag[i] as number) * (diag[j] as number));
      if (Math.abs(corr) > 1 - 1e-10) {
        throw new PortfolioInputError("singular_covariance", `the covariance matrix is singular: ${symbols[i]} and ${symbols[j]} move as one (correlation ${corr.toFixed(6)})`);
      }
    }
  }
  if (observations <= n) {
    throw new PortfolioInputError("singular_covariance", `the covariance matrix is singular: ${n} symbols need more than ${n} daily returns, the window has ${observations}`);
  }
  const eigen = new EigenvalueDecomposition(new Matrix(cov.map((r) => [...r])), { assumeSymmetric: true });
  const smallest = Math.min(...eigen.realEigenvalues);
  if (smallest < 0) {
    throw new PortfolioInputError(
      "singular_covariance",
      `the covariance matrix is not positive definite (smallest eigenvalue ${smallest.toExponential(2)}): the symbols' histories overlap too little for pairwise covariances to be consistent; use shared dates or a shorter window`,
    );
  }
  throw new PortfolioInputError("singular_covariance", `the covariance matrix is singular (smallest eigenvalue ${smallest.toExponential(2)}): some symbols' returns are combinations of others'`);
}
