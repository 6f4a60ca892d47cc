/**
 * Vietnamese lunar dates to solar dates, for the lunar holidays (Tết, Hùng Kings' day).
 *
 * Computed with `date-chinese`'s CalendarVietnamese (the engine behind `date-holidays`' Vietnamese
 * rules): new moons and solar terms from astronomical series, reckoned at UTC+7 (Vietnam's meridian
 * since 1968). The Vietnamese and Chinese (UTC+8) calendars put the new year on different days in
 * some years (1985, 2007, 2030), so a Chinese calendar would be wrong here.
 */
import { CalendarVietnamese } from "date-chinese";

const cal = new CalendarVietnamese();
const cache = new Map<string, string>();

/**
 * The solar date ('YYYY-MM-DD') of day `day` of lunar month `month` (not a leap month) in the lunar
 * year that begins in solar year `year`.
 */
export function vnLunarToSolar(year: number, month: number, day: number): string {
  const key = `${year}-${month}-${day}`;
  let out = cache.get(key);
  if (out === undefined) {
    // cycle and year are ignored when a Gregorian year is given to toGregorian.
    const g = cal.set(0, 0, month, 0, day).toGregorian(year);
    out = `${g.year}-${String(g.month).padStart(2, "0")}-${String(g.day).padStart(2, "0")}`;
    cache.set(key, out);
  }
  return out;
}

/** Tết: the first day of the lunar year that begins in solar year `year`. */
export const tetDay = (year: number): string => vnLunarToSolar(year, 1, 1);

/** Hùng Kings' commemoration: the 10th day of the 3rd lunar month. */
export const hungKingsDay = (year: number): string => vnLunarToSolar(year, 3, 10);
