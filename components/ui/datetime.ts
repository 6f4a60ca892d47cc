/** Times as a person in Vietnam reads them: 26/11/2026 14:05 in GMT+7, whatever the server's zone. */
const dateTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

const dateOnly = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh",
  day: "numeric",
  month: "short",
  year: "numeric",
});

export function formatDateTimeVn(date: Date): string {
  return `${dateTime.format(date).replace(",", "")} GMT+7`;
}

export function formatDateVn(date: Date): string {
  return dateOnly.format(date);
}

const VN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A time as workflow outputs store it: a Vietnamese date ('2026-12-01', a daily bar) as 01/12/2026, an
 * instant (ISO with its offset, or epoch ms from runs stored before times were written so) as
 * formatDateTimeVn.
 */
export function formatBarTimeVn(value: string | number): string {
  if (typeof value === "string") {
    const m = VN_DATE.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : formatDateTimeVn(d);
}

/** formatDateTimeVn without the zone, for lists whose page names the zone once ("times in GMT+7"). */
export function formatDateTimeVnShort(date: Date): string {
  return dateTime.format(date).replace(",", "");
}
