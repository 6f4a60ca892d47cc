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
      { rank: 1, symbol: "VCB", value: 50 },
      { rank: 2, symbol: "HPG", value: 30 },
    ]);
    expect(out.universe).toEqual({ symbols: ["VCB", "HPG"] });
    expect((await run(rankNode, { series: s }, { n: 1, order: "asc" })).universe).toEqual({ symbols: ["HPG"] });
  });
});

describe("output nodes", () => {
  const condition = bools({ HPG: [true, false, true], VCB: [true, true, false] });
  it("signal list: the latest bar by default, every true bar when asked", async () => {
    const latest = await run(signalListNode, { condition }, { reason: "RSI < 30" });
    expect(latest.signals).toEqual([{ symbol: "HPG", time: new Date(T0 + 2 * DAY).toISOString(), reason: "RSI < 30" }]);
    const all = await run(signalListNode, { condition }, { reason: "x", latestOnly: false });
    expect((all.signals as unknown[]).length).toBe(4);
  });
  it("alert names the symbols true on their latest bar, or is null", async () => {
    const out = await run(alertNode, { condition }, { title: "Oversold", severity: "warning" });
    expect(out.alert).toEqual({ title: "Oversold", severity: "warning", message: "", symbols: ["HPG"], at: "2026-11-26T08:00:00.000Z" });
    expect((await run(alertNode, { condition: bools({ HPG: [false] }) }, { title: "t" })).alert).toBeNull();
    expect(alertNode.params.safeParse({}).success).toBe(false);
  });
});
