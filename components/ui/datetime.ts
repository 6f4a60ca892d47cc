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
