/**
 * The Vietnamese trading calendar: which days the exchanges open, and which 1-minute bars can exist
 * on such a day.
 *
 * Days are Vietnamese calendar dates held as `VnDate` strings ('YYYY-MM-DD'). Vietnam has used a
 * fixed UTC+7 with no daylight saving since 1975, so converting to UTC is plain arithmetic:
 * 00:00 in Vietnam is 17:00 UTC of the previous day.
 */
import { exceptionsOf } from "./calendar-exceptions";
import { hungKingsDay, tetDay } from "./lunar";
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
 * Which weekdays the exchanges close, 2000–2030, is computed from the legal holidays of each era
 * plus the exchanges' announced exceptions (calendar-exceptions.ts):
 *
 * - Fixed days: New Year (1 Jan), Reunification (30 Apr), Labour Day (1 May), National Day (2 Sep),
 *   and from 2021 one day next to National Day (Labour Code 2019, art. 112).
 * - Tết: 4 days (the last day of the lunar year and the first three of the new one) under the
 *   Labour Code 1994 (art. 73); 5 days from 2013 (Labour Code 2012, art. 115), taken here as the
 *   last two days of the old year and the first three of the new one (the plans of 2016–2020). The government's yearly plan may
 *   shift them; those shifts are exceptions.
 * - Hùng Kings' day (10th day of the 3rd lunar month) from 2007 (Law 84/2007/QH11).
 * - A holiday on a Saturday or Sunday gives a compensatory day off on the next working day.
 * - HOSE opened on 28 Jul 2000 and held sessions on Mondays, Wednesdays and Fridays until it went
 *   to five sessions a week on 1 Mar 2002.
 * Lunar dates come from lib/market/lunar.ts (astronomical, at UTC+7), not from a table.
 */
export const CALENDAR_YEARS = { from: 2000, to: 2030 } as const;

const EXCHANGE_OPENED: VnDate = "2000-07-28";
const FIVE_SESSIONS_FROM: VnDate = "2002-03-01";

const isWeekend = (day: VnDate) => weekday(day) === 0 || weekday(day) === 6;
const mmdd = (year: number, md: string): VnDate => `${year}-${md}`;

/** The legal days off of `year` (weekends included), in date order, each with its name. */
function legalHolidays(year: number): [VnDate, string][] {
  const out: [VnDate, string][] = [[mmdd(year, "01-01"), "New Year"]];
  const tet = tetDay(year);
  const [before, after] = year >= 2013 ? [2, 2] : [1, 2];
  for (let i = -before; i <= after; i++) out.push([addDays(tet, i), "Tết"]);
  if (year >= 2007) out.push([hungKingsDay(year), "Hùng Kings"]);
  out.push([mmdd(year, "04-30"), "Reunification Day"], [mmdd(year, "05-01"), "Labour Day"]);
  const national = mmdd(year, "09-02");
  if (year >= 2021) {
    // The government picks 1 or 3 Sep each year. The default follows the plans of 2021–2025 for
    // the same weekday (the eve of a Tue/Fri/Sat, the day after a Mon/Thu); Wed and Sun are guesses.
    const wd = weekday(national);
    const adjacent = wd === 2 || wd === 3 || wd === 5 || wd === 6 ? addDays(national, -1) : addDays(national, 1);
    out.push([adjacent, "National Day"], [national, "National Day"]);
  } else {
    out.push([national, "National Day"]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const closuresCache = new Map<number, Map<VnDate, string>>();

/** The weekdays of `year` on which the exchanges close, with the reason. */
function closures(year: number): Map<VnDate, string> {
  const cached = closuresCache.get(year);
  if (cached) return cached;
  const holidays = legalHolidays(year);
  const taken = new Set(holidays.map(([d]) => d));
  const out = new Map<VnDate, string>();
  for (const [day, name] of holidays) {
    if (!isWeekend(day)) {
      out.set(day, name);
      continue;
    }
    let comp = addDays(day, 1);
    while (isWeekend(comp) || taken.has(comp)) comp = addDays(comp, 1);
    taken.add(comp);
    out.set(comp, `${name} (${Number(day.slice(8))} ${MONTHS[Number(day.slice(5, 7)) - 1]}, a ${isSunday(day) ? "Sunday" : "Saturday"})`);
  }
  for (const e of exceptionsOf(year)) {
    if (e.open) out.delete(e.day);
    else out.set(e.day, e.name);
  }
  closuresCache.set(year, out);
  return out;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const isSunday = (day: VnDate) => weekday(day) === 0;

/**
 * Why the exchanges are closed on a weekday (a holiday's name, or why HOSE held no session), or
 * undefined on a trading day and on weekends.
 */
export function holidayName(day: VnDate): string | undefined {
  const year = Number(parseVnDate(day).slice(0, 4));
  if (isWeekend(day)) return undefined;
  if (day < EXCHANGE_OPENED) return "Before HOSE's first session (28 Jul 2000)";
  if (day < FIVE_SESSIONS_FROM && (weekday(day) === 2 || weekday(day) === 4)) return "No session (HOSE traded Mon, Wed, Fri until Mar 2002)";
  return closures(year).get(day);
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

/** The last trading day whose sessions are over at `now` (15:00 in Vietnam closes every exchange). */
export function lastClosedTradingDay(now: Date): VnDate {
  const today = vnDateOf(now);
  return isTradingDay(today) && vnMinuteOfDay(now) >= 15 * 60 ? today : previousTradingDay(today);
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
