import { env } from "../env";

/**
 * How many reverse proxies in front of QuantFlow may be believed about the client (X-Forwarded-*):
 * QUANTFLOW_TRUSTED_PROXIES (lib/env.ts, default 0: nothing forwarded is believed), the same setting
 * the sign-in throttle's client address follows (lib/auth/client-address.ts). `value` parses a given one.
 */
export function trustedProxyCount(value?: string): number {
  if (value === undefined) return env().QUANTFLOW_TRUSTED_PROXIES;
  const n = Number(value.trim() || "0");
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/**
 * The value of a comma-appended X-Forwarded-* header that the outermost trusted proxy wrote: each
 * proxy appends what it saw, so with N trusted proxies it is the N-th entry from the end (entries
 * before it came from the client and are not believed). Undefined when no proxy is trusted.
 */
export function forwardedValue(header: string | null | undefined, trusted: number): string | undefined {
  if (trusted <= 0 || !header) return undefined;
  const entries = header.split(",").map((v) => v.trim()).filter((v) => v !== "");
  if (entries.length === 0) return undefined;
  return entries[Math.max(0, entries.length - trusted)];
}
