import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LotSizingError } from "./errors";
import type { LotPlan, LotSizingInput } from "./lots";
import { sizeOrders } from "./lots";

/** Property runs are seeded: a failure prints its seed and path, and the same cases run every time. */
const PROPERTY = { seed: 20_260_512, numRuns: 60 } as const;

async function expectError(input: LotSizingInput, code: string, message: RegExp) {
  const error = await sizeOrders(input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LotSizingError);
  expect((error as LotSizingError).code).toBe(code);
  expect((error as Error).message).toMatch(message);
}

function assertExactTotals(plan: LotPlan, feeRate = new Decimal("0.0015"), lot = 100) {
  let invested = new Decimal(0);
  let fees = new Decimal(0);
  for (const line of plan.lines) {
    if (line.lots === 0 && line.price === "") continue;
    const value = new Decimal(line.price).times(line.lots).times(lot);
    expect(line.value).toBe(value.toFixed(0));
    expect(line.shares).toBe(line.lots * lot);
    expect(line.fee).toBe(value.times(feeRate).toDecimalPlaces(0, Decimal.ROUND_CEIL).toFixed(0));
    invested = invested.plus(line.value);
    fees = fees.plus(line.fee);
  }
  expect(plan.invested).toBe(invested.toFixed(0));
  expect(plan.fees).toBe(fees.toFixed(0));
  // capital = Σ lots × 100 × price + fees + leftover, to the đồng; never over the capital.
  expect(invested.plus(fees).plus(plan.leftover).toFixed(0)).toBe(plan.capital);
  expect(new Decimal(plan.leftover).gte(0)).toBe(true);
}

/** A HOSE/HNX-like price on the tick grid: 1,000–150,000 VND in steps of 100 (valid on every board). */
const price = fc.integer({ min: 10, max: 1500 }).map((k) => k * 100);

const universe = fc
  .array(fc.tuple(price, fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 25 })
  .filter((rows) => rows.some(([, w]) => w > 0))
  .map((rows) => {
    const total = rows.reduce((s, [, w]) => s + w, 0);
    const prices: Record<string, number> = {};
    const weights: Record<string, number> = {};
    rows.forEach(([p, w], i) => {
      prices[`S${i}`] = p;
      weights[`S${i}`] = w / total;
    });
    return { prices, weights };
  });

