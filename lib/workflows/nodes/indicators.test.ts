import { describe, expect, it } from "vitest";
import { atrNode, bollingerNode, emaNode, macdNode, returnsNode, rsiNode, smaNode, volatilityNode } from "./indicators";
import { bars, series, testContext } from "./test-context";
import { barsPerTradingDay } from "../../analytics/annualise";

const run = (node: typeof smaNode, inputs: Record<string, unknown>, params: unknown) => node.execute(inputs, node.params.parse(params), testContext());
const values = (out: unknown, port = "series", symbol = "HPG") => (out as Record<string, Record<string, { values: number[] }>>)[port]![symbol]!.values;

describe("indicator nodes", () => {
  it("SMA per symbol, keeping times and warm-up", async () => {
    const out = await run(smaNode, { series: series({ HPG: [1, 2, 3, 4], VCB: [10, 20, 30, 40] }) }, { period: 2 });
    expect(values(out)).toEqual([NaN, 1.5, 2.5, 3.5]);
    expect(values(out, "series", "VCB")).toEqual([NaN, 15, 25, 35]);
  });
  it("an indicator of an indicator starts after the first one's warm-up (SMA of SMA)", async () => {
    const first = await run(smaNode, { series: series({ HPG: [1, 2, 3, 4, 5] }) }, { period: 2 });
    const out = await run(smaNode, { series: first.series }, { period: 2 });
    expect(values(out)).toEqual([NaN, NaN, 2, 3, 4]);
  });
  it("EMA seeded with the SMA: k = 0.5 for period 3", async () => {
    expect(values(await run(emaNode, { series: series({ HPG: [1, 2, 3, 4, 5, 10] }) }, { period: 3 }))).toEqual([NaN, NaN, 2, 3, 4, 7]);
  });
  it("RSI(1): a gain is 100, a loss 0", async () => {
    expect(values(await run(rsiNode, { series: series({ HPG: [1, 2, 1] }) }, { period: 1 }))).toEqual([NaN, 100, 0]);
  });
  it("MACD(1,2,1): line = EMA1 − EMA2, signal = line, histogram 0", async () => {
    // EMA1 = price; EMA2 (k = 2/3) seeded with mean(1,3) = 2 at bar 1, then 5·2/3 + 2/3 = 4 at bar 2.
    const out = await run(macdNode, { series: series({ HPG: [1, 3, 5] }) }, { fast: 1, slow: 2, signal: 1 });
    expect(values(out, "macd")).toEqual([NaN, 1, 1]);
    expect(values(out, "signal")).toEqual([NaN, 1, 1]);
    expect(values(out, "histogram")).toEqual([NaN, 0, 0]);
    expect(macdNode.params.safeParse({ fast: 26, slow: 12 }).success).toBe(false);
  });
  it("Bollinger: flat prices collapse the bands to the mean", async () => {
    const out = await run(bollingerNode, { series: series({ HPG: [3, 3, 3] }) }, { period: 2 });
    expect(values(out, "upper")).toEqual([NaN, 3, 3]);
    expect(values(out, "lower")).toEqual([NaN, 3, 3]);
  });
  it("ATR(1) of bars 1 apart with a spread of 1 on each side: TR = 2", async () => {
    const out = await run(atrNode, { candles: { HPG: bars([10, 11, 12]) } }, { period: 1 });
    expect(values(out)).toEqual([NaN, 2, 2]);
  });
  it("returns, simple and log", async () => {
    expect(values(await run(returnsNode, { series: series({ HPG: [100, 110] }) }, {}))[1]).toBeCloseTo(0.1, 12);
    expect(values(await run(returnsNode, { series: series({ HPG: [100, 110] }) }, { kind: "log" }))[1]).toBeCloseTo(Math.log(1.1), 12);
  });
  it("rolling volatility per bar when not annualised", async () => {
    const out = await run(volatilityNode, { series: series({ HPG: [0, 0.1, 0].map(Math.exp) }) }, { window: 2, annualise: false });
    expect(values(out)[2]).toBeCloseTo(Math.sqrt(0.02), 12);
  });
  it("a bad value fails the node with the indicator's message", () => {
    expect(() => run(smaNode, { series: series({ HPG: [1, 2, NaN, 4] }) }, { period: 2 })).toThrow(/not a finite number/);
  });
});

describe("rolling volatility annualises by the bars of its input", () => {
  // Log returns alternating +a, −a: over a window of 4 the mean is 0 and the sample variance 4a²/3.
  const a = 0.01;
  const prices = [0, a, 0, a, 0].map(Math.exp);
  const perBar = a * Math.sqrt(4 / 3);
  const nineAm = Date.UTC(2026, 0, 6, 2);
  const hourly = { HPG: { times: [0, 1, 2, 4, 5].map((h) => nineAm + h * 3_600_000), values: prices, resolution: "1h" as const } };

  it("hourly bars: √(5 hourly bars a HOSE day × 252 days) = √1260, and the node says so", async () => {
    const out = await run(volatilityNode, { series: hourly }, { window: 4 });
    expect(values(out)[4]).toBeCloseTo(perBar * Math.sqrt(1260), 12);
    // The case: 0.189 with √252 on hourly bars is about 0.42 once annualised by the hourly factor.
    expect(0.189 * Math.sqrt(1260 / 252)).toBeCloseTo(0.4226, 4);
    expect(out.info).toEqual({ resolution: "1h", barsPerYear: 1260, annualisedBy: "√1260 (5 bars a trading day on HOSE × 252 trading days)" });
  });
  it("daily bars keep √252; an explicit bars per year overrides; a series of unknown bars is taken as daily and says so", async () => {
    const dailyOut = await run(volatilityNode, { series: { HPG: { ...hourly.HPG, resolution: "1D" as const } } }, { window: 4 });
    expect(values(dailyOut)[4]).toBeCloseTo(perBar * Math.sqrt(252), 12);
    const override = await run(volatilityNode, { series: hourly }, { window: 4, periodsPerYear: 100 });
    expect(values(override)[4]).toBeCloseTo(perBar * 10, 12);
    expect(override.info).toMatchObject({ barsPerYear: 100, annualisedBy: "√100 (set on the node)" });
    const unknown = await run(volatilityNode, { series: series({ HPG: prices }) }, { window: 4 });
    expect(values(unknown)[4]).toBeCloseTo(perBar * Math.sqrt(252), 12);
    expect(unknown.info).toMatchObject({ barsPerYear: 252, annualisedBy: expect.stringMatching(/resolution unknown: taken as daily/) });
  });
  it("bars a trading day counted from the sessions", () => {
    expect(barsPerTradingDay("HOSE", "1h")).toBe(5);
    expect(barsPerTradingDay("HOSE", "1m")).toBe(226); // 09:15–11:30, 13:00–14:30 and the 14:45 closing bar
    expect(barsPerTradingDay("HOSE", "15m")).toBe(16);
    expect(barsPerTradingDay("UPCOM", "15m")).toBe(18);
    expect(barsPerTradingDay("HNX", "1D")).toBe(1);
  });
});
