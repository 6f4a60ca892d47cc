/**
 * Where `npm start` listens. The README publishes the demo account's password, so a laptop's server must
 * not be reachable from the café's network unless its owner says so: 127.0.0.1 by default.
 *
 * HOST names the address to listen on (0.0.0.0 or :: for every interface). HOSTNAME is honoured too, as
 * Next's own server does, but only when it is an IP address: shells and Docker export HOSTNAME as the
 * machine's or container's *name*, and listening there would open the server without anyone asking.
 */
import net from "node:net";

export const DEFAULT_LISTEN_HOST = "127.0.0.1";

export interface ListenHost {
  /** The address given to the server. */
  host: string;
  /** Where the variables came from, for the start log. */
  source: "HOST" | "HOSTNAME" | "default";
  /** Only this machine can connect. */
  loopbackOnly: boolean;
}

export function resolveListenHost(vars: { HOST?: string; HOSTNAME?: string }): ListenHost {
  const host = vars.HOST?.trim();
  if (host) return { host, source: "HOST", loopbackOnly: isLoopback(host) };
  const hostname = vars.HOSTNAME?.trim();
  if (hostname && net.isIP(hostname)) return { host: hostname, source: "HOSTNAME", loopbackOnly: isLoopback(hostname) };
  return { host: DEFAULT_LISTEN_HOST, source: "default", loopbackOnly: true };
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}

/** The address this machine's own requests reach the server at (a wildcard listens on loopback too). */
export function probeAddress(host: string): string {
  const h = host.replace(/^\[|\]$/g, "");
  if (h === "0.0.0.0" || h === "" || h === "localhost") return "127.0.0.1";
  if (h === "::") return "[::1]";
  return net.isIPv6(h) ? `[${h}]` : h;
}
