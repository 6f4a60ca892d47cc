import { describe, expect, it } from "vitest";
import talib from "./fixtures/talib_reference_252.json";
import ti from "./fixtures/technicalindicators_fixtures.json";
import ts from "./fixtures/trading_signals_fixtures.json";
import { atr, bollinger, ema, IndicatorInputError, macd, rsi, sma, trueRange } from "./indicators";

const { close, high, low } = talib.input;
const anchors = talib.talib_anchor_values;
const expected = talib.expected_series;

/** Same warm-up bars (NaN ↔ null) and every value within 1e-6 relative. */
function expectSeries(actual: number[], reference: (number | null)[]) {
  expect(actual).toHaveLength(reference.length);
  reference.forEach((want, i) => {
    if (want === null) {
      expect(Number.isNaN(actual[i]), `bar ${i} should be warm-up`).toBe(true);
    } else {
      const got = actual[i] as number;
      expect(Math.abs(got - want), `bar ${i}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
    }
  });
}

/** TA-Lib's tables are truncated to the digits shown: the true value lies within one unit of the last digit. */
function expectPublished(actual: number, published: number) {
  const decimals = (String(published).split(".")[1] ?? "").length;
  expect(Math.abs(actual - published), `${actual} vs published ${published}`).toBeLessThan(10 ** -decimals);
}

function expectAnchors(actual: number[], values: Record<string, number>) {
  for (const [bar, want] of Object.entries(values)) expectPublished(actual[Number(bar)] as number, want);
}

describe("TA-Lib reference series (252 bars)", () => {
  it("SMA", () => {
    expectSeries(sma(close, 20), expected.sma_20);
    expectSeries(sma(close, 30), expected.sma_30);
    expectAnchors(sma(close, 30), anchors.sma_30.values);
    expectAnchors(sma(close, 2), anchors.sma_2.values);
  });
  it("EMA seeded with the SMA", () => {
    expectSeries(ema(close, 10), expected.ema_10);
    expectSeries(ema(close, 20), expected.ema_20);
    expectAnchors(ema(close, 10), anchors.ema_10.values);
    expectAnchors(ema(close, 2), anchors.ema_2.values);
  });
  it("RSI (Wilder), matching the full-precision anchors to 1e-12", () => {
    const out = rsi(close, 14);
    expectSeries(out, expected.rsi_14);
    for (const [bar, want] of Object.entries(anchors.rsi_14.values)) expect(out[Number(bar)]).toBeCloseTo(want, 12);
  });
  it("MACD(12,26,9) with TA-Lib's fast-EMA seeding", () => {
    const out = macd(close);
    expectSeries(out.macd, expected.macd_12_26_9);
    expectSeries(out.signal, expected.macd_signal_12_26_9);
    expectSeries(out.histogram, expected.macd_hist_12_26_9);
    const a = anchors.macd_12_26_9.values["33"];
    expectPublished(out.macd[33] as number, a.macd);
    expectPublished(out.signal[33] as number, a.signal);
    expectPublished(out.histogram[33] as number, a.hist);
  });
  it("MACD textbook seeding differs at bar 33 as the conventions note says", () => {
    const out = macd(close, { seed: "textbook" });
    expectPublished(out.macd[33] as number, -2.1835);
    expectPublished(out.signal[33] as number, -3.1552);
    expect(Number.isNaN(out.macd[24])).toBe(true);
    expect(Number.isNaN(out.macd[25])).toBe(false); // the line starts at slow − 1
    // The seed's weight decays: by the last bar both variants agree closely.
    expect(out.macd[251]).toBeCloseTo(macd(close).macd[251] as number, 6);
  });
  it("Bollinger Bands (population SD)", () => {
    const out = bollinger(close, 20, 2);
    expectSeries(out.upper, expected.bb_upper_20_2);
    expectSeries(out.middle, expected.bb_middle_20_2);
    expectSeries(out.lower, expected.bb_lower_20_2);
    const a = anchors.bbands_20_2_sma.values["19"];
    expectPublished(out.upper[19] as number, a.upper);
    expectPublished(out.middle[19] as number, a.middle);
    expectPublished(out.lower[19] as number, a.lower);
  });
  it("TR and ATR (Wilder, TA-Lib seeding), and NATR's anchors", () => {
    const bars = { high, low, close };
    expectSeries(trueRange(bars), expected.true_range);
    const out = atr(bars, 14);
    expectSeries(out, expected.atr_14);
    expectAnchors(out, anchors.natr_14.implied_atr_14);
    const natr = out.map((v, i) => (v / (close[i] as number)) * 100);
    expectAnchors(natr, anchors.natr_14.values);
  });
});

/** Drops the warm-up bars: the package fixtures list outputs from the first full window. */
const defined = (xs: number[]) => xs.filter((x) => !Number.isNaN(x));

function expectClose(actual: number[], want: number[], tolerance: number) {
  expect(actual).toHaveLength(want.length);
  want.forEach((w, i) => expect(Math.abs((actual[i] as number) - w), `index ${i}`).toBeLessThanOrEqual(tolerance));
}

describe("technicalindicators fixtures", () => {
  const c = ti.shared_close;
  it("SMA and EMA", () => {
    expectClose(defined(sma(c, ti.sma.period)), ti.sma.expected, 1e-9);
    expectClose(defined(sma(ti.sma.extra_case.input, 4)), ti.sma.extra_case.expected, 1e-12);
    expectClose(defined(ema(c, ti.ema.period)), ti.ema.expected, 1e-9);
  });
  it("RSI, rounded to 2 dp as the library does", () => {
    expectClose(defined(rsi(ti.rsi.input, 14)), ti.rsi.expected_rounded_2dp, 0.005 + 1e-9);
    expectClose(defined(rsi(ti.rsi.no_gains_case.input, 14)), ti.rsi.no_gains_case.expected_rounded_2dp, 0.005 + 1e-9);
  });
  it("MACD(5,8,3) with textbook seeding", () => {
    const out = macd(c, { fast: 5, slow: 8, signal: 3, seed: "textbook" });
    const first = 7;
    ti.macd.expected.forEach((row, j) => {
      expect(out.macd[first + j]).toBeCloseTo(row.MACD, 9);
      if (row.signal === null) expect(Number.isNaN(out.signal[first + j])).toBe(true);
      else {
        expect(out.signal[first + j]).toBeCloseTo(row.signal, 9);
        expect(out.histogram[first + j]).toBeCloseTo(row.histogram as number, 9);
      }
    });
  });
  it("Bollinger Bands(10, 2)", () => {
    const out = bollinger(c, 10, 2);
    expectClose(defined(out.upper), ti.bollinger.expected.map((r) => r.upper), 1e-9);
    expectClose(defined(out.middle), ti.bollinger.expected.map((r) => r.middle), 1e-9);
    expectClose(defined(out.lower), ti.bollinger.expected.map((r) => r.lower), 1e-9);
  });
  it("ATR(14)", () => {
    expectClose(defined(atr(ti.atr, 14)), ti.atr.expected, 1e-9);
  });
});

describe("trading-signals fixtures", () => {
  it("Bollinger Bands(20, 2) to the 12 decimals of the fixture", () => {
    const f = ts.bollinger_20_2;
    const out = bollinger(f.prices, 20, 2);
    for (const [mine, theirs] of [
      [out.upper, f.upper],
      [out.middle, f.middle],
      [out.lower, f.lower],
    ] as const) {
      theirs.forEach((want, i) => {
        if (want === null) expect(Number.isNaN(mine[i])).toBe(true);
        else expect(Math.abs((mine[i] as number) - want)).toBeLessThan(1e-11);
      });
    }
  });
  it("Tulip's RSI(5) to 3 dp", () => {
    const out = rsi(ts.tulip_close_15, 5).slice(ts.rsi_5_tulip.first_bar);
    expect(out.map((v) => v.toFixed(3))).toEqual(ts.rsi_5_tulip.expected_3dp);
  });
  it("Tulip's MACD(2,5,9) with EMAs seeded by the first value, to 2 dp", () => {
    const f = ts.macd_2_5_9_tulip;
    const out = macd(ts.tulip_close_15, { fast: f.short, slow: f.long, signal: f.signal, seed: "first" });
    const from = f.first_bar;
    expectClose(out.macd.slice(from), f.macd_2dp.map(Number), 0.005 + 1e-9);
    expectClose(out.signal.slice(from), f.signal_2dp.map(Number), 0.005 + 1e-9);
    expectClose(out.histogram.slice(from), f.histogram_2dp.map(Number), 0.005 + 1e-9);
  });
  it("EMA seeded with the first value starts at bar 0", () => {
    // k = 0.5: 1, (2−1)·0.5+1 = 1.5, (3−1.5)·0.5+1.5 = 2.25
    expect(ema([1, 2, 3], 3, { seed: "first" })).toEqual([1, 1.5, 2.25]);
  });
});

describe("bad input", () => {
  it("refuses windows below 1 and non-integers", () => {
    expect(() => sma([1, 2], 0)).toThrow(/SMA period must be an integer ≥ 1, got 0/);
    expect(() => ema([1, 2], 1.5)).toThrow(IndicatorInputError);
    expect(() => rsi([1, 2], -1)).toThrow(IndicatorInputError);
    expect(() => macd([1, 2], { fast: 26, slow: 12 })).toThrow(/must be shorter/);
  });
  it("refuses non-finite values, naming the bar", () => {
    expect(() => sma([1, NaN, 3], 2)).toThrow(/SMA input\[1\] is not a finite number \(NaN\)/);
    expect(() => atr({ high: [2, Infinity], low: [1, 1], close: [1, 1] }, 1)).toThrow(/ATR high\[1\]/);
    expect(() => atr({ high: [2], low: [1, 1], close: [1, 1] }, 1)).toThrow(/same length/);
  });
  it("is all warm-up when the series is shorter than the lookback", () => {
    expect(rsi([1, 2, 3], 14).every(Number.isNaN)).toBe(true);
    expect(macd([1, 2, 3]).signal.every(Number.isNaN)).toBe(true);
    expect(atr({ high: [2, 3], low: [1, 2], close: [1, 2] }, 14).every(Number.isNaN)).toBe(true);
  });
  it("gives RSI 0 on a flat window (TA-Lib) and 100 with gains only", () => {
    expect(rsi([5, 5, 5], 2)[2]).toBe(0);
    expect(rsi([1, 2, 3], 2)[2]).toBe(100);
  });
});
