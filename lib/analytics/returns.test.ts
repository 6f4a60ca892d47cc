import { describe, expect, it } from "vitest";
import { logReturns, rollingVolatility, simpleReturns } from "./returns";

describe("returns", () => {
  it("simple and log returns start at bar 1", () => {
    const s = simpleReturns([100, 110, 99]);
    expect(Number.isNaN(s[0])).toBe(true);
    expect(s[1]).toBeCloseTo(0.1, 12);
    expect(s[2]).toBeCloseTo(-0.1, 12);
    const l = logReturns([100, 110, 99]);
    expect(l[1]).toBeCloseTo(Math.log(1.1), 12);
    expect(l[2]).toBeCloseTo(Math.log(0.9), 12);
  });
  it("refuses prices that give no return", () => {
    expect(() => logReturns([1, 0])).toThrow(/prices\[1\] is 0: log returns need prices > 0/);
    expect(() => simpleReturns([0, 1])).toThrow(/prices\[0\] is 0/);
    expect(() => simpleReturns([1, NaN])).toThrow(/not a finite number/);
  });
});

describe("rollingVolatility", () => {
  it("is the sample SD of the last n log returns, from bar n", () => {
    // Prices e^0, e^0.1, e^0, e^0.1: log returns 0.1, −0.1, 0.1. Window 2 over (0.1, −0.1): mean 0, SD √(0.02/1).
    const p = [0, 0.1, 0, 0.1].map(Math.exp);
    const v = rollingVolatility(p, 2);
    expect(Number.isNaN(v[1])).toBe(true);
    expect(v[2]).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(v[3]).toBeCloseTo(Math.sqrt(0.02), 12);
  });
  it("annualises with √252 by default when asked", () => {
    const p = [0, 0.1, 0].map(Math.exp);
    expect(rollingVolatility(p, 2, { annualise: true })[2]).toBeCloseTo(Math.sqrt(0.02) * Math.sqrt(252), 10);
    expect(rollingVolatility(p, 2, { annualise: true, periodsPerYear: 4 })[2]).toBeCloseTo(Math.sqrt(0.02) * 2, 10);
  });
  it("needs a window of at least 2", () => {
    expect(() => rollingVolatility([1, 2, 3], 1)).toThrow(/volatility window must be an integer ≥ 2/);
  });
});
