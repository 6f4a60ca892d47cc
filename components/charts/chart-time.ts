/**
 * Times on the chart. lightweight-charts has no time zones: it shows a UTC timestamp as if it were
 * local. So intraday bars are given as their UTC instant shifted by +7 h (25,200 s) and every label
 * is read back with the UTC getters; daily bars are given as business days (the Vietnamese trading
 * date). Bars are placed by index, so nights, weekends and the lunch break take no room. Pure: no React.
 */
import type { BusinessDay, Time, UTCTimestamp } from "lightweight-charts";

export const VN_OFFSET_SECONDS = 7 * 60 * 60;

/** lib/market/candles.ts' CANDLE_RESOLUTIONS, kept here so the page does not ship lib's SQL (a test checks they agree). */
export const RESOLUTIONS = ["1m", "5m", "15m", "30m", "1h", "4h", "1D", "1W", "1M"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export function isResolution(value: unknown): value is Resolution {
  return typeof value === "string" && (RESOLUTIONS as readonly string[]).includes(value);
}

/** Bars shorter than a day; 1D, 1W and 1M bars are stamped with the Vietnamese date they start on. */
export function isIntraday(resolution: Resolution): boolean {
  return resolution !== "1D" && resolution !== "1W" && resolution !== "1M";
}

/** Milliseconds since the epoch of an API time ("2026-11-26T09:15:00+07:00"); throws on garbage. */
export function parseApiTime(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`Not a time: ${JSON.stringify(iso)}`);
  return ms;
}

/** The Vietnamese calendar date of an instant. */
export function vnBusinessDay(ms: number): BusinessDay {
  const d = new Date(ms + VN_OFFSET_SECONDS * 1000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The instant shifted so that lightweight-charts, reading it as UTC, shows the GMT+7 wall time. */
export function shiftedTimestamp(ms: number): UTCTimestamp {
  return (Math.floor(ms / 1000) + VN_OFFSET_SECONDS) as UTCTimestamp;
}

/** The chart time of an API bar: shifted timestamp for intraday, business day for daily bars. */
export function toChartTime(iso: string, resolution: Resolution): Time {
  const ms = parseApiTime(iso);
  return isIntraday(resolution) ? shiftedTimestamp(ms) : vnBusinessDay(ms);
}

const pad = (n: number) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The GMT+7 wall-clock parts of a chart time (a shifted timestamp or a business day). */
export function wallClock(time: Time): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  if (typeof time === "number") {
    const d = new Date(time * 1000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  if (typeof time === "string") {
    const [y = NaN, m = NaN, d = NaN] = time.split("-").map(Number);
    return { year: y, month: m, day: d, hour: 0, minute: 0, second: 0 };
  }
  return { year: time.year, month: time.month, day: time.day, hour: 0, minute: 0, second: 0 };
}

/** "26/11/2026 09:15" for intraday, "26/11/2026" for daily and weekly bars (a week: its Monday), "11/2026" for monthly. */
export function formatChartTime(time: Time, resolution: Resolution): string {
  const w = wallClock(time);
  if (resolution === "1M") return `${pad(w.month)}/${w.year}`;
  const date = `${pad(w.day)}/${pad(w.month)}/${w.year}`;
  return isIntraday(resolution) ? `${date} ${pad(w.hour)}:${pad(w.minute)}` : date;
}

/** lightweight-charts' TickMarkType values (a const enum in its typings, so mirrored here). */
export const TICK = { Year: 0, Month: 1, DayOfMonth: 2, Time: 3, TimeWithSeconds: 4 } as const;

/**
 * Time-axis labels in GMT+7: 2026 · Nov · 26/11 · 09:15 · 09:15:30. When the view spans more than one
 * calendar year (`spansYears`), a month or a day says its year too (Nov 2025 · 26/11/25), since the
 * one year mark at January may be scrolled out of view and "Mar" alone is then ambiguous.
 */
export function tickMark(time: Time, type: number, spansYears = false): string {
  const w = wallClock(time);
  switch (type) {
    case TICK.Year:
      return String(w.year);
    case TICK.Month: {
      const month = MONTHS[w.month - 1] ?? String(w.month);
      return spansYears ? `${month} ${w.year}` : month;
    }
    case TICK.DayOfMonth:
      return spansYears ? `${pad(w.day)}/${pad(w.month)}/${pad(w.year % 100)}` : `${pad(w.day)}/${pad(w.month)}`;
    case TICK.TimeWithSeconds:
      return `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
    default:
      return `${pad(w.hour)}:${pad(w.minute)}`;
  }
}

/** "14:05 26/11" in GMT+7, for the snapshot's "as of". */
export function formatAsOf(iso: string): string {
  const w = wallClock(shiftedTimestamp(parseApiTime(iso)));
  return `${pad(w.hour)}:${pad(w.minute)} ${pad(w.day)}/${pad(w.month)}`;
}

/** Whether the times from `a` to `b` fall in more than one calendar year (GMT+7). */
export function spansYears(a: Time, b: Time): boolean {
  return wallClock(a).year !== wallClock(b).year;
}
