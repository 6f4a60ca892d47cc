/**
 * UTC <-> Asia/Ho_Chi_Minh at the edges. The database and lib/ hold UTC instants (Date); a person reads
 * Vietnam time, so API responses format with toVnIso() and inputs without a zone are read as Vietnam
 * time. Vietnam has kept UTC+7 without daylight saving since 1975, so the offset is a constant.
 */
const VN_OFFSET_MS = 7 * 3_600_000;

/** ISO 8601 in Vietnam time with its offset: 2026-11-26T09:15:00+07:00 (milliseconds only when present). */
export function toVnIso(instant: Date): string {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError("Invalid Date");
  const local = new Date(t + VN_OFFSET_MS).toISOString(); // 2026-11-26T09:15:00.000Z, read as local
  const body = local.endsWith(".000Z") ? local.slice(0, 19) : local.slice(0, 23);
  return `${body}+07:00`;
}

/** The Vietnamese calendar date of an instant, 'YYYY-MM-DD'. */
export function toVnDate(instant: Date): string {
  return toVnIso(instant).slice(0, 10);
}

/**
 * A bar's time as workflow outputs write it: a daily bar as its Vietnamese date ('2026-12-01' for the
 * trading day 1 Dec, stamped 2026-11-30T17:00Z), any other bar as toVnIso.
 */
export function toVnBarTime(instant: Date, daily: boolean): string {
  return daily ? toVnDate(instant) : toVnIso(instant);
}

/** Whether an instant is 00:00 in Vietnam, the stamp of a daily bar. */
export function isVnMidnight(instant: Date): boolean {
  return (instant.getTime() + VN_OFFSET_MS) % 86_400_000 === 0;
}

const EPOCH_MS = /^\d{1,15}$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

function vnWallClock(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date | undefined {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(t);
  // Date.UTC rolls 2026-02-30 over to March: a real date survives the round trip.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return new Date(t - VN_OFFSET_MS);
}

/**
 * Parses an instant given by a person or a client: epoch milliseconds ("1764123300000"), ISO 8601 with
 * a zone ("2026-11-26T02:15:00Z", "…+07:00"), or a date / date-time without one, read as Vietnam time
 * ("2026-11-26" = 00:00 in Vietnam). Returns undefined when it is none of these or not a real date.
 */
export function parseInstant(text: string): Date | undefined {
  const value = text.trim();
  if (EPOCH_MS.test(value)) return new Date(Number(value));
  let m = DATE_ONLY.exec(value);
  if (m) return vnWallClock(Number(m[1]), Number(m[2]), Number(m[3]));
  m = LOCAL_DATE_TIME.exec(value);
  if (m) {
    const ms = m[7] ? Number(m[7].padEnd(3, "0")) : 0;
    return vnWallClock(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms);
  }
  if (ZONED.test(value)) {
    // Check the date part is real before trusting Date.parse (which rolls impossible dates over).
    const [y, mo, d] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
    if (!vnWallClock(y, mo, d)) return undefined;
    const t = Date.parse(value.replace(" ", "T"));
    return Number.isNaN(t) ? undefined : new Date(t);
  }
  return undefined;
}
