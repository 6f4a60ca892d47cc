/**
 * The client's address for the sign-in throttle. Next sets x-forwarded-for to the socket's address
 * when the request has none, and a reverse proxy appends the address it saw: the last entry is the
 * one the nearest hop vouches for. A client talking to Next directly can forge the header, so the
 * per-address limit is a second line; the per-email limit does not depend on it.
 */
import { isIP } from "node:net";

export function clientAddress(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(",") : v;
  };
  const candidates = [
    header("x-forwarded-for")?.split(",").at(-1),
    header("x-real-ip"),
  ];
  for (const c of candidates) {
    const address = c?.trim().replace(/^::ffff:/, "");
    if (address && isIP(address)) return address;
  }
  return undefined;
}
