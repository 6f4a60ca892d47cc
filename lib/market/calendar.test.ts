import { describe, expect, it } from "vitest";
import {
  addDays,
  holidayName,
  isTradingDay,
  nextTradingDay,
  parseVnDate,
  previousTradingDay,
  sessionMinutes,
  sessionPhase,
  tradingDaysBetween,
  vnDateOf,
  vnMidnightUtc,
  vnMinuteOfDay,
  vnTimeToUtc,
  weekday,
} from "./calendar";
import { CALENDAR_EXCEPTIONS } from "./calendar-exceptions";
import { hungKingsDay, tetDay } from "./lunar";

describe("Vietnamese dates and UTC", () => {
  it("00:00 in Vietnam is 17:00 UTC the day before", () => {
    expect(vnMidnightUtc("2025-03-10").toISOString()).toBe("2025-03-09T17:00:00.000Z");
    expect(vnTimeToUtc("2025-03-10", 9 * 60 + 15).toISOString()).toBe("2025-03-10T02:15:00.000Z");
  });

  it("reads the Vietnamese date and minute of a UTC instant across UTC midnight", () => {
    expect(vnDateOf(new Date("2025-03-09T16:59:59Z"))).toBe("2025-03-09");
    expect(vnDateOf(new Date("2025-03-09T17:00:00Z"))).toBe("2025-03-10");
    expect(vnMinuteOfDay(new Date("2025-03-09T17:00:00Z"))).toBe(0);
    expect(vnMinuteOfDay(new Date("2025-03-10T07:45:30Z"))).toBe(14 * 60 + 45);
  });

  it("refuses malformed and impossible dates", () => {
    expect(() => parseVnDate("2025-02-29")).toThrow(/Not a calendar date/);
    expect(() => parseVnDate("2025-3-1")).toThrow(/Not a calendar date/);
    expect(() => isTradingDay("yesterday")).toThrow(RangeError);
    expect(parseVnDate("2024-02-29")).toBe("2024-02-29");
  });

  it("adds days across month and year ends", () => {
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(weekday("2025-01-01")).toBe(3);
  });
});

describe("trading days", () => {
  it("closes on weekends", () => {
    expect(isTradingDay("2025-03-08")).toBe(false); // Saturday
    expect(isTradingDay("2025-03-09")).toBe(false); // Sunday
    expect(isTradingDay("2025-03-10")).toBe(true); // Monday
  });

  it("closes the whole Tết week of 2025 and reopens on 3 Feb", () => {
    for (const d of ["2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"]) {
      expect(isTradingDay(d), d).toBe(false);
      expect(holidayName(d)).toBe("Tết");
    }
    expect(isTradingDay("2025-01-24")).toBe(true);
    expect(nextTradingDay("2025-01-24")).toBe("2025-02-03");
    expect(previousTradingDay("2025-02-03")).toBe("2025-01-24");
  });

  it("knows the fixed and lunar holidays, with weekend compensation", () => {
    expect(isTradingDay("2025-01-01")).toBe(false); // New Year
    expect(isTradingDay("2024-04-18")).toBe(false); // Hùng Kings, 10/3 lunar
    expect(isTradingDay("2025-04-30")).toBe(false);
    expect(isTradingDay("2025-05-01")).toBe(false);
    expect(isTradingDay("2024-09-02")).toBe(false);
    expect(isTradingDay("2024-09-03")).toBe(false); // the adjacent National Day off
    expect(isTradingDay("2023-01-02")).toBe(false); // 1 Jan 2023 was a Sunday
    expect(isTradingDay("2022-05-03")).toBe(false); // 30 Apr / 1 May 2022 fell on the weekend
    expect(isTradingDay("2024-09-04")).toBe(true);
  });

  it("computes years after the announced plans by the same rules", () => {
    expect(isTradingDay("2030-01-01")).toBe(false);
    // 2028-04-30 is a Sunday: its day off moves to Monday 1 May, and Labour Day to Tuesday 2 May.
    expect(isTradingDay("2028-05-01")).toBe(false);
    expect(isTradingDay("2028-05-02")).toBe(false);
    expect(isTradingDay("2028-05-03")).toBe(true);
    // Tết 2030 (Vietnam: Saturday 2 Feb; China: 3 Feb): 31 Jan – 4 Feb, and two days for the weekend.
    expect(tradingDaysBetween("2030-01-28", "2030-02-08")).toEqual(["2030-01-28", "2030-01-29", "2030-01-30", "2030-02-07", "2030-02-08"]);
    expect(holidayName("2030-02-06")).toBe("Tết (3 Feb, a Sunday)");
  });

  it("lists trading days between two dates, both ends included", () => {
    const days = tradingDaysBetween("2025-01-20", "2025-02-07");
    expect(days).toEqual([
      "2025-01-20", "2025-01-21", "2025-01-22", "2025-01-23", "2025-01-24",
      "2025-02-03", "2025-02-04", "2025-02-05", "2025-02-06", "2025-02-07",
    ]);
    expect(tradingDaysBetween("2025-02-07", "2025-01-20")).toEqual([]);
  });

  it("has about 250 trading days a year", () => {
    for (let year = 2003; year <= 2030; year++) {
      const n = tradingDaysBetween(`${year}-01-01`, `${year}-12-31`).length;
      expect(n, String(year)).toBeGreaterThanOrEqual(245);
      expect(n, String(year)).toBeLessThanOrEqual(252);
    }
  });
});

