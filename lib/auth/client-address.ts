/**
 * The client's address for the throttles. The socket's address is the only one nobody can forge;
 * X-Forwarded-For counts only as far as QUANTFLOW_TRUSTED_PROXIES proxies vouch for it: each trusted
 * proxy appends the address it saw, so with N proxies the client is the N-th entry from the right of
 * [...X-Forwarded-For, socket]. Entries further left were written by the client and are ignored.
 *
 * The socket's address reaches route handlers and server actions as PEER_HEADER, which
 * lib/http/peer-address.ts writes on every request (overwriting whatever the client sent): Next itself
 * keeps a client's X-Forwarded-For and drops the socket's address when one is present.
 */
import { isIP } from "node:net";
import { env } from "../env";

export const PEER_HEADER = "x-quantflow-peer";

type Headers = Record<string, string | string[] | undefined> | { get(name: string): string | null };

let warnedNoPeer = false;

function header(headers: Headers, name: string): string | undefined {
  const v = typeof headers.get === "function" ? (headers as { get(n: string): string | null }).get(name) : (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join(",") : (v ?? undefined);
}

const clean = (a: string | undefined) => {
  const address = a?.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return address && isIP(address) ? address : undefined;
};

export function clientAddress(headers: Headers, trustedProxies: number = env().QUANTFLOW_TRUSTED_PROXIES): string | undefined {
  const forwarded = (header(headers, "x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const peer = header(headers, PEER_HEADER);
  if (peer === undefined) {
    // Only when the server hook is missing (a custom server): then Next's own header is all there is.
    if (!warnedNoPeer) {
      warnedNoPeer = true;
      console.warn("[auth] the socket's address is unknown (lib/http/peer-address.ts not installed); using X-Forwarded-For.");
    }
    return clean(forwarded.at(-1));
  }
  const chain = [...forwarded, peer];
  return clean(chain[Math.max(0, chain.length - 1 - trustedProxies)]);
}