describe("orders in whole lots", () => {
  it("sizes a steel-and-bank portfolio for 1,000,000,000 VND to the đồng", async () => {
    const plan = await sizeOrders({ capitalVnd: "1000000000", weights: { HPG: 0.4, HSG: 0.35, VCB: 0.25 }, prices: { HPG: 25_950, HSG: 18_500, VCB: 88_800 }, exchanges: { HPG: "HOSE", HSG: "HOSE", VCB: "HOSE" } });
    expect(plan.lines.map((l) => [l.symbol, l.lots, l.value, l.fee])).toEqual([
      ["HPG", 154, "399630000", "599445"],
      ["HSG", 189, "349650000", "524475"],
      ["VCB", 28, "248640000", "372960"],
    ]);
    expect(plan).toMatchObject({ capital: "1000000000", invested: "997920000", fees: "1496880", leftover: "583120", optimal: true });
    expect(plan.distance.max).toBeLessThan(0.001);
    assertExactTotals(plan);
  });

  it("never spends more than the capital and its totals add up exactly (random cases, seeded)", async () => {
    await fc.assert(
      fc.asyncProperty(universe, fc.integer({ min: 200_000, max: 50_000_000_000 }), fc.constantFrom("0", "0.0015", "0.003"), async ({ prices, weights }, capital, fee) => {
        const cheapest = Math.min(...Object.keys(weights).filter((s) => (weights[s] as number) > 0).map((s) => prices[s] as number));
        fc.pre(capital >= cheapest * 100 * (1 + Number(fee)) + 1);
        const plan = await sizeOrders({ capitalVnd: String(capital), weights, prices, feeRate: fee });
        assertExactTotals(plan, new Decimal(fee));
        expect(plan.lines.filter((l) => l.targetWeight > 0)).toHaveLength(Object.values(weights).filter((w) => w > 0).length);
      }),
      PROPERTY,
    );
  });

  it("finds the same L1 distance as a brute force over every lot count (small random cases, seeded)", async () => {
    const small = fc.array(fc.tuple(fc.integer({ min: 50, max: 600 }).map((k) => k * 100), fc.integer({ min: 1, max: 100 })), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(small, fc.integer({ min: 600_000, max: 40_000_000 }), async (rows, capital) => {
        const cheapest = Math.min(...rows.map(([p]) => p));
        fc.pre(capital >= cheapest * 100 * 1.0015 + 1);
        const total = rows.reduce((s, [, w]) => s + w, 0);
        const prices = Object.fromEntries(rows.map(([p], i) => [`S${i}`, p]));
        const weights = Object.fromEntries(rows.map(([, w], i) => [`S${i}`, w / total]));
        const plan = await sizeOrders({ capitalVnd: String(capital), weights, prices });
        const fee = new Decimal("0.0015");
        const target = rows.map(([, w]) => new Decimal(capital).times(w / total).div(fee.plus(1)).toNumber());
        const l1 = (lots: number[]) => lots.reduce((s, x, i) => s + Math.abs((target[i] as number) - x * 100 * (rows[i]?.[0] as number)), 0);
        // The budget the solver works with: the capital less one đồng a line for the rounded-up fees.
        const fits = (lots: number[]) => lots.reduce((s, x, i) => s.plus(new Decimal(x * 100 * (rows[i]?.[0] as number)).times(fee.plus(1))), new Decimal(0)).lte(capital - rows.length);
        let best = Infinity;
        const walk = (i: number, lots: number[]) => {
          if (!fits(lots)) return;
          if (i === rows.length) {
            best = Math.min(best, l1(lots));
            return;
          }
          for (let x = 0; fits([...lots, x]); x++) walk(i + 1, [...lots, x]);
        };
        walk(0, []);
        const ours = l1(plan.lines.map((l) => l.lots));
        expect(ours).toBeLessThanOrEqual(best + 1e-6 * capital);
      }),
      { ...PROPERTY, numRuns: 40 },
    );
  });

  it("lists a symbol with a target of 0 without an order", async () => {
    const plan = await sizeOrders({ capitalVnd: 10_000_000, weights: { HPG: 1, VNM: 0 }, prices: { HPG: 25_950 } });
    expect(plan.lines.find((l) => l.symbol === "VNM")).toMatchObject({ lots: 0, value: "0", fee: "0" });
    assertExactTotals(plan);
  });
});

describe("bad input for the lot sizing", () => {
  const prices = { HPG: 25_950, VCB: 88_800 };
  const weights = { HPG: 0.5, VCB: 0.5 };
  it("zero or negative capital, fractional đồng", async () => {
    await expectError({ capitalVnd: 0, weights, prices }, "invalid_capital", /capital must be more than 0 VND, got 0/);
    await expectError({ capitalVnd: "-5000000", weights, prices }, "invalid_capital", /more than 0 VND, got -5000000/);
    await expectError({ capitalVnd: "1000000.5", weights, prices }, "invalid_capital", /whole đồng/);
    await expectError({ capitalVnd: "lots", weights, prices }, "invalid_capital", /capital is not a number/);
  });
  it("capital below one lot of the cheapest symbol", async () => {
    await expectError({ capitalVnd: 2_598_000, weights, prices }, "capital_below_one_lot", /less than one lot of the cheapest symbol, HPG \(100 × 25,950 VND \+ fee = 2,598,893 VND\)/);
  });
  it("a symbol without a price, a price off the tick grid, weights that do not add to 1", async () => {
    await expectError({ capitalVnd: 1e9, weights: { ...weights, FPT: 0 }, prices: {} }, "missing_price", /no price today for HPG, VCB/);
    await expectError({ capitalVnd: 1e9, weights, prices: { HPG: 25_960, VCB: 88_800 }, exchanges: { HPG: "HOSE" } }, "invalid_price", /HPG's price 25960 is not on the HOSE tick grid/);
    await expectError({ capitalVnd: 1e9, weights, prices: { HPG: -1, VCB: 88_800 } }, "invalid_price", /HPG's price must be a positive whole number of VND/);
    await expectError({ capitalVnd: 1e9, weights: { HPG: 0.5, VCB: 0.4 }, prices }, "invalid_weights", /add up to 0.9, not 1/);
    await expectError({ capitalVnd: 1e9, weights: { HPG: 1.5, VCB: -0.5 }, prices }, "invalid_weights", /VCB's weight must be a number ≥ 0/);
  });
});
