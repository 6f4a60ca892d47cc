import { describe, expect, it } from "vitest";
import { dayReference, sessionVwap } from "./reference";

// A session where the close (22,000) is far from where most shares traded (typical 20,200).
const HEAVY_LOW = { high: 20_600, low: 20_000, close: 20_000, volume: 3_000 };
const LIGHT_HIGH = { high: 22_000, low: 22_000, close: 22_000, volume: 1_000 };

describe("sessionVwap", () => {
  it("weights each bar's typical price (high + low + close) / 3 by its volume", () => {
    // (20,200 × 3,000 + 22,000 × 1,000) / 4,000
    expect(sessionVwap([HEAVY_LOW, LIGHT_HIGH])?.vwap.toNumber()).toBe(20_650);
    expect(sessionVwap([HEAVY_LOW, LIGHT_HIGH])?.volume).toBe(4_000);
  });

  it("is null without volume", () => {
    expect(sessionVwap([{ ...LIGHT_HIGH, volume: 0 }])).toBeNull();
    expect(sessionVwap([])).toBeNull();
  });
});

describe("dayReference", () => {
  const minutes = sessionVwap([HEAVY_LOW, LIGHT_HIGH]);

  it("HOSE and HNX: the previous close, on the tick grid", () => {
    expect(dayReference("HOSE", { close: 25_955, minutes, daily: null })).toEqual({ reference: 25_950, basis: "previous-close" });
    expect(dayReference("HNX", { close: 22_000, minutes, daily: null })).toEqual({ reference: 22_000, basis: "previous-close" });
  });

  it("UPCOM: the previous session's volume-weighted average price from its minute bars, rounded to the tick", () => {
    // 20,650 → 20,700 (nearest 100, halves up), not the close 22,000.
    expect(dayReference("UPCOM", { close: 22_000, minutes, daily: null })).toEqual({ reference: 20_700, basis: "previous-vwap" });
  });

  it("UPCOM with only a daily bar: its typical price, named as an approximation", () => {
    const daily = { high: 7_500, low: 7_000, close: 7_100, volume: 1_000 };
    expect(dayReference("UPCOM", { close: 7_100, minutes: null, daily })).toEqual({ reference: 7_200, basis: "previous-vwap-approx" });
  });

  it("UPCOM whose minute bars hold fewer shares than the official daily bar: the daily approximation, not a partial average", () => {
    const daily = { high: 22_000, low: 20_000, close: 22_000, volume: 10_000 };
    expect(dayReference("UPCOM", { close: 22_000, minutes, daily })).toEqual({ reference: 21_300, basis: "previous-vwap-approx" });
    // Minutes that hold the whole day's volume win over the daily bar.
    expect(dayReference("UPCOM", { close: 22_000, minutes, daily: { ...daily, volume: 4_000 } })).toEqual({ reference: 20_700, basis: "previous-vwap" });
  });

  it("UPCOM without any traded volume keeps the previous close and says so", () => {
    expect(dayReference("UPCOM", { close: 6_300, minutes: null, daily: { high: 6_300, low: 6_300, close: 6_300, volume: 0 } })).toEqual({
      reference: 6_300,
      basis: "previous-close",
    });
  });
});
