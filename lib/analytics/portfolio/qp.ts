/**
 * A 0-based front for quadprog (Goldfarb–Idnani dual active-set method, a port of R's quadprog):
 * minimise ½ x'Dx − d'x subject to a·x = b (equalities) and a·x ≥ b (inequalities).
 * D must be symmetric positive definite; the callers check that first so the message can name the cause.
 */
import { solveQP } from "quadprog";
import { PortfolioInputError } from "./errors";

export interface LinearConstraint {
  a: readonly number[];
  b: number;
}

export interface QuadraticProgram {
  D: readonly (readonly number[])[];
  d: readonly number[];
  equalities?: readonly LinearConstraint[];
  inequalities?: readonly LinearConstraint[];
}

export type QpOutcome = { ok: true; x: number[] } | { ok: false; reason: "infeasible" | "not_positive_definite" };

export function solveQuadratic(problem: QuadraticProgram): QpOutcome {
  const n = problem.d.length;
  const eq = problem.equalities ?? [];
  const ineq = problem.inequalities ?? [];
  const constraints = [...eq, ...ineq];
  // quadprog factorises D in place and indexes from 1.
  const Dmat: number[][] = [[]];
  for (let i = 0; i < n; i++) Dmat.push([0, ...(problem.D[i] as readonly number[])]);
  const dvec = [0, ...problem.d];
  const Amat: number[][] = [[]];
  for (let i = 0; i < n; i++) {
    const row = [0];
    for (const c of constraints) row.push(c.a[i] as number);
    Amat.push(row);
  }
  const bvec = [0, ...constraints.map((c) => c.b)];
  // quadprog reads the column count from Amat[1]; with no constraints give it one trivial row 0 ≥ −1.
  if (constraints.length === 0) {
    for (let i = 1; i <= n; i++) (Amat[i] as number[]).push(0);
    bvec.push(-1);
  }
  const result = solveQP(Dmat, dvec, Amat, bvec, eq.length);
  if (result.message.includes("inconsistent")) return { ok: false, reason: "infeasible" };
  if (result.message.includes("positive definite")) return { ok: false, reason: "not_positive_definite" };
  if (result.message) throw new PortfolioInputError("solver_failed", `quadprog: ${result.message}`);
  const x = result.solution.slice(1);
  if (x.length !== n || x.some((v) => !Number.isFinite(v))) throw new PortfolioInputError("solver_failed", "quadprog returned no finite solution");
  return { ok: true, x };
}
