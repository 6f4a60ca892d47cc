/**
 * The exchanges' announced departures from the legal holiday rules (lib/market/calendar.ts):
 * extra days off from the government's yearly holiday plans (usually a working day swapped with a
 * Saturday to bridge a holiday to a weekend, or a longer Tết closure), and rule days on which the
 * exchanges opened all the same. Each entry names its source.
 */
import type { VnDate } from "./calendar";

export interface CalendarException {
  day: VnDate;
  /** true: the exchanges opened on a day the rules close; otherwise an extra closure. */
  open?: boolean;
  /** The holiday the closure belongs to (shown by holidayName), or why the day opened. */
  name: string;
  source: string;
}

/**
 * Seen in real data: on these weekdays none of the 15 HOSE series of the vn-daily set (VNINDEX
 * from 2000, 14 stocks from 2006–2011; shared/data/vn-daily, from github.com/beannguyen/
 * simple-momentum-strategy) has a bar, or on a rule day they do; the name is the holiday the
 * government's plan for that year attached the day to (bridge days were swapped with a Saturday).
 */
const BARS = "HOSE sessions seen in the vn-daily bars (no bar in any series that day)";
/** After the data set ends (2020): the government's yearly holiday plan, which HOSE and HNX follow. */
const PLAN = "government holiday plan for the year, as carried over from the hand-kept table of 2019–2027; not checked against bars";

export const CALENDAR_EXCEPTIONS: CalendarException[] = [
  { day: "2001-01-22", name: "Tết (closure from the Monday of Tết week)", source: BARS },
  { day: "2002-02-15", name: "Tết (closure to the end of Tết week)", source: BARS },
  { day: "2002-04-29", name: "Reunification Day (bridge day)", source: BARS },
  { day: "2003-01-29", name: "Tết (HOSE's long Tết closure)", source: BARS },
  { day: "2003-01-30", name: "Tết (HOSE's long Tết closure)", source: BARS },
  { day: "2003-02-06", name: "Tết (HOSE's long Tết closure)", source: BARS },
  { day: "2003-02-07", name: "Tết (HOSE's long Tết closure)", source: BARS },
  { day: "2003-05-02", name: "Labour Day (bridge day)", source: BARS },
  { day: "2003-09-01", name: "National Day (bridge day)", source: BARS },
  { day: "2004-01-02", name: "New Year (bridge day)", source: BARS },
  { day: "2004-01-19", name: "Tết (closure from the Monday of Tết week)", source: BARS },
  { day: "2004-01-20", name: "Tết (closure from the Monday of Tết week)", source: BARS },
  { day: "2004-09-03", name: "National Day (bridge day)", source: BARS },
  { day: "2005-02-07", name: "Tết (closure from the Monday of Tết week)", source: BARS },
  { day: "2006-02-03", name: "Tết (closure to the end of Tết week)", source: BARS },
  { day: "2007-02-22", name: "Tết (closure to the end of Tết week)", source: BARS },
  { day: "2007-02-23", name: "Tết (closure to the end of Tết week)", source: BARS },
  { day: "2007-04-27", name: "Hùng Kings (bridge day)", source: BARS },
  { day: "2007-12-31", name: "New Year (bridge day)", source: BARS },
  { day: "2008-02-04", name: "Tết (closure from the Monday of Tết week)", source: BARS },
  { day: "2008-02-05", name: "Tết (closure from the Monday of Tết week)", source: BARS },
  { day: "2008-04-14", name: "Hùng Kings (bridge day)", source: BARS },
  { day: "2008-05-02", name: "Labour Day (bridge day)", source: BARS },
  { day: "2008-09-01", name: "National Day (bridge day)", source: BARS },
  { day: "2009-01-30", name: "Tết (closure to the end of Tết week)", source: BARS },
  { day: "2010-02-19", name: "Tết (closure to the end of Tết week)", source: BARS },
  { day: "2010-09-03", name: "National Day (bridge day)", source: BARS },
  { day: "2011-01-31", name: "Tết (closure from the Monday of Tết week)", source: BARS },
  { day: "2011-02-01", name: "Tết (closure from the Monday of Tết week)", source: BARS },
  { day: "2011-04-11", name: "Hùng Kings (bridge day)", source: BARS },
  { day: "2012-01-27", name: "Tết (closure to the end of Tết week)", source: BARS },
  { day: "2012-12-31", name: "New Year (bridge day)", source: BARS },
  { day: "2013-02-08", open: true, name: "Tết began a day later in 2013's plan (9–13 Feb)", source: BARS },
  { day: "2013-02-15", name: "Tết (the plan's five days were 9–13 Feb, the 30th to the 4th day)", source: BARS },
  { day: "2013-04-29", name: "Reunification Day (bridge day)", source: BARS },
  { day: "2014-01-28", name: "Tết (closure from the Tuesday of Tết week)", source: BARS },
  { day: "2014-02-05", name: "Tết (closure to the Wednesday after)", source: BARS },
  { day: "2014-05-02", name: "Labour Day (bridge day)", source: BARS },
  { day: "2014-09-01", name: "National Day (bridge day)", source: BARS },
  { day: "2015-01-02", name: "New Year (bridge day)", source: BARS },
  { day: "2015-02-16", name: "Tết (closure from the Monday of Tết week)", source: BARS },
  { day: "2015-04-29", name: "Hùng Kings and Reunification Day (bridge day)", source: BARS },
  { day: "2018-12-31", name: "New Year (bridge day)", source: BARS },
  { day: "2019-04-29", name: "Reunification Day (bridge day)", source: BARS },
  { day: "2024-04-29", name: "Reunification Day (bridge day)", source: PLAN },
  { day: "2025-05-02", name: "Labour Day (bridge day)", source: PLAN },
];

const byYear = new Map<number, CalendarException[]>();
for (const e of CALENDAR_EXCEPTIONS) {
  const y = Number(e.day.slice(0, 4));
  byYear.set(y, [...(byYear.get(y) ?? []), e]);
}

export function exceptionsOf(year: number): CalendarException[] {
  return byYear.get(year) ?? [];
}

/**
 * Weekdays the calendar holds as trading days although the vn-daily data set has no bar in any
 * series; the local check (calendar-vn-daily.test.ts) allows exactly these. No closure of HOSE is
 * known for them, so they are taken as gaps of the data source, not exchange holidays.
 */
export const VN_DAILY_DATA_GAPS: { day: VnDate; reason: string }[] = [
  { day: "2006-01-16", reason: "VNINDEX, the only series then, has no bar; no announced closure is known" },
  { day: "2018-01-23", reason: "no bar in any of the 15 series while the days around have all 15; no announced closure is known" },
  { day: "2018-01-24", reason: "no bar in any of the 15 series while the days around have all 15; no announced closure is known" },
];
