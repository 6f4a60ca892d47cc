/**
 * Numbers as Vietnamese analysts read them on the chart and the snapshot strip: prices in full VND
 * with thousands separators (25,950), index points with two decimals (1,620.35), large values
 * abbreviated (1.2M, 350M, 1.2B) with the exact figure kept for the hover title. Pure: no React.
 */

export type PriceUnit = "VND" | "points" | "USD/t" | "USD/bbl";

const grouped0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const grouped2 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A price in full VND with thousands separators: 25950 → "25,950". */
export function formatVnd(value: number): string {
  return grouped0.format(Math.round(value));
}

/** A price in its unit: VND whole with separators; index points and USD/t or USD/bbl with two decimals. */
export function formatPrice(value: number, unit: PriceUnit): string {
  return unit === "VND" ? formatVnd(value) : grouped2.format(value);
}

/** The exact figure with separators, for titles and tooltips: 1234567 → "1,234,567". */
export function formatExact(value: number): string {
  return grouped0.format(value);
}

const STEPS: readonly [number, string][] = [
  [1e12, "T"],
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "K"],
];

/**
 * A large value in at most three significant figures: 950 → "950", 12_345 → "12.3K",
 * 1_234_567 → "1.2M", 350_000_000 → "350M", 1_200_000_000 → "1.2B". Below 100 of a unit one
 * decimal is kept (dropped when it is .0); a value that rounds up to the next unit moves to it
 * (999_960 → "1M", not "1000K"). Negative values keep their sign.
 */
export function abbreviate(value: number): string {
  if (!Number.isFinite(value)) return "—";
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  for (let i = 0; i < STEPS.length; i++) {
    const [size, suffix] = STEPS[i] as [number, string];
    if (abs >= size * 0.9995 || (i === STEPS.length - 1 && abs >= 999.5)) {
      const scaled = abs / size;
      const text = scaled < 99.95 ? trimZero(scaled.toFixed(1)) : String(Math.round(scaled));
      // 999.6K rounds to "1000": say 1M instead (the larger unit was checked first, so only here).
      const larger = STEPS[i - 1];
      if (text === "1000" && larger) return `${sign}1${larger[1]}`;
      return `${sign}${text}${suffix}`;
    }
  }
  return `${sign}${grouped0.format(Math.round(abs))}`;
}

function trimZero(text: string): string {
  return text.endsWith(".0") ? text.slice(0, -2) : text;
}

/** A change in percent with its sign: 1.234 → "+1.23%", -0.5 → "-0.50%", 0 → "0.00%". */
export function formatChangePct(pct: number): string {
  if (!Number.isFinite(pct)) return "—";
  const rounded = Math.round(pct * 100) / 100;
  if (rounded === 0) return "0.00%";
  return `${rounded > 0 ? "+" : "-"}${Math.abs(rounded).toFixed(2)}%`;
}

/** The change of `close` against `previous` in percent; null without a previous close. */
export function changePct(close: number, previous: number | null | undefined): number | null {
  if (previous === null || previous === undefined || previous === 0) return null;
  return ((close - previous) / previous) * 100;
}

export type Direction = "up" | "down" | "flat";

/** The board colour of a change: up green, down red, unchanged yellow (reference). */
export function directionOf(change: number | null | undefined): Direction {
  if (change === null || change === undefined || !Number.isFinite(change)) return "flat";
  // Below a hundredth of a percent it reads as unchanged.
  if (Math.abs(change) < 0.005) return "flat";
  return change > 0 ? "up" : "down";
}

const DMY = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** A calendar date written day/month/year (26/11/2026, 1/3/2025) as "YYYY-MM-DD"; undefined when it is not a real date. */
export function parseDayMonthYear(text: string): string | undefined {
  const m = DMY.exec(text);
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined;
  return t.toISOString().slice(0, 10);
}

/** "YYYY-MM-DD" as 26/11/2026. */
export function formatDayMonthYear(date: string): string {
  const [y, mo, d] = date.split("-");
  return `${d}/${mo}/${y}`;
}

/** "YYYY-MM-DD" as "Thu 26 Nov 2026": the month named, so day and month cannot be mixed up. */
export function formatLongDate(date: string): string {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${d} ${MONTHS[mo - 1]} ${y}`;
}
