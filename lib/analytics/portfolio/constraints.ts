/**
 * The weight constraints every method shares: long only, Σw = 1, per-symbol [min, max] and a cap per
 * sector. The structure is laminar (each symbol in at most one sector), which makes two things exact
 * and cheap: the feasibility test below, and the greedy maximum of a linear return over the set.
 */
import { PortfolioInputError } from "./errors";
import type { LinearConstraint } from "./qp";
import { solveQuadratic } from "./qp";

export interface WeightConstraints {
  /** lower[i] ≤ w[i] ≤ upper[i], with 0 ≤ lower ≤ upper ≤ 1. */
  lower: number[];
  upper: number[];
  /** Sector caps: the symbols (indices) of each capped sector and its maximum total weight. */
  sectorCaps: { sector: string; members: number[]; max: number }[];
}

export interface ConstraintSettings {
  minWeight?: number;
  maxWeight?: number;
  /** Per-symbol overrides of minWeight / maxWeight. */
  bounds?: Record<string, { min?: number; max?: number }>;
  /** symbol → sector, for the sector caps. */
  sectors?: Record<string, string>;
  /** sector → maximum total weight. */
  sectorMax?: Record<string, number>;
}

const pct = (x: number) => `${(x * 100).toFixed(2).replace(/\.?0+$/, "")} %`;
const EPS = 1e-12;

export function resolveConstraints(symbols: readonly string[], settings: ConstraintSettings): WeightConstraints {
  const lower = symbols.map((s) => settings.bounds?.[s]?.min ?? settings.minWeight ?? 0);
  const upper = symbols.map((s) => settings.bounds?.[s]?.max ?? settings.maxWeight ?? 1);
  symbols.forEach((s, i) => {
    if ((lower[i] as number) > (upper[i] as number) + EPS) {
      throw new PortfolioInputError("infeasible_bounds", `${s}: minimum weight ${pct(lower[i] as number)} is above its maximum ${pct(upper[i] as number)}`);
    }
  });
  const sectorCaps: WeightConstraints["sectorCaps"] = [];
  for (const [sector, max] of Object.entries(settings.sectorMax ?? {})) {
    const members = symbols.flatMap((s, i) => (settings.sectors?.[s] === sector ? [i] : []));
    if (members.length > 0) sectorCaps.push({ sector, members, max });
  }
  const constraints = { lower, upper, sectorCaps };
  assertFeasible(symbols, constraints);
  return constraints;
}

/**
 * For a laminar family the set {Σw = 1, lower ≤ w ≤ upper, Σ_sector w ≤ cap} is non-empty exactly when
 * the minimums fit (overall and in each sector) and the maximums, each sector clipped at its cap, reach 1.
 */
export function assertFeasible(symbols: readonly string[], c: WeightConstraints): void {
  const n = symbols.length;
  const sumLower = c.lower.reduce((a, b) => a + b, 0);
  if (sumLower > 1 + EPS) {
    throw new PortfolioInputError("infeasible_bounds", `the minimum weights add up to ${pct(sumLower)} (more than 100 %): with ${n} symbols the minimum weight can be at most ${pct(1 / n)}`);
  }
  const inSector = new Set<number>();
  let reachable = 0;
  for (const cap of c.sectorCaps) {
    const lo = cap.members.reduce((a, i) => a + (c.lower[i] as number), 0);
    if (lo > cap.max + EPS) {
      throw new PortfolioInputError("infeasible_bounds", `sector ${cap.sector}: its symbols' minimum weights add up to ${pct(lo)}, above the sector's cap of ${pct(cap.max)}`);
    }
    const hi = cap.members.reduce((a, i) => a + (c.upper[i] as number), 0);
    reachable += Math.min(hi, cap.max);
    cap.members.forEach((i) => inSector.add(i));
  }
  for (let i = 0; i < n; i++) if (!inSector.has(i)) reachable += c.upper[i] as number;
  if (reachable < 1 - EPS) {
    const why = c.sectorCaps.length > 0 ? "the maximum weights and sector caps" : `the maximum weights (${n} symbols)`;
    throw new PortfolioInputError("infeasible_bounds", `${why} allow at most ${pct(reachable)} in total: weights cannot add up to 100 %`);
  }
}

export function isUnconstrained(c: WeightConstraints): boolean {
  return c.sectorCaps.length === 0 && c.lower.every((l) => l <= 0) && c.upper.every((u) => u >= 1);
}

/** The rows of the constraint set in weight space (a·w ≥ b), without Σw = 1. */
export function weightInequalities(c: WeightConstraints): LinearConstraint[] {
  const n = c.lower.length;
  const rows: LinearConstraint[] = [];
  const unit = (i: number, sign: number) => {
    const a = new Array<number>(n).fill(0);
    a[i] = sign;
    return a;
  };
  for (let i = 0; i < n; i++) {
    rows.push({ a: unit(i, 1), b: c.lower[i] as number });
    if ((c.upper[i] as number) < 1) rows.push({ a: unit(i, -1), b: -(c.upper[i] as number) });
  }
  for (const cap of c.sectorCaps) {
    const a = new Array<number>(n).fill(0);
    for (const i of cap.members) a[i] = -1;
    rows.push({ a, b: -cap.max });
  }
  return rows;
}

export const sumToOne = (n: number): LinearConstraint => ({ a: new Array<number>(n).fill(1), b: 1 });

/**
 * The portfolio of highest expected return in the set: the set is a (shifted) polymatroid, where
 * filling symbols greedily in order of return is optimal.
 */
export function maxReturnPortfolio(mu: readonly number[], c: WeightConstraints): number[] {
  const w = [...c.lower];
  let room = 1 - w.reduce((a, b) => a + b, 0);
  const sectorOf = new Map<number, { left: number }>();
  for (const cap of c.sectorCaps) {
    const left = { left: cap.max - cap.members.reduce((a, i) => a + (c.lower[i] as number), 0) };
    for (const i of cap.members) sectorOf.set(i, left);
  }
  const order = mu.map((_, i) => i).sort((a, b) => (mu[b] as number) - (mu[a] as number));
  for (const i of order) {
    if (room <= 0) break;
    const sector = sectorOf.get(i);
    const add = Math.max(0, Math.min((c.upper[i] as number) - (w[i] as number), room, sector ? sector.left : Infinity));
    w[i] = (w[i] as number) + add;
    room -= add;
    if (sector) sector.left -= add;
  }
  return w;
}

/**
 * The feasible weights nearest (least squares) to `target`: how the heuristic methods (equal weight,
 * inverse volatility, risk parity, HRP), which have no constraints of their own, honour the bounds.
 */
export function projectOntoConstraints(target: readonly number[], c: WeightConstraints): number[] {
  const n = target.length;
  const D = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : 0)));
  const outcome = solveQuadratic({ D, d: target.map((t) => 2 * t), equalities: [sumToOne(n)], inequalities: weightInequalities(c) });
  if (!outcome.ok) throw new PortfolioInputError("infeasible_bounds", "no weights satisfy the bounds and sector caps together");
  return cleanWeights(outcome.x);
}

/** Clears the solver's round-off (−1e-17 for a zero weight) and renormalises to Σw = 1. */
export function cleanWeights(w: readonly number[]): number[] {
  const clipped = w.map((x) => (x < 0 ? 0 : x));
  const sum = clipped.reduce((a, b) => a + b, 0);
  return clipped.map((x) => x / sum);
}
