import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { uniformDraws } from "@/test/synthetic-daily-series";
import { percentagesSummingTo100 } from "./percentages";

describe("percentagesSummingTo100", () => {
  it("adds up to exactly 100.00 and moves no weight by a unit of the last place or more, on 2,000 random allocations", () => {
    const draw = uniformDraws(7);
    for (let k = 0; k < 2000; k++) {
      const n = 2 + Math.floor(draw() * 60);
      const raw: number[] = Array.from({ length: n }, () => (draw() < 0.2 ? 0 : draw() ** 3));
      if (!raw.some((x) => x > 0)) raw[0] = 1;
      const total = raw.reduce((a, b) => a + b, 0);
      const pcts = percentagesSummingTo100(raw);
      expect(pcts.reduce((s, p) => s.plus(p), new Decimal(0)).toFixed(2)).toBe("100.00");
      pcts.forEach((p, i) => {
        expect(p).toMatch(/^\d{1,3}\.\d{2}$/);
        expect(Math.abs(Number(p) - ((raw[i] as number) / total) * 100)).toBeLessThan(0.01);
      });
    }
  });

  it("splits a three-way tie as 33.34, 33.33, 33.33 (the earlier symbol first) and keeps zeros at 0", () => {
    expect(percentagesSummingTo100([1, 1, 1])).toEqual(["33.34", "33.33", "33.33"]);
    expect(percentagesSummingTo100([0.5, 0, 0.5])).toEqual(["50.00", "0.00", "50.00"]);
  });

  it("refuses weights that are negative, not numbers, or all zero", () => {
    expect(() => percentagesSummingTo100([1, -0.1])).toThrow(RangeError);
    expect(() => percentagesSummingTo100([Number.NaN, 1])).toThrow(RangeError);
    expect(() => percentagesSummingTo100([0, 0])).toThrow(/add up to 0/);
  });
});
