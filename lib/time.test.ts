import { describe, expect, it } from "vitest";
import { isVnMidnight, parseInstant, toVnBarTime, toVnDate, toVnIso } from "./time";

describe("toVnIso / toVnDate", () => {
  it("formats UTC instants in Vietnam time with +07:00", () => {
    expect(toVnIso(new Date("2026-11-26T02:15:00Z"))).toBe("2026-11-26T09:15:00+07:00");
    expect(toVnIso(new Date("2026-11-25T17:00:00Z"))).toBe("2026-11-26T00:00:00+07:00");
    expect(toVnIso(new Date("2026-11-26T02:15:00.250Z"))).toBe("2026-11-26T09:15:00.250+07:00");
    expect(toVnDate(new Date("2026-11-25T17:00:00Z"))).toBe("2026-11-26");
    expect(toVnDate(new Date("2026-11-25T16:59:59Z"))).toBe("2026-11-25");
    expect(() => toVnIso(new Date(NaN))).toThrow(RangeError);
  });
});

describe("toVnBarTime / isVnMidnight", () => {
  it("writes a daily bar as its Vietnamese date, another bar with +07:00; 00:00 in Vietnam is 17:00 UTC", () => {
    const dailyStamp = new Date("2026-11-30T17:00:00Z");
    expect(isVnMidnight(dailyStamp)).toBe(true);
    expect(isVnMidnight(new Date("2026-12-01T00:00:00Z"))).toBe(false);
    expect(toVnBarTime(dailyStamp, true)).toBe("2026-12-01");
    expect(toVnBarTime(new Date("2026-12-01T02:15:00Z"), false)).toBe("2026-12-01T09:15:00+07:00");
  });
});

describe("parseInstant", () => {
  it("reads epoch ms, zoned ISO, and zone-less dates as Vietnam time", () => {
    expect(parseInstant("1764123300000")?.toISOString()).toBe("2025-11-26T02:15:00.000Z");
    expect(parseInstant("2026-11-26T02:15:00Z")?.toISOString()).toBe("2026-11-26T02:15:00.000Z");
    expect(parseInstant("2026-11-26T09:15:00+07:00")?.toISOString()).toBe("2026-11-26T02:15:00.000Z");
    expect(parseInstant("2026-11-26")?.toISOString()).toBe("2026-11-25T17:00:00.000Z");
    expect(parseInstant("2026-11-26 09:15")?.toISOString()).toBe("2026-11-26T02:15:00.000Z");
    expect(parseInstant("2026-11-26T09:15:30.5")?.toISOString()).toBe("2026-11-26T02:15:30.500Z");
  });

  it("refuses what is not a real instant", () => {
    for (const bad of ["", "yesterday", "2026-02-30", "2026-13-01", "2026-11-26T25:00", "2026-02-30T00:00:00Z", "26/11/2026", "1e12"]) {
      expect(parseInstant(bad), bad).toBeUndefined();
    }
  });
});
