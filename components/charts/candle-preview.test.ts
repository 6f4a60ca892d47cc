import { describe, expect, it } from "vitest";
import { PREVIEW_HEIGHT, PREVIEW_WIDTH, previewPaths } from "./candle-preview";

const bar = (open: number, close: number, high: number, low: number, volume = 100) => ({ open, close, high, low, volume });

/** The numbers of a path, in order. */
const numbers = (d: string) => (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);

describe("the server-rendered candles", () => {
  it("draws nothing without bars", () => {
    expect(Object.values(previewPaths([], 100)).every((d) => d === "")).toBe(true);
  });

  it("splits rising and falling bars, scaled between 10 % from the top and 24 % from the bottom", () => {
    const d = previewPaths([bar(10, 20, 30, 0, 50), bar(20, 15, 25, 5, 100)], 100);
    // One rising wick from the highest high (y = 10 % of the height) to the lowest low (y = 76 %).
    expect(numbers(d.upWicks)).toEqual([Number(((0.5 * PREVIEW_WIDTH) / 5.5).toFixed(1)), 60, 456]);
    expect(d.downWicks.startsWith("M")).toBe(true);
    expect(d.upBodies.match(/M/g)).toHaveLength(1);
    expect(d.downBodies.match(/M/g)).toHaveLength(1);
    // The larger volume fills the bottom fifth; the other half of it.
    expect(numbers(d.downVolume)[1]).toBe(PREVIEW_HEIGHT * 0.8);
    expect(numbers(d.upVolume)[1]).toBe(PREVIEW_HEIGHT * 0.9);
  });

  it("shows only the newest `slots` bars, as the chart opens", () => {
    const bars = Array.from({ length: 300 }, (_, i) => bar(100 + i, 101 + i, 102 + i, 99 + i));
    const d = previewPaths(bars, 130);
    expect(d.upBodies.match(/M/g)).toHaveLength(130);
  });
});
