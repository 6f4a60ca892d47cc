import { describe, expect, it } from "vitest";
import {
  abbreviate,
  changePct,
  directionOf,
  formatChangePct,
  formatDayMonthYear,
  formatExact,
  formatLongDate,
  formatPrice,
  formatVnd,
  parseDayMonthYear,
} from "./format";

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

describe("dates written day/month/year", () => {
  it("reads day first, never month first", () => {
    expect(parseDayMonthYear("26/11/2026")).toBe("2026-11-26");
    expect(parseDayMonthYear("03/04/2025")).toBe("2025-04-03");
    expect(parseDayMonthYear(" 1/3/2025 ")).toBe("2025-03-01");
  });

  it("refuses what is not a real date", () => {
    for (const text of ["11/26/2026", "30/02/2026", "2026-11-26", "26/11/26", "", "26.11.2026"]) {
      expect(parseDayMonthYear(text)).toBeUndefined();
    }
  });

  it("writes dates back as dd/mm/yyyy and with the month named", () => {
    expect(formatDayMonthYear("2026-08-04")).toBe("04/08/2026");
    expect(formatLongDate("2026-11-26")).toBe("Thu 26 Nov 2026");
    expect(formatLongDate("2026-08-24")).toBe("Mon 24 Aug 2026");
  });
});