describe("lunar holidays and the eras of the Labour Code", () => {
  it("reckons the lunar calendar at UTC+7, where Vietnam's new year can differ from China's", () => {
    expect(tetDay(2007)).toBe("2007-02-17"); // China: 18 Feb
    expect(tetDay(1985)).toBe("1985-01-21"); // China: 20 Feb
    expect(tetDay(2030)).toBe("2030-02-02"); // China: 3 Feb
    expect(tetDay(2025)).toBe("2025-01-29");
    expect(hungKingsDay(2024)).toBe("2024-04-18");
    expect(hungKingsDay(2027)).toBe("2027-04-16");
  });

  it("closes for Hùng Kings' day only from 2007", () => {
    expect(hungKingsDay(2006)).toBe("2006-04-07");
    expect(isTradingDay("2006-04-07")).toBe(true);
    expect(holidayName("2007-04-26")).toBe("Hùng Kings");
    expect(holidayName("2009-04-06")).toBe("Hùng Kings (4 Apr, a Saturday)");
  });

  it("gives Tết four days before 2013 and five from 2013, with weekend days carried over", () => {
    // 2012: new year Monday 23 Jan; 22 Jan (the last day, a Sunday) carries over to Thursday 26.
    expect(tradingDaysBetween("2012-01-20", "2012-01-31")).toEqual(["2012-01-20", "2012-01-30", "2012-01-31"]);
    expect(holidayName("2012-01-26")).toBe("Tết (22 Jan, a Sunday)");
    expect(holidayName("2012-01-27")).toBe("Tết (closure to the end of Tết week)"); // announced, see exceptions
    // 2017: new year Saturday 28 Jan; 26–30 Jan, then two days for the weekend.
    expect(tradingDaysBetween("2017-01-25", "2017-02-03")).toEqual(["2017-01-25", "2017-02-02", "2017-02-03"]);
  });

  it("gives National Day one day until 2020 and two from 2021", () => {
    expect(isTradingDay("2020-09-02")).toBe(false);
    expect(isTradingDay("2020-09-01")).toBe(true);
    expect(isTradingDay("2020-09-03")).toBe(true);
    expect(isTradingDay("2021-09-03")).toBe(false);
    expect(isTradingDay("2023-09-01")).toBe(false);
    expect(isTradingDay("2023-09-04")).toBe(false); // 2 Sep 2023 was a Saturday
  });

  it("applies the announced exceptions, both ways", () => {
    expect(holidayName("2007-12-31")).toBe("New Year (bridge day)");
    expect(isTradingDay("2013-02-08")).toBe(true); // the rules' first Tết day; 2013's plan began on the 9th
    expect(isTradingDay("2013-02-15")).toBe(false);
    for (const e of CALENDAR_EXCEPTIONS) expect(isTradingDay(e.day), e.day).toBe(e.open === true);
  });

  it("knows HOSE's three sessions a week before March 2002", () => {
    expect(isTradingDay("2000-07-27")).toBe(false);
    expect(isTradingDay("2000-07-28")).toBe(true);
    expect(holidayName("2001-06-05")).toMatch(/Mon, Wed, Fri/);
    expect(isTradingDay("2001-06-06")).toBe(true);
    expect(isTradingDay("2002-03-05")).toBe(true);
  });
});

