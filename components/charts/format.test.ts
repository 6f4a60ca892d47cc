import { describe, expect, it } from "vitest";
import { abbreviate, changePct, directionOf, formatChangePct, formatExact, formatPrice, formatVnd } from "./format";

describe("prices", () => {
  it("shows VND whole, with thousands separators", () => {
    expect(formatVnd(25_950)).toBe("25,950");
    expect(formatVnd(168_000)).toBe("168,000");
    expect(formatVnd(9_990)).toBe("9,990");
    expect(formatVnd(25_949.6)).toBe("25,950");
    expect(formatPrice(25_950, "VND")).toBe("25,950");
  });

  it("shows index points and USD/t with two decimals", () => {
    expect(formatPrice(1_620.356, "points")).toBe("1,620.36");
    expect(formatPrice(1_620, "points")).toBe("1,620.00");
    expect(formatPrice(105.5, "USD/t")).toBe("105.50");
  });

  it("keeps the exact figure for titles", () => {
    expect(formatExact(1_234_567)).toBe("1,234,567");
  });
});

describe("abbreviations", () => {
  it.each([
    [0, "0"],
    [950, "950"],
    [1_000, "1K"],
    [12_345, "12.3K"],
    [350_000, "350K"],
    [1_234_567, "1.2M"],
    [1_000_000, "1M"],
    [350_000_000, "350M"],
    [1_200_000_000, "1.2B"],
    [21_500_000_000_000, "21.5T"],
    [-3_400_000, "-3.4M"],
  ])("%d → %s", (value, text) => {
    expect(abbreviate(value)).toBe(text);
  });

  it("moves to the next unit instead of showing 1000 of the smaller one", () => {
    expect(abbreviate(999_960)).toBe("1M");
    expect(abbreviate(999_400)).toBe("999K");
    expect(abbreviate(99_960)).toBe("100K");
  });
});

describe("changes", () => {
  it("computes change % against the previous close", () => {
    expect(changePct(26_000, 25_000)).toBeCloseTo(4, 10);
    expect(changePct(24_500, 25_000)).toBeCloseTo(-2, 10);
    expect(changePct(25_000, null)).toBeNull();
  });

  it("signs and rounds to two decimals", () => {
    expect(formatChangePct(1.234)).toBe("+1.23%");
    expect(formatChangePct(-0.5)).toBe("-0.50%");
    expect(formatChangePct(0.001)).toBe("0.00%");
  });

  it("colours up, down and unchanged", () => {
    expect(directionOf(0.4)).toBe("up");
    expect(directionOf(-0.4)).toBe("down");
    expect(directionOf(0)).toBe("flat");
    expect(directionOf(null)).toBe("flat");
  });
});
