import { describe, expect, it } from "vitest";
import { candlesNode, MAX_LOOKBACK_BARS, MAX_LOOKBACK_DAYS, snapshotNode, universeNode } from "./data";
import { bars, testContext, T0 } from "./test-context";
import { manualTrigger, scheduleParams, scheduleTrigger } from "./triggers";

const run = (node: typeof candlesNode, inputs: Record<string, unknown>, params: unknown, ctx = testContext()) => node.execute(inputs, node.params.parse(params), ctx);

describe("triggers", () => {
  it("pass the trigger event on", async () => {
    expect(await run(manualTrigger, {}, {})).toEqual({ trigger: { kind: "manual", at: "2026-11-26T15:00:00+07:00" } });
    expect(await run(scheduleTrigger, {}, { cron: "0 15 * * 1-5" })).toHaveProperty("trigger.kind", "manual");
  });
  it("schedule: trading days only by default; a seconds field is refused", () => {
    expect(scheduleParams.parse({ cron: "0 15 * * 1-5" })).toEqual({ cron: "0 15 * * 1-5", tradingDaysOnly: true });
    const bad = scheduleParams.safeParse({ cron: "* * * * * *" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/more often than every minute/);
  });
});

describe("data nodes", () => {
  it("candles: listed and universe symbols, once each, with close and volume series", async () => {
    const asked: unknown[] = [];
    const ctx = testContext({ HPG: bars([10, 11]) }, {
      async candles(symbols, resolution, lookback) {
        asked.push([symbols, resolution, lookback]);
        return { HPG: bars([10, 11]) };
      },
    });
    const out = await run(candlesNode, { universe: { symbols: ["HPG"] } }, { symbols: ["HPG"], lookback: 2 }, ctx);
    expect(asked).toEqual([[["HPG"], "1D", { bars: 2 }]]);
    expect(out.close).toEqual({ HPG: { times: [T0, T0 + 86_400_000], values: [10, 11], resolution: "1D" } });
    expect(out.volume).toEqual({ HPG: { times: [T0, T0 + 86_400_000], values: [1000, 2000], resolution: "1D" } });
  });
  it("candles: refuses to run without symbols, and bad symbols in its parameters", async () => {
    await expect(run(candlesNode, {}, {})).rejects.toThrow(/no symbols/);
    expect(candlesNode.params.safeParse({ symbols: ["hpg"] }).success).toBe(false);
    expect(candlesNode.params.safeParse({ symbols: ["HPG"], lookback: 0 }).success).toBe(false);
  });
  it("candles: a lookback in trading days, past the chart's page of bars, within its own bounds", async () => {
    const asked: unknown[] = [];
    const ctx = testContext({}, {
      async candles(symbols, resolution, lookback) {
        asked.push([symbols, resolution, lookback]);
        return { HPG: bars([10, 11]) };
      },
    });
    await run(candlesNode, {}, { symbols: ["HPG"], resolution: "1m", lookback: 60, lookbackUnit: "days" }, ctx);
    await run(candlesNode, {}, { symbols: ["HPG"], resolution: "1m", lookback: 20_000 }, ctx);
    expect(asked).toEqual([
      [["HPG"], "1m", { days: 60 }],
      [["HPG"], "1m", { bars: 20_000 }],
    ]);
    expect(candlesNode.params.safeParse({ symbols: ["HPG"], lookback: MAX_LOOKBACK_DAYS + 1, lookbackUnit: "days" }).success).toBe(false);
    expect(candlesNode.params.safeParse({ symbols: ["HPG"], lookback: MAX_LOOKBACK_DAYS + 1 }).success).toBe(true);
    expect(candlesNode.params.safeParse({ symbols: ["HPG"], lookback: MAX_LOOKBACK_BARS + 1 }).success).toBe(false);
    expect(candlesNode.params.safeParse({ symbols: ["HPG"], lookbackUnit: "weeks" }).success).toBe(false);
  });
  it("snapshot and universe come from the context", async () => {
    expect(await run(snapshotNode, {}, { market: "HNX" })).toHaveProperty("snapshot.market", "HNX");
    expect(await run(universeNode, {}, { sector: "Steel" })).toEqual({ universe: { symbols: ["HPG", "HSG", "NKG"] } });
  });
});
