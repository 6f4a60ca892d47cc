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

/**
 * A date as an analyst types it, day first (26/11/2026, 26.11.2026, or 2026-11-26), as the API's YYYY-MM-DD;
 * "" for none, null when unreadable. Forms use text fields rather than the browser's date control, which
 * shows month first in an en-US browser.
 */
export function isoDate(text: string): string | null {
  const t = text.trim();
  if (t === "") return "";
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  const [y, m, d] = iso ? [+iso[1]!, +iso[2]!, +iso[3]!] : vn ? [+vn[3]!, +vn[2]!, +vn[1]!] : [0, 0, 0];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (!y || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

