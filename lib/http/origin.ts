/**
 * Where a request came from and how it reached us, for the origin check of state-changing requests
 * (proxy.ts) and the session cookie's Secure flag. Forwarded headers (X-Forwarded-Proto/-Host) are
 * believed only from trusted proxies (lib/http/trusted-proxies.ts); a client talking to Next directly
 * could otherwise claim anything.
 */
import { forwardedValue } from "./trusted-proxies";

export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** next-auth's session cookie (QuantFlow fixes its name, app/_lib/auth-options.ts), also in chunks (.0, .1). */
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/;

export function carriesSessionCookie(cookieHeader: string | null | undefined): boolean {
  return SESSION_COOKIE.test(cookieHeader ?? "");
}

export interface RequestFacts {
  /** The URL the server saw (scheme and host as Next built them). */
  url: string;
  headers: Headers;
  trustedProxies: number;
  /** NEXTAUTH_URL: the public address, when the operator configured one. */
  publicUrl?: string;
}

/**
 * https when the request reached us over TLS, directly or (per a trusted proxy) at the proxy in front,
 * or when the operator declared an https public address (NEXTAUTH_URL), as next-auth itself assumes.
 */
export function requestIsHttps({ url, headers, trustedProxies, publicUrl }: RequestFacts): boolean {
  if (publicUrl?.startsWith("https://")) return true;
  const forwarded = forwardedValue(headers.get("x-forwarded-proto"), trustedProxies);
  if (forwarded) return forwarded.toLowerCase() === "https";
  return new URL(url).protocol === "https:";
}

function requestHost({ url, headers, trustedProxies }: RequestFacts): string {
  return (forwardedValue(headers.get("x-forwarded-host"), trustedProxies) ?? headers.get("host") ?? new URL(url).host).toLowerCase();
}

/** The origins this app is reached at: the configured public URL and what this request was addressed to. */
export function ownOrigins(facts: RequestFacts): Set<string> {
  const host = requestHost(facts);
  const origins = new Set([`${requestIsHttps(facts) ? "https" : "http"}://${host}`,
    // A TLS proxy that does not say so (or is not trusted) still serves the https page of this host: not a foreign site.
    `https://${host}`]);
  if (facts.publicUrl) origins.add(new URL(facts.publicUrl).origin.toLowerCase());
  return origins;
}

export type OriginVerdict = { ok: true } | { ok: false; reason: "missing" | "foreign" };

/**
 * A state-changing request that a browser sends with the session cookie must come from one of our own
 * pages: browsers always send Origin on POST/PUT/PATCH/DELETE, so a missing one is refused too (a
 * script should use an API token, which needs no Origin). `Origin: null` (sandboxed frames, some
 * redirects) is foreign.
 */
export function checkOrigin(method: string, facts: RequestFacts): OriginVerdict {
  if (!STATE_CHANGING_METHODS.has(method.toUpperCase())) return { ok: true };
  if (!carriesSessionCookie(facts.headers.get("cookie"))) return { ok: true };
  const origin = facts.headers.get("origin");
  if (!origin) return { ok: false, reason: "missing" };
  let normalised: string;
  try {
    normalised = new URL(origin).origin.toLowerCase();
  } catch {
    return { ok: false, reason: "foreign" };
  }
  return ownOrigins(facts).has(normalised) ? { ok: true } : { ok: false, reason: "foreign" };
}

export const ORIGIN_REFUSED: Record<"missing" | "foreign", string> = {
  missing:
    "Refused: a request that changes something and carries the session cookie must come from QuantFlow's own pages (it has no Origin header). Scripts: send a personal API token as `Authorization: Bearer …` (Settings → Account) instead of the cookie.",
  foreign:
    "Refused: this request comes from another site (its Origin is not this app's). Open QuantFlow itself to make the change; scripts send a personal API token as `Authorization: Bearer …` instead of the cookie.",
};
