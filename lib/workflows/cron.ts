/**
 * Five-field cron (minute hour day-of-month month day-of-week) read in Asia/Ho_Chi_Minh, for the
 * schedule trigger: parse with a message per mistake, and list the next run times (the builder shows
 * five). Supports `*`, numbers, ranges `a-b`, steps `*\/s`, `a-b/s`, `a/s`, and lists `x,y`; weekday 0 or 7
 * is Sunday. No month or weekday names and no `@daily` macros (not needed by the builder's form).
 * Like Vixie cron, when both day fields are restricted a day matching either one runs.
 * A sixth (seconds) field is refused: nothing may run more often than every minute.
 */
import { addDays, isTradingDay, vnDateOf, vnTimeToUtc, weekday } from "../market/calendar";

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CronError";
  }
}

export interface CronSchedule {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  dayOfMonthRestricted: boolean;
  dayOfWeekRestricted: boolean;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

function parseField(text: string, { name, min, max }: (typeof FIELDS)[number]): number[] {
  const out = new Set<number>();
  for (const item of text.split(",")) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw new CronError(`${name}: cannot read "${item}" (use *, n, a-b, */s, a-b/s or lists a,b)`);
    const [, range = "", stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronError(`${name}: step must be ≥ 1 in "${item}"`);
    let lo: number = min;
    let hi: number = max;
    if (range !== "*") {
      const [a, b] = range.split("-").map(Number) as [number, number | undefined];
      lo = a;
      // "a/s" means from a to the end, stepping by s; a bare "a" is just a.
      hi = b ?? (stepText === undefined ? a : max);
    }
    if (lo < min || hi > max || lo > hi) throw new CronError(`${name}: "${item}" is outside ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((x, y) => x - y);
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length === 6) {
    throw new CronError("6 fields: a seconds field would run more often than every minute; use 5 fields (minute hour day month weekday)");
  }
  if (parts.length !== 5) throw new CronError(`expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  const [mi, h, dom, mo, dow] = parts.map((p, i) => parseField(p, FIELDS[i] as (typeof FIELDS)[number])) as [number[], number[], number[], number[], number[]];
  return {
    minutes: mi,
    hours: h,
    daysOfMonth: new Set(dom),
    months: new Set(mo),
    daysOfWeek: new Set(dow.map((d) => d % 7)),
    dayOfMonthRestricted: parts[2] !== "*",
    dayOfWeekRestricted: parts[4] !== "*",
  };
}

function dayMatches(s: CronSchedule, day: string): boolean {
  if (!s.months.has(Number(day.slice(5, 7)))) return false;
  const domOk = s.daysOfMonth.has(Number(day.slice(8, 10)));
  const dowOk = s.daysOfWeek.has(weekday(day));
  if (s.dayOfMonthRestricted && s.dayOfWeekRestricted) return domOk || dowOk;
  return domOk && dowOk;
}

/** How far ahead to look: a "29 Feb on a Monday" schedule can be years apart, but not more than this. */
const MAX_DAYS_AHEAD = 366 * 8;

/** The next `count` run times strictly after `after` (UTC instants), Vietnam wall-clock matching. */
export function nextRuns(expression: string | CronSchedule, after: Date, count = 5, options: { tradingDaysOnly?: boolean } = {}): Date[] {
  const s = typeof expression === "string" ? parseCron(expression) : expression;
  const out: Date[] = [];
  let day = vnDateOf(after);
  for (let i = 0; i < MAX_DAYS_AHEAD && out.length < count; i++, day = addDays(day, 1)) {
    if (!dayMatches(s, day) || (options.tradingDaysOnly && !isTradingDay(day))) continue;
    for (const h of s.hours) {
      for (const m of s.minutes) {
        const t = vnTimeToUtc(day, h * 60 + m);
        if (t.getTime() > after.getTime()) out.push(t);
        if (out.length === count) return out;
      }
    }
  }
  return out;
}
