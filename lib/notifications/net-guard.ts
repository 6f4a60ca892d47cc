/**
 * Outbound HTTP for notifications (webhooks, Telegram), guarded against SSRF: the address a host name
 * resolves to is checked at connect time (the request connects to the very address that was checked, so
 * a DNS answer that changes between the check and the request cannot slip through), private, loopback,
 * link-local and other non-public ranges are refused unless QUANTFLOW_WEBHOOK_ALLOW lists the host or a
 * CIDR holding the address, plain http only to such allowed hosts, 10 s at most and 1 MB of answer at most.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

export const MAX_ANSWER_BYTES = 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 10_000;

/** A refusal or failure worth a clear sentence; `retryable` marks timeouts, 429 and 5xx. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
    /** From Retry-After (or Telegram's parameters.retry_after), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** Ranges no notification may reach by default (IANA special-purpose registries, v4 and v6). */
const NON_PUBLIC = (() => {
  const b = new BlockList();
  for (const [net, prefix] of [
    ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
    ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24],
    ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
  ] as const) b.addSubnet(net, prefix, "ipv4");
  for (const [net, prefix] of [
    ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["2001:db8::", 32], ["64:ff9b::", 96], ["100::", 64],
  ] as const) b.addSubnet(net, prefix, "ipv6");
  return b;
})();

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is checked as the IPv4 address it carries. */
function normalise(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: "ipv4" };
  return { address, family: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

export function isNonPublicAddress(address: string): boolean {
  const a = normalise(address);
  return NON_PUBLIC.check(a.address, a.family);
}

/** The operator's allow list (QUANTFLOW_WEBHOOK_ALLOW): host names, and addresses or CIDRs. */
export class AllowList {
  private readonly hosts = new Set<string>();
  private readonly nets = new BlockList();
  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const e = raw.trim().toLowerCase();
      const [net, bits] = e.split("/");
      const family = isIP(net ?? "");
      if (family) this.nets.addSubnet(net!, bits ? Number(bits) : family === 4 ? 32 : 128, family === 4 ? "ipv4" : "ipv6");
      else if (e) this.hosts.add(e);
    }
  }
  allowsHost(host: string): boolean {
    const h = host.toLowerCase().replace(/^\[|\]$/g, "");
    if (this.hosts.has(h)) return true;
    return isIP(h) ? this.allowsAddress(h) : false;
  }
  allowsAddress(address: string): boolean {
    const a = normalise(address);
    return this.nets.check(a.address, a.family);
  }
}

export interface GuardOptions {
  allow: AllowList;
  /** Resolver (tests may answer a private address for a public-looking name). */
  lookup?: typeof dnsLookup;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * Checks a URL before storing or calling it: https, or http to an allowed host; an address (literal or
 * resolved) that is public or allowed. Answers the reason it is refused, or undefined.
 */
export async function urlProblem(url: string, opts: GuardOptions): Promise<string | undefined> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "is not a URL";
  }
  if (u.username || u.password) return "must not carry a user name or password";
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const allowedHost = opts.allow.allowsHost(host);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && allowedHost)) {
    return u.protocol === "http:" ? "must use https (plain http only to hosts listed in QUANTFLOW_WEBHOOK_ALLOW)" : "must be an https:// URL";
  }
  if (allowedHost && !isIP(host)) return undefined;
  try {
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolveAll(host, opts.lookup ?? dnsLookup);
    const bad = addresses.find((a) => isNonPublicAddress(a.address) && !opts.allow.allowsAddress(a.address));
    if (bad) return `points at ${host === bad.address ? "" : `${host} = `}${bad.address}, a private, loopback or link-local address QuantFlow does not call (an operator may allow it in QUANTFLOW_WEBHOOK_ALLOW)`;
  } catch (e) {
    return `has a host that does not resolve (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  return undefined;
}

function resolveAll(host: string, lookup: typeof dnsLookup): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => lookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses as LookupAddress[]))));
}

/** The lookup the request connects through: every address it could use is checked again. */
function guardedLookup(opts: GuardOptions, host: string): LookupFunction {
  const allowedHost = opts.allow.allowsHost(host);
  return (hostname, options, callback) => {
    (opts.lookup ?? dnsLookup)(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return (callback as (e: Error | null, a: string, f?: number) => void)(err, "", 0);
      const list = addresses as unknown as LookupAddress[];
      const bad = list.find((a) => !allowedHost && isNonPublicAddress(a.address) && !opts.allow.allowsAddress(a.address));
      if (bad || list.length === 0) {
        return (callback as (e: Error | null, a: string, f?: number) => void)(new DeliveryError(`${hostname} resolves to ${bad?.address ?? "nothing"}, a private, loopback or link-local address QuantFlow does not call`), "", 0);
      }
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      else (callback as (e: null, a: string, f: number) => void)(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface GuardedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Retry-After in ms: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** POSTs a JSON body through the guard; answers status, headers and the (size-capped) body. */
export async function guardedPost(url: string, body: string, headers: Record<string, string>, opts: GuardOptions): Promise<GuardedResponse> {
  const problem = await urlProblem(url, opts);
  if (problem) throw new DeliveryError(`The address ${problem}.`);
  const u = new URL(url);
  const timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? MAX_ANSWER_BYTES;
  const client = u.protocol === "https:" ? https : http;
  return new Promise<GuardedResponse>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, res?: GuardedResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(res!);
    };
    const req = client.request(
      u,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "QuantFlow-Notifications/1", ...headers },
        lookup: guardedLookup(opts, u.hostname.replace(/^\[|\]$/g, "")),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            finish(new DeliveryError(`The receiver's answer is over ${Math.round(maxBytes / 1024)} KB; QuantFlow stopped reading it.`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (e) => finish(new DeliveryError(`The receiver's answer broke off: ${e.message}`, true)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish(new DeliveryError(`The receiver did not answer within ${timeoutMs / 1000} s.`, true));
    }, timeoutMs);
    req.on("error", (e) => finish(e instanceof DeliveryError ? e : new DeliveryError(`Could not reach ${u.host}: ${(e as NodeJS.ErrnoException).code ?? e.message}.`, true)));
    req.end(body);
  });
}
