import { describe, expect, it } from "vitest";
import { andNode, compareNode, crossNode, notNode, orNode, rankNode, thresholdNode } from "./logic";
import { alertNode, signalListNode } from "./outputs";
import { DAY, series, T0, testContext } from "./test-context";

const run = (node: typeof compareNode, inputs: Record<string, unknown>, params: unknown = {}) => node.execute(inputs, node.params.parse(params), testContext());
const cond = (out: unknown, symbol = "HPG") => (out as { condition: Record<string, { values: boolean[] }> }).condition[symbol]!.values;
const bools = (values: Record<string, boolean[]>) => Object.fromEntries(Object.entries(values).map(([s, v]) => [s, { times: v.map((_, i) => T0 + i * DAY), values: v }]));

describe("logic nodes", () => {
  it("compare joins on bar times and leaves warm-up (NaN) bars out", async () => {
    const a = series({ HPG: [1, 5, 3, 1] });
    const b = { HPG: { times: [T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY], values: [NaN, 2, 2] } };
    const out = await run(compareNode, { a, b }, { operator: ">" });
    expect(out.condition).toEqual({ HPG: { times: [T0 + 2 * DAY, T0 + 3 * DAY], values: [true, false] } });
  });
  it("compare pairs only the bars both sides have, whichever side misses one", async () => {
    const t = (i: number) => T0 + i * DAY;
    const a = { HPG: { times: [t(0), t(1), t(3), t(4), t(6)], values: [1, 5, 3, 1, 9] } };
    const b = { HPG: { times: [t(1), t(2), t(3), t(5), t(6)], values: [2, 2, 2, 2, 2] }, VCB: { times: [t(1)], values: [1] } };
    const out = await run(compareNode, { a, b }, { operator: ">" });
    expect(out.condition).toEqual({ HPG: { times: [t(1), t(3), t(6)], values: [true, true, true] } });
    // A cross compares with the previous bar both sides had, across the gaps.
    expect((await run(crossNode, { a: { HPG: { times: [t(0), t(2), t(3)], values: [1, 9, 3] } }, b: { HPG: { times: [t(0), t(1), t(3)], values: [2, 2, 2] } } }, { direction: "above" })).condition).toEqual({
      HPG: { times: [t(0), t(3)], values: [false, true] },
    });
  });
  it("threshold against a level; NOT of it is not true over the warm-up", async () => {
    const out = await run(thresholdNode, { series: series({ HPG: [NaN, 20, 35, 29.9] }) }, { operator: "<", level: 30 });
    expect(out.condition).toEqual({ HPG: { times: [1, 2, 3].map((i) => T0 + i * DAY), values: [true, false, true] } });
    expect(cond(await run(notNode, { a: out.condition }))).toEqual([false, true, false]);
    expect(thresholdNode.params.safeParse({ operator: "<" }).success).toBe(false);
  });
  it("crosses above and below, only on the crossing bar", async () => {
    const a = series({ HPG: [1, 2, 3, 2, 1] });
    const b = series({ HPG: [2, 2, 2, 2, 2] });
    expect(cond(await run(crossNode, { a, b }, { direction: "above" }))).toEqual([false, false, true, false, false]);
    expect(cond(await run(crossNode, { a, b }, { direction: "below" }))).toEqual([false, false, false, false, true]);
  });
  it("AND, OR, NOT", async () => {
    const a = bools({ HPG: [true, true, false, false] });
    const b = bools({ HPG: [true, false, true, false] });
    expect(cond(await run(andNode, { a, b }))).toEqual([true, false, false, false]);
    expect(cond(await run(orNode, { a, b }))).toEqual([true, true, true, false]);
    expect(cond(await run(notNode, { a }))).toEqual([false, false, true, true]);
  });
  it("rank keeps the top N by latest value, skipping warm-up, ties by symbol", async () => {
    const s = series({ HPG: [1, 30], VCB: [1, 50], FPT: [1, NaN], MWG: [1, 30] });
    const out = await run(rankNode, { series: s }, { n: 2 });
    expect(out.table).toEqual([
      { rank: 1, symbol: "VCB", value: 50, time: "2026-01-06" },
      { rank: 2, symbol: "HPG", value: 30, time: "2026-01-06" },
    ]);
    expect(out.info).toEqual({ barTime: "2026-01-06", compared: 3, leftOut: ["FPT"] });
    expect(out.universe).toEqual({ symbols: ["VCB", "HPG"] });
    expect((await run(rankNode, { series: s }, { n: 1, order: "asc" })).universe).toEqual({ symbols: ["HPG"] });
  });
});

