/**
 * The Vietnamese trading calendar: which days the exchanges open, and which 1-minute bars can exist
 * on such a day.
 *
 * Days are Vietnamese calendar dates held as `VnDate` strings ('YYYY-MM-DD'). Vietnam has used a
 * fixed UTC+7 with no daylight saving since 1975, so converting to UTC is plain arithmetic:
 * 00:00 in Vietnam is 17:00 UTC of the previous day.
 */
import type { Exchange } from "./rules";

/** A Vietnamese calendar date, 'YYYY-MM-DD'. */
export type VnDate = string;

export const VN_UTC_OFFSET_MINUTES = 7 * 60;
const OFFSET_MS = VN_UTC_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;
const VN_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks that `value` is a real calendar date written 'YYYY-MM-DD'; throws a RangeError otherwise. */
export function parseVnDate(value: string): VnDate {
  const m = VN_DATE_RE.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) return value;
  }
  throw new RangeError(`Not a calendar date 'YYYY-MM-DD': ${JSON.stringify(value)}`);
}

/** Days since 1970-01-01 of a VnDate (the date itself, no time zone involved). */
function dayNumber(day: VnDate): number {
  return Date.parse(`${parseVnDate(day)}T00:00:00Z`) / DAY_MS;
}

function fromDayNumber(n: number): VnDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The Vietnamese calendar date at a UTC instant. */
export function vnDateOf(instant: Date): VnDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError("Invalid Date");
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since 00:00 Vietnam time of a UTC instant. */
export function vnMinuteOfDay(instant: Date): number {
  const ms = instant.getTime() + OFFSET_MS;
  return Math.floor((((ms % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/** The UTC instant of `minuteOfDay` minutes after 00:00 Vietnam time on `day`. */
export function vnTimeToUtc(day: VnDate, minuteOfDay: number): Date {
  return new Date(dayNumber(day) * DAY_MS + minuteOfDay * 60_000 - OFFSET_MS);
}

/** 00:00 Vietnam time of `day` as a UTC instant (17:00 UTC the day before): how daily bars are stamped. */
export function vnMidnightUtc(day: VnDate): Date {
  return vnTimeToUtc(day, 0);
}

export function addDays(day: VnDate, n: number): VnDate {
  return fromDayNumber(dayNumber(day) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: VnDate): number {
  return new Date(dayNumber(day) * DAY_MS).getUTCDay();
}

/**
 * Weekdays on which HOSE and HNX (and so UPCOM) were, or are expected to be, closed, 2019–2027.
 *
 * Source: the exchanges' holiday notices as remembered, which follow the Labour Code and the
 * government's yearly holiday plan. Assumptions to know about:
 * - Tết and Hùng Kings' day follow the lunar calendar; the Tết closures are the announced
 *   five-weekday schedules around the new year, and 2027 is a projection on the same pattern.
 * - A holiday falling on a weekend moves to the next working day(s) (the Labour Code's rule).
 * - National Day gets one adjacent day (1 or 3 Sep) from 2021 (Labour Code 2019, effective 2021);
 *   the government picks which: 2026 and 2027 are guesses.
 * - Swapped working days of the government plans (2019-04-29, 2024-04-29, 2025-05-02) are
 *   included because the exchanges closed on them too; swaps not yet announced are not.
 * Errors here only move demo data by a day; a live feed is the authority for real trading days.
 */
const CLOSURES: Record<number, Record<string, string>> = {
  2019: {
    "01-01": "New Year",
    "02-04": "Tết", "02-05": "Tết", "02-06": "Tết", "02-07": "Tết", "02-08": "Tết",
    "04-15": "Hùng Kings (14 Apr, a Sunday)",
    "04-29": "Reunification Day (swapped day)", "04-30": "Reunification Day", "05-01": "Labour Day",
    "09-02": "National Day",
  },
  2020: {
    "01-01": "New Year",
    "01-23": "Tết", "01-24": "Tết", "01-27": "Tết", "01-28": "Tết", "01-29": "Tết",
    "04-02": "Hùng Kings",
    "04-30": "Reunification Day", "05-01": "Labour Day",
    "09-02": "National Day",
  },
  2021: {
    "01-01": "New Year",
    "02-10": "Tết", "02-11": "Tết", "02-12": "Tết", "02-15": "Tết", "02-16": "Tết",
    "04-21": "Hùng Kings",
    "04-30": "Reunification Day", "05-03": "Labour Day (1 May, a Saturday)",
    "09-02": "National Day", "09-03": "National Day",
  },
  2022: {
    "01-03": "New Year (1 Jan, a Saturday)",
    "01-31": "Tết", "02-01": "Tết", "02-02": "Tết", "02-03": "Tết", "02-04": "Tết",
    "04-11": "Hùng Kings (10 Apr, a Sunday)",
    "05-02": "Reunification Day (30 Apr, a Saturday)", "05-03": "Labour Day (1 May, a Sunday)",
    "09-01": "National Day", "09-02": "National Day",
  },
  2023: {
    "01-02": "New Year (1 Jan, a Sunday)",
    "01-20": "Tết", "01-23": "Tết", "01-24": "Tết", "01-25": "Tết", "01-26": "Tết",
    "05-01": "Labour Day",
    "05-02": "Hùng Kings (29 Apr, a Saturday)", "05-03": "Reunification Day (30 Apr, a Sunday)",
    "09-01": "National Day", "09-04": "National Day (2 Sep, a Saturday)",
  },
  2024: {
    "01-01": "New Year",
    "02-08": "Tết", "02-09": "Tết", "02-12": "Tết", "02-13": "Tết", "02-14": "Tết",
    "04-18": "Hùng Kings",
    "04-29": "Reunification Day (swapped day)", "04-30": "Reunification Day", "05-01": "Labour Day",
    "09-02": "National Day", "09-03": "National Day",
  },
  2025: {
    "01-01": "New Year",
    "01-27": "Tết", "01-28": "Tết", "01-29": "Tết", "01-30": "Tết", "01-31": "Tết",
    "04-07": "Hùng Kings",
    "04-30": "Reunification Day", "05-01": "Labour Day", "05-02": "Labour Day (swapped day)",
    "09-01": "National Day", "09-02": "National Day",
  },
  2026: {
    "01-01": "New Year",
    "02-16": "Tết", "02-17": "Tết", "02-18": "Tết", "02-19": "Tết", "02-20": "Tết",
    "04-27": "Hùng Kings (26 Apr, a Sunday)",
    "04-30": "Reunification Day", "05-01": "Labour Day",
    "09-01": "National Day", "09-02": "National Day",
  },
  2027: {
    "01-01": "New Year",
    "02-04": "Tết", "02-05": "Tết", "02-08": "Tết", "02-09": "Tết", "02-10": "Tết",
    "04-15": "Hùng Kings",
    "04-30": "Reunification Day", "05-03": "Labour Day (1 May, a Saturday)",
    "09-02": "National Day", "09-03": "National Day",
  },
};

export const CALENDAR_YEARS = { from: 2019, to: 2027 } as const;

/**
 * Outside the table only the solar-calendar holidays are known without an announcement: each on
 * its date, moved to the next weekday when it falls on a weekend. Tết and Hùng Kings' day are
 * missing there, so such years have a few trading days too many.
 */
const SOLAR_HOLIDAYS: [string, string][] = [
  ["01-01", "New Year"],
  ["04-30", "Reunification Day"],
  ["05-01", "Labour Day"],
  ["09-02", "National Day"],
];

function solarClosures(year: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [md, name] of SOLAR_HOLIDAYS) {
    let day = `${year}-${md}`;
    while (weekday(day) === 0 || weekday(day) === 6 || out[day.slice(5)] !== undefined) day = addDays(day, 1);
    out[day.slice(5)] = name;
  }
  return out;
}

/** Why the exchanges are closed on a weekday (a holiday's name), or undefined. */
export function holidayName(day: VnDate): string | undefined {
  const year = Number(parseVnDate(day).slice(0, 4));
  const table = CLOSURES[year] ?? solarClosures(year);
  return table[day.slice(5)];
}

export function isTradingDay(day: VnDate): boolean {
  const wd = weekday(day);
  return wd !== 0 && wd !== 6 && holidayName(day) === undefined;
}

/** The first trading day strictly after `day`. */
export function nextTradingDay(day: VnDate): VnDate {
  let d = addDays(day, 1);
  while (!isTradingDay(d)) d = addDays(d, 1);
  return d;
}

/** The last trading day strictly before `day`. */
export function previousTradingDay(day: VnDate): VnDate {
  let d = addDays(day, -1);
  while (!isTradingDay(d)) d = addDays(d, -1);
  return d;
}

/** Trading days from `from` to `to`, both included when they are trading days; [] if from > to. */
export function tradingDaysBetween(from: VnDate, to: VnDate): VnDate[] {
  const out: VnDate[] = [];
  const last = dayNumber(to);
  for (let n = dayNumber(from); n <= last; n++) {
    const d = fromDayNumber(n);
    if (isTradingDay(d)) out.push(d);
  }
  return out;
}

// ---------------------------------------------------------------- sessions

const hm = (h: number, m: number) => h * 60 + m;

/**
 * Trading sessions in minutes after 00:00 Vietnam time: continuous matching as [start, end) and the
 * closing call auction's match time. How the auctions appear as 1-minute bars (the convention of
 * broker charts such as DNSE's):
 * - HOSE's opening auction (ATO, 09:00–09:15) matches at 09:15 and is the first trade of the 09:15
 *   bar; there are no bars 09:00–09:14.
 * - The closing auction (ATC, 14:30–14:45, HOSE and HNX) is one bar stamped 14:45 holding the single
 *   closing match; there are no bars 14:30–14:44.
 * - UPCOM has no auctions: continuous 09:00–11:30 and 13:00–15:00.
 * Lunch (11:30–13:00) has no bars anywhere.
 */
export const SESSIONS: Record<Exchange, { continuous: [number, number][]; closingAuction: number | null }> = {
  HOSE: { continuous: [[hm(9, 15), hm(11, 30)], [hm(13, 0), hm(14, 30)]], closingAuction: hm(14, 45) },
  HNX: { continuous: [[hm(9, 0), hm(11, 30)], [hm(13, 0), hm(14, 30)]], closingAuction: hm(14, 45) },
  UPCOM: { continuous: [[hm(9, 0), hm(11, 30)], [hm(13, 0), hm(15, 0)]], closingAuction: null },
};

/** Minutes after 00:00 Vietnam time at which a 1-minute bar can start on a trading day, in order. */
export function sessionMinuteOffsets(exchange: Exchange): number[] {
  const s = SESSIONS[exchange];
  const out: number[] = [];
  for (const [start, end] of s.continuous) for (let m = start; m < end; m++) out.push(m);
  if (s.closingAuction !== null) out.push(s.closingAuction);
  return out;
}

/** The UTC start of every 1-minute bar that can exist on `day` ([] when the exchange is closed). */
export function sessionMinutes(exchange: Exchange, day: VnDate): Date[] {
  if (!isTradingDay(day)) return [];
  return sessionMinuteOffsets(exchange).map((m) => vnTimeToUtc(day, m));
}

export type SessionPhase = "closed" | "pre-open" | "opening-auction" | "continuous" | "lunch" | "closing-auction" | "after-close";

/** Where the exchange's day stands at a UTC instant (for "is the market open?" questions). */
export function sessionPhase(exchange: Exchange, instant: Date): SessionPhase {
  if (!isTradingDay(vnDateOf(instant))) return "closed";
  const m = vnMinuteOfDay(instant);
  const s = SESSIONS[exchange];
  const [morning, afternoon] = s.continuous as [[number, number], [number, number]];
  if (m < hm(9, 0)) return "pre-open";
  if (m < morning[0]) return "opening-auction";
  if (m < morning[1]) return "continuous";
  if (m < afternoon[0]) return "lunch";
  if (m < afternoon[1]) return "continuous";
  if (s.closingAuction !== null && m < s.closingAuction) return "closing-auction";
  return "after-close";
}
