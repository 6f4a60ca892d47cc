import { describe, expect, it } from "vitest";
import { toVnIso } from "../time";
import { CronError, nextRuns, parseCron } from "./cron";

const vn = (dates: Date[]) => dates.map(toVnIso);

describe("parseCron", () => {
  it("reads numbers, ranges, steps and lists", () => {
    const s = parseCron("*/15 9-11,13 * * 1-5");
    expect(s.minutes).toEqual([0, 15, 30, 45]);
    expect(s.hours).toEqual([9, 10, 11, 13]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron("5/20 0 1 1 7").minutes).toEqual([5, 25, 45]);
    expect([...parseCron("0 0 * * 7").daysOfWeek]).toEqual([0]);
  });
  it("refuses a seconds field: more often than every minute", () => {
    expect(() => parseCron("* * * * * *")).toThrow(/more often than every minute/);
  });
  it("names the field at fault", () => {
    expect(() => parseCron("60 * * * *")).toThrow(/minute: "60" is outside 0-59/);
    expect(() => parseCron("0 9 * * mon")).toThrow(CronError);
    expect(() => parseCron("0 9 * *")).toThrow(/expected 5 fields/);
    expect(() => parseCron("*/0 * * * *")).toThrow(/step must be ≥ 1/);
  });
});

describe("nextRuns", () => {
  it("lists times in Vietnam time, strictly after the start", () => {
    // Thursday 2026-11-26 09:15 in Vietnam.
    const after = new Date("2026-11-26T02:15:00Z");
    expect(vn(nextRuns("15 9,15 * * *", after, 3))).toEqual([
      "2026-11-26T15:15:00+07:00",
      "2026-11-27T09:15:00+07:00",
      "2026-11-27T15:15:00+07:00",
    ]);
  });
  it("skips weekends and holidays when tradingDaysOnly", () => {
    // Wednesday 2026-12-30; 2027-01-01 (Friday) is New Year.
    const after = new Date("2026-12-30T08:00:00Z");
    expect(vn(nextRuns("0 15 * * *", after, 3, { tradingDaysOnly: true }))).toEqual([
      "2026-12-31T15:00:00+07:00",
      "2027-01-04T15:00:00+07:00",
      "2027-01-05T15:00:00+07:00",
    ]);
  });
  it("runs on either day field when both are restricted (Vixie cron)", () => {
    const after = new Date("2026-11-26T00:00:00Z"); // a Thursday
    expect(vn(nextRuns("0 8 1 * 1", after, 3))).toEqual([
      "2026-11-30T08:00:00+07:00", // Monday
      "2026-12-01T08:00:00+07:00", // the 1st
      "2026-12-07T08:00:00+07:00",
    ]);
  });
});