describe("output nodes", () => {
  const condition = bools({ HPG: [true, false, true], VCB: [true, true, false] });
  it("signal list: the latest bar by default, every true bar when asked", async () => {
    const latest = await run(signalListNode, { condition }, { reason: "RSI < 30" });
    // T0 is 00:00 in Vietnam: a daily bar even without a resolution, written as its date.
    expect(latest.signals).toEqual([{ symbol: "HPG", time: "2026-01-07", reason: "RSI < 30" }]);
    const all = await run(signalListNode, { condition }, { reason: "x", latestOnly: false });
    expect((all.signals as unknown[]).length).toBe(4);
  });
  it("alert names the symbols true on their latest bar, or is null", async () => {
    const out = await run(alertNode, { condition }, { title: "Oversold", severity: "warning" });
    expect(out.alert).toEqual({ title: "Oversold", severity: "warning", message: "", symbols: ["HPG"], at: "2026-11-26T15:00:00+07:00", barTime: "2026-01-07", leftOut: [] });
    expect((await run(alertNode, { condition: bools({ HPG: [false] }) }, { title: "t" })).alert).toBeNull();
    expect(alertNode.params.safeParse({}).success).toBe(false);
  });
});

const daily = <T>(values: Record<string, T[]>, offset: Record<string, number> = {}) =>
  Object.fromEntries(Object.entries(values).map(([s, v]) => [s, { times: v.map((_, i) => T0 + (i + (offset[s] ?? 0)) * DAY), values: v, resolution: "1D" as const }]));

describe("times in outputs are Vietnam time", () => {
  it("signal list: a daily bar as its Vietnamese date, an hourly bar with +07:00", async () => {
    const day = await run(signalListNode, { condition: daily({ HPG: [false, true] }) }, { reason: "r" });
    // 2026-01-05T17:00:00Z is Tuesday 6 Jan in Vietnam, not the 5th.
    expect(day.signals).toEqual([{ symbol: "HPG", time: "2026-01-06", reason: "r" }]);
    const nineAm = Date.UTC(2026, 0, 6, 2);
    const hourly = { HPG: { times: [nineAm, nineAm + 3_600_000], values: [true, true], resolution: "1h" as const } };
    const out = await run(signalListNode, { condition: hourly }, { reason: "r", latestOnly: false });
    expect((out.signals as { time: string }[]).map((r) => r.time)).toEqual(["2026-01-06T09:00:00+07:00", "2026-01-06T10:00:00+07:00"]);
  });
  it("alert: raised at a +07:00 time, for the bar of a daily series as its date", async () => {
    const out = await run(alertNode, { condition: daily({ HPG: [true, true] }) }, { title: "t" });
    expect(out.alert).toMatchObject({ at: "2026-11-26T15:00:00+07:00", barTime: "2026-01-06", symbols: ["HPG"] });
    expect((out.alert as { at: string }).at).toMatch(/\+07:00$/);
  });
});

describe("cross-symbol nodes compare values of the same bar time", () => {
  // VNINDEX's last bar is two days older than the stocks' (the index stopped updating).
  const misaligned = () => daily({ HPG: [10, 11, 12, 13], VCB: [50, 40, 30, 5], VNINDEX: [1000, 1200] });
  it("rank ranks at the latest bar time of most symbols and names those left out", async () => {
    const out = await run(rankNode, { series: misaligned() }, { n: 3 });
    expect(out.table).toEqual([
      { rank: 1, symbol: "HPG", value: 13, time: "2026-01-08" },
      { rank: 2, symbol: "VCB", value: 5, time: "2026-01-08" },
    ]);
    expect(out.universe).toEqual({ symbols: ["HPG", "VCB"] });
    expect(out.info).toEqual({ barTime: "2026-01-08", compared: 2, leftOut: ["VNINDEX"] });
  });
  it("rank does not follow one symbol's newer bar: the latest bar of most symbols wins, a tie goes to the later", async () => {
    const s = daily({ HPG: [1, 2, 3, 4], VCB: [9, 8, 7], FPT: [5, 6, 7] });
    const out = await run(rankNode, { series: s }, { n: 3 });
    // HPG has a bar on the 7th too, so it is compared there with the others.
    expect(out.table).toEqual([
      { rank: 1, symbol: "FPT", value: 7, time: "2026-01-07" },
      { rank: 2, symbol: "VCB", value: 7, time: "2026-01-07" },
      { rank: 3, symbol: "HPG", value: 3, time: "2026-01-07" },
    ]);
    expect(out.info).toEqual({ barTime: "2026-01-07", compared: 3, leftOut: [] });
    expect((await run(rankNode, { series: daily({ HPG: [1, 2, 3, 4], VCB: [9, 8, 7] }) }, {})).info).toEqual({ barTime: "2026-01-08", compared: 1, leftOut: ["VCB"] });
    // A warm-up (NaN) bar is no value: FPT has none at all.
    const warm = daily({ HPG: [1, 2], VCB: [NaN, 5], FPT: [NaN, NaN] });
    expect((await run(rankNode, { series: warm }, {})).info).toEqual({ barTime: "2026-01-06", compared: 2, leftOut: ["FPT"] });
  });
  it("alert names the symbols true at the common bar time, and those left out", async () => {
    const condition = daily({ HPG: [false, true, true], VCB: [true, false, false], VNINDEX: [true] });
    const out = await run(alertNode, { condition }, { title: "t" });
    expect(out.alert).toMatchObject({ symbols: ["HPG"], barTime: "2026-01-07", leftOut: ["VNINDEX"] });
  });
});
