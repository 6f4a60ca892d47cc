import { describe, expect, it } from "vitest";
import { TickMarkType } from "lightweight-charts";
import {
  TICK,
  VN_OFFSET_SECONDS,
  formatAsOf,
  formatChartTime,
  isResolution,
  shiftedTimestamp,
  tickMark,
  toChartTime,
  vnBusinessDay,
} from "./chart-time";

describe("intraday times for lightweight-charts", () => {
  it("shifts the UTC instant by +25,200 s so the chart shows GMT+7 wall time", () => {
    expect(VN_OFFSET_SECONDS).toBe(25_200);
    // 09:15 in Hanoi is 02:15 UTC.
    const utcSeconds = Date.UTC(2026, 10, 26, 2, 15) / 1000;
    const t = toChartTime("2026-11-26T09:15:00+07:00", "1m");
    expect(t).toBe(utcSeconds + 25_200);
    expect(new Date((t as number) * 1000).getUTCHours()).toBe(9);
    expect(formatChartTime(t, "1m")).toBe("26/11/2026 09:15");
  });

  it("accepts the same instant in any offset", () => {
    expect(toChartTime("2026-11-26T02:15:00Z", "5m")).toBe(toChartTime("2026-11-26T09:15:00+07:00", "5m"));
  });

  it("labels the afternoon session after lunch in GMT+7", () => {
    const t = toChartTime("2026-11-26T13:00:00+07:00", "1h");
    expect(tickMark(t, TICK.Time)).toBe("13:00");
    expect(tickMark(t, TICK.DayOfMonth)).toBe("26/11");
  });

  it("keeps the shifted timestamp whole seconds", () => {
    expect(shiftedTimestamp(Date.UTC(2026, 0, 2, 2, 0, 0, 999))).toBe(Date.UTC(2026, 0, 2, 2) / 1000 + 25_200);
  });
});

describe("daily bars as business days", () => {
  it("uses the Vietnamese trading date", () => {
    expect(toChartTime("2026-11-26T00:00:00+07:00", "1D")).toEqual({ year: 2026, month: 11, day: 26 });
    // 17:00 UTC on the 25th is already midnight of the 26th in Vietnam.
    expect(vnBusinessDay(Date.UTC(2026, 10, 25, 17, 0))).toEqual({ year: 2026, month: 11, day: 26 });
    expect(vnBusinessDay(Date.UTC(2026, 10, 25, 16, 59))).toEqual({ year: 2026, month: 11, day: 25 });
  });

  it("labels days as dd/MM and never month/day", () => {
    const day = { year: 2026, month: 3, day: 4 };
    expect(formatChartTime(day, "1D")).toBe("04/03/2026");
    expect(tickMark(day, TICK.DayOfMonth)).toBe("04/03");
    expect(tickMark(day, TICK.Month)).toBe("Mar");
    expect(tickMark(day, TICK.Year)).toBe("2026");
  });
});

describe("helpers", () => {
  it("mirrors lightweight-charts' tick mark types", () => {
    expect(TICK).toEqual({
      Year: TickMarkType.Year,
      Month: TickMarkType.Month,
      DayOfMonth: TickMarkType.DayOfMonth,
      Time: TickMarkType.Time,
      TimeWithSeconds: TickMarkType.TimeWithSeconds,
    });
  });

  it("formats the snapshot's as-of time in GMT+7", () => {
    expect(formatAsOf("2026-11-26T07:05:00Z")).toBe("14:05 26/11");
  });

  it("knows the resolutions the chart offers", () => {
    expect(isResolution("1h")).toBe(true);
    expect(isResolution("30m")).toBe(false);
  });
});