describe("session minutes", () => {
  const day = "2025-03-10";
  const vnMinutes = (ex: "HOSE" | "HNX" | "UPCOM") => sessionMinutes(ex, day).map(vnMinuteOfDay);
  const hm = (h: number, m: number) => h * 60 + m;

  it("counts the bars of each exchange's day", () => {
    // HOSE: 09:15–11:29 (135) + 13:00–14:29 (90) + the 14:45 ATC bar.
    expect(sessionMinutes("HOSE", day)).toHaveLength(226);
    // HNX: 09:00–11:29 (150) + 13:00–14:29 (90) + the 14:45 ATC bar.
    expect(sessionMinutes("HNX", day)).toHaveLength(241);
    // UPCOM: 09:00–11:29 (150) + 13:00–14:59 (120).
    expect(sessionMinutes("UPCOM", day)).toHaveLength(270);
  });

  it("opens HOSE at the 09:15 ATO match and ends with the 14:45 ATC bar", () => {
    const m = vnMinutes("HOSE");
    expect(m[0]).toBe(hm(9, 15));
    expect(m.at(-2)).toBe(hm(14, 29));
    expect(m.at(-1)).toBe(hm(14, 45));
    expect(sessionMinutes("HOSE", day)[0]!.toISOString()).toBe("2025-03-10T02:15:00.000Z");
  });

  it("has no bar in the lunch break, the auction periods or outside the day", () => {
    for (const ex of ["HOSE", "HNX", "UPCOM"] as const) {
      const m = vnMinutes(ex);
      expect(m.some((x) => x >= hm(11, 30) && x < hm(13, 0)), ex).toBe(false);
      expect(m.some((x) => x < hm(9, 0) || x >= hm(15, 0)), ex).toBe(false);
      expect(new Set(m).size).toBe(m.length);
      expect([...m].sort((a, b) => a - b)).toEqual(m);
    }
    expect(vnMinutes("HOSE").some((x) => x < hm(9, 15))).toBe(false);
    expect(vnMinutes("HNX").some((x) => x > hm(14, 29) && x !== hm(14, 45))).toBe(false);
    expect(vnMinutes("UPCOM").at(-1)).toBe(hm(14, 59));
  });

  it("has no bars on a closed day", () => {
    expect(sessionMinutes("HOSE", "2025-01-29")).toEqual([]);
    expect(sessionMinutes("UPCOM", "2025-03-09")).toEqual([]);
  });

  it("tells the phase of the day", () => {
    const at = (h: number, m: number) => vnTimeToUtc(day, hm(h, m));
    expect(sessionPhase("HOSE", at(8, 59))).toBe("pre-open");
    expect(sessionPhase("HOSE", at(9, 5))).toBe("opening-auction");
    expect(sessionPhase("HNX", at(9, 5))).toBe("continuous");
    expect(sessionPhase("HOSE", at(12, 0))).toBe("lunch");
    expect(sessionPhase("HOSE", at(14, 40))).toBe("closing-auction");
    expect(sessionPhase("UPCOM", at(14, 40))).toBe("continuous");
    expect(sessionPhase("HOSE", at(14, 46))).toBe("after-close");
    expect(sessionPhase("HOSE", vnTimeToUtc("2025-01-29", hm(10, 0)))).toBe("closed");
  });
});
