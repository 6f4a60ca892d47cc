import { describe, expect, it } from "vitest";
import { TickMarkType } from "lightweight-charts";
import { CANDLE_RESOLUTIONS } from "@/lib/market/candles";
import {
  RESOLUTIONS,
  TICK,
  isIntraday,
  spansYears,
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

describe("weeks, months and the year on the axis", () => {
  it("places weekly and monthly bars on the Vietnamese date they start, and labels a month as MM/yyyy", () => {
    // The week of Monday 24 February 2025 starts at 17:00 UTC on Sunday the 23rd.
    expect(toChartTime("2025-02-24T00:00:00+07:00", "1W")).toEqual({ year: 2025, month: 2, day: 24 });
    expect(formatChartTime({ year: 2025, month: 2, day: 24 }, "1W")).toBe("24/02/2025");
    expect(formatChartTime({ year: 2025, month: 3, day: 1 }, "1M")).toBe("03/2025");
  });

  it("names the year on month and day marks when the view spans years, not otherwise", () => {
    const day = { year: 2025, month: 3, day: 4 };
    expect(tickMark(day, TICK.Month, true)).toBe("Mar 2025");
    expect(tickMark(day, TICK.DayOfMonth, true)).toBe("04/03/25");
    expect(tickMark(day, TICK.Month, false)).toBe("Mar");
    expect(tickMark(day, TICK.Year, true)).toBe("2025");
    // Intraday: 31 December 2025 23:00 UTC is 1 January 2026 06:00 in Vietnam.
    const newYear = toChartTime("2025-12-31T23:00:00Z", "1h");
    expect(tickMark(newYear, TICK.Month, true)).toBe("Jan 2026");
  });

  it("tells whether two chart times fall in different years (GMT+7)", () => {
    expect(spansYears({ year: 2025, month: 12, day: 31 }, { year: 2026, month: 1, day: 2 })).toBe(true);
    expect(spansYears({ year: 2026, month: 1, day: 2 }, { year: 2026, month: 12, day: 31 })).toBe(false);
    // 16:59 UTC on 31 December is still 2025 in Vietnam at 23:59; 17:00 is 2026.
    expect(spansYears(toChartTime("2025-12-31T16:59:00Z", "1m"), toChartTime("2025-12-31T17:00:00Z", "1m"))).toBe(true);
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

  it("knows the resolutions the chart offers: the candle API's, in its order", () => {
    expect(RESOLUTIONS).toEqual(CANDLE_RESOLUTIONS);
    expect(isResolution("1h")).toBe(true);
    expect(isResolution("4h")).toBe(true);
    expect(isResolution("2h")).toBe(false);
    expect(RESOLUTIONS.filter((r) => !isIntraday(r))).toEqual(["1D", "1W", "1M"]);
  });
});
