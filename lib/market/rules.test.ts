import { describe, expect, it } from "vitest";
import { BOARD_LOT, isOnTick, isWholeLots, priceLimits, roundDownToLots, roundToTick, tickSize } from "./rules";

describe("tickSize", () => {
  it("uses HOSE's three bands, switching exactly at 10,000 and 50,000", () => {
    expect(tickSize("HOSE", 9_990)).toBe(10);
    expect(tickSize("HOSE", 10_000)).toBe(50);
    expect(tickSize("HOSE", 49_950)).toBe(50);
    expect(tickSize("HOSE", 50_000)).toBe(100);
    expect(tickSize("HOSE", 120_000)).toBe(100);
  });

  it("is 100 VND at every price on HNX and UPCOM", () => {
    for (const p of [1_000, 9_990, 10_000, 49_950, 50_000, 250_000]) {
      expect(tickSize("HNX", p)).toBe(100);
      expect(tickSize("UPCOM", p)).toBe(100);
    }
  });

  it("refuses unknown exchanges and prices that are not positive numbers", () => {
    expect(() => tickSize("NYSE" as never, 10_000)).toThrow(/Unknown exchange "NYSE"/);
    expect(() => tickSize("HOSE", 0)).toThrow(/positive/);
    expect(() => tickSize("HOSE", Number.NaN)).toThrow(/positive/);
    expect(() => tickSize("HOSE", -5)).toThrow(/positive/);
  });
});

describe("roundToTick", () => {
  it("rounds to the nearest tick of the price's band, halves up", () => {
    expect(roundToTick("HOSE", 9_994)).toBe(9_990);
    expect(roundToTick("HOSE", 9_995)).toBe(10_000);
    expect(roundToTick("HOSE", 10_024)).toBe(10_000);
    expect(roundToTick("HOSE", 10_025)).toBe(10_050);
    expect(roundToTick("HOSE", 49_974.9)).toBe(49_950);
    expect(roundToTick("HOSE", 49_980)).toBe(50_000);
    expect(roundToTick("HOSE", 50_049)).toBe(50_000);
    expect(roundToTick("HOSE", 50_050)).toBe(50_100);
    expect(roundToTick("HNX", 15_449.99)).toBe(15_400);
    expect(roundToTick("UPCOM", 15_450)).toBe(15_500);
  });

  it("rounds down and up, whole or fractional VND", () => {
    expect(roundToTick("HOSE", 26_749, "down")).toBe(26_700);
    expect(roundToTick("HOSE", 26_749.9, "down")).toBe(26_700);
    expect(roundToTick("HOSE", 26_701, "up")).toBe(26_750);
    expect(roundToTick("HOSE", 26_700.1, "up")).toBe(26_750);
    expect(roundToTick("HOSE", 26_750, "up")).toBe(26_750);
    expect(roundToTick("HOSE", 26_750, "down")).toBe(26_750);
    expect(roundToTick("HOSE", 9_999.5, "up")).toBe(10_000);
    // A DNSE price in thousands converted as floats (16.15 × 1000 = 16,149.999999999998) lands on its tick.
    expect(roundToTick("HOSE", 16.15 * 1000)).toBe(16_150);
  });

  it("always yields a valid quote", () => {
    for (let p = 9_000; p < 52_000; p += 7.3) {
      for (const mode of ["nearest", "down", "up"] as const) {
        expect(isOnTick("HOSE", roundToTick("HOSE", p, mode)), `${p} ${mode}`).toBe(true);
      }
    }
  });
});

describe("isOnTick", () => {
  it("accepts multiples of the band's tick only", () => {
    expect(isOnTick("HOSE", 9_990)).toBe(true);
    expect(isOnTick("HOSE", 9_995)).toBe(false);
    expect(isOnTick("HOSE", 10_010)).toBe(false);
    expect(isOnTick("HOSE", 49_950)).toBe(true);
    expect(isOnTick("HOSE", 50_050)).toBe(false);
    expect(isOnTick("HNX", 15_450)).toBe(false);
    expect(isOnTick("HNX", 15_400)).toBe(true);
  });
});

describe("priceLimits", () => {
  it("HOSE ±7%: ceiling rounded down, floor rounded up to the tick", () => {
    // 26,550 × 1.07 = 28,408.5 → 28,400; 26,550 × 0.93 = 24,691.5 → 24,700.
    expect(priceLimits("HOSE", 26_550)).toEqual({ reference: 26_550, ceiling: 28_400, floor: 24_700 });
    // Crossing into the next band: 47,000 × 1.07 = 50,290 → tick 100 → 50,200.
    expect(priceLimits("HOSE", 47_000)).toEqual({ reference: 47_000, ceiling: 50_200, floor: 43_750 });
    // 9,500 × 1.07 = 10,165 → 10,150; 9,500 × 0.93 = 8,835 → 8,840.
    expect(priceLimits("HOSE", 9_500)).toEqual({ reference: 9_500, ceiling: 10_150, floor: 8_840 });
  });

  it("HNX ±10% and UPCOM ±15% on a 100 VND tick", () => {
    // 33,200 × 1.1 = 36,520 → 36,500; × 0.9 = 29,880 → 29,900.
    expect(priceLimits("HNX", 33_200)).toEqual({ reference: 33_200, ceiling: 36_500, floor: 29_900 });
    // 6,300 × 1.15 = 7,245 → 7,200; × 0.85 = 5,355 → 5,400.
    expect(priceLimits("UPCOM", 6_300)).toEqual({ reference: 6_300, ceiling: 7_200, floor: 5_400 });
  });

  it("keeps exact percentages exact (no float drift at the edge)", () => {
    // 6,000 × 1.15 = 6,900 exactly; as floats it is 6,899.999999999999, which would round down to 6,800.
    expect(priceLimits("UPCOM", 6_000)).toEqual({ reference: 6_000, ceiling: 6_900, floor: 5_100 });
    expect(priceLimits("UPCOM", 42_000).ceiling).toBe(48_300);
  });

  it("widens a limit that rounding collapsed onto the reference to one tick", () => {
    expect(priceLimits("HOSE", 100)).toEqual({ reference: 100, ceiling: 110, floor: 90 });
    expect(priceLimits("HNX", 600)).toEqual({ reference: 600, ceiling: 700, floor: 500 });
  });

  it("refuses a reference price off the tick grid", () => {
    expect(() => priceLimits("HOSE", 26_525)).toThrow(/not on the HOSE tick grid/);
  });
});

describe("board lots", () => {
  it("counts whole lots of 100 shares", () => {
    expect(BOARD_LOT).toBe(100);
    expect(isWholeLots(100)).toBe(true);
    expect(isWholeLots(12_300)).toBe(true);
    expect(isWholeLots(150)).toBe(false);
    expect(isWholeLots(0)).toBe(false);
    expect(isWholeLots(99)).toBe(false);
    expect(roundDownToLots(1_299)).toBe(1_200);
    expect(roundDownToLots(99)).toBe(0);
    expect(() => roundDownToLots(-1)).toThrow(RangeError);
  });
});
