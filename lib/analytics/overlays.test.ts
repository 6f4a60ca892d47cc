import { describe, expect, it } from "vitest";
import talib from "./fixtures/talib_reference_252.json";
import { bollinger, ema, macd, rsi, sma } from "./overlays";

const { close } = talib.input;
const expected = talib.expected_series;

/** The chart's shape (null in the warm-up) and TA-Lib's values, within 1e-6 relative. */
function expectPane(actual: (number | null)[], reference: (number | null)[]) {
  expect(actual.map((v) => v === null)).toEqual(reference.map((v) => v === null));
  reference.forEach((want, i) => {
    if (want !== null) expect(Math.abs((actual[i] as number) - want), `bar ${i}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
  });
}

describe("indicator panes against TA-Lib's reference series (252 bars)", () => {
  it("RSI 14: null for the first 14 bars, then Wilder's values", () => {
    const out = rsi(close, 14);
    expect(out.slice(0, 14).every((v) => v === null)).toBe(true);
    expectPane(out, expected.rsi_14);
    // TA-Lib's published anchor (test_rsi.c), bar 14.
    expect(out[14]).toBeCloseTo(talib.talib_anchor_values.rsi_14.values["14"], 10);
  });
  it("MACD 12, 26, 9: line, signal and histogram from bar 33", () => {
    const out = macd(close, 12, 26, 9);
    expectPane(out.macd, expected.macd_12_26_9);
    expectPane(out.signal, expected.macd_signal_12_26_9);
    expectPane(out.histogram, expected.macd_hist_12_26_9);
    expect(out.macd[32]).toBeNull();
    expect(out.macd[33]).toBeCloseTo(-1.9738, 3);
  });
  it("refuses periods that are not positive integers, and a fast period not shorter than the slow", () => {
    expect(() => rsi(close, 0)).toThrow(RangeError);
    expect(() => macd(close, 26, 12, 9)).toThrow(RangeError);
    expect(() => macd(close, 12, 26, 1.5)).toThrow(RangeError);
  });
});

describe("sma", () => {
  it("averages the last n values, null until the window is full", () => {
    expect(sma([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4]);
    expect(sma([10, 20], 1)).toEqual([10, 20]);
    expect(sma([1, 2], 3)).toEqual([null, null]);
  });
  it("refuses a period that is not a positive integer", () => {
    expect(() => sma([1], 0)).toThrow(RangeError);
    expect(() => sma([1], 2.5)).toThrow(RangeError);
  });
});

describe("ema", () => {
  it("is seeded with the SMA and then weights by 2/(n+1)", () => {
    // period 3: k = 0.5; seed = mean(1,2,3) = 2; then 4*0.5+2*0.5 = 3; 5*0.5+3*0.5 = 4; 10*0.5+4*0.5 = 7.
    expect(ema([1, 2, 3, 4, 5, 10], 3)).toEqual([null, null, 2, 3, 4, 7]);
  });
  it("matches a hand computation with k = 1/3 (period 5)", () => {
    const out = ema([22, 24, 23, 25, 26, 28], 5);
    expect(out.slice(0, 4)).toEqual([null, null, null, null]);
    expect(out[4]).toBeCloseTo(24, 12);
    expect(out[5]).toBeCloseTo(28 / 3 + (24 * 2) / 3, 12); // 25.333…
  });
  it("is all null when there are fewer values than the period", () => {
    expect(ema([1, 2], 3)).toEqual([null, null]);
  });
});

describe("bollinger", () => {
  it("uses the population standard deviation around the SMA", () => {
    // window [2,4,4,4,5,5,7,9]: mean 5, population SD 2.
    const b = bollinger([2, 4, 4, 4, 5, 5, 7, 9], 8, 2);
    expect(b.middle[7]).toBe(5);
    expect(b.upper[7]).toBe(9);
    expect(b.lower[7]).toBe(1);
    expect(b.upper[6]).toBeNull();
  });
  it("collapses to the mean on a flat series", () => {
    const b = bollinger([3, 3, 3], 2, 2);
    expect(b).toEqual({ middle: [null, 3, 3], upper: [null, 3, 3], lower: [null, 3, 3] });
  });
});
