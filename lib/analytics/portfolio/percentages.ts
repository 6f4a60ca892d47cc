/**
 * Weights as the percentages a saved allocation stores (portfolio_allocations.allocation_pct, 0–100):
 * rounded to `decimals` places so that they add up to exactly 100, by the largest-remainder method in
 * decimal.js (each percentage is floored, then the units still missing go to the largest remainders,
 * ties to the earlier symbol). No percentage moves by more than one unit of the last place.
 */
import Decimal from "decimal.js";

export function percentagesSummingTo100(weights: readonly number[], decimals = 2): string[] {
  if (weights.length === 0) return [];
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) throw new RangeError("weights must be finite and ≥ 0");
  const total = weights.reduce((a, b) => a.plus(b), new Decimal(0));
  if (total.lte(0)) throw new RangeError("the weights add up to 0");
  const unit = new Decimal(10).pow(-decimals);
  const units = new Decimal(100).div(unit); // 10,000 units of 0.01 %
  const exact = weights.map((w) => new Decimal(w).div(total).times(units));
  const floors = exact.map((e) => e.floor());
  let missing = units.minus(floors.reduce((a, b) => a.plus(b), new Decimal(0))).toNumber();
  const order = exact.map((e, i) => ({ i, rest: e.minus(floors[i] as Decimal) })).sort((a, b) => b.rest.comparedTo(a.rest) || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i] = (floors[i] as Decimal).plus(1);
    missing--;
  }
  return floors.map((f) => f.times(unit).toFixed(decimals));
}
