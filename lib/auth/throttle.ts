/**
 * The sign-in throttle: failed attempts counted in PostgreSQL (table sign_in_throttle), so every app
 * instance sees the same counts. A key that reached its limit within its window is locked until the
 * window ends. Counts do not depend on whether the email has an account, so a lock reveals nothing
 * about which emails exist. Three keys per attempt:
 *
 * - (email, address): 5 failures in 15 minutes lock that email *from that address* only. Guessing
 *   from one address stops there, and the same address cannot lock the owner out from anywhere else.
 * - email: 50 failures in an hour lock the email everywhere: guessing spread over many addresses.
 *   One address can add at most ~25 an hour (its pair lock stops it), so keeping an account locked
 *   takes several addresses, and even then the lock ends with the hour.
 * - address: 20 failures in 15 minutes across emails (several people may share an office address).
 *
 * An IPv6 address counts as its /64: one host usually has a whole /64 to rotate through.
 */
import { createHash } from "node:crypto";
import { isIPv6 } from "node:net";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/database";

export const THROTTLE_WINDOW_MINUTES = 15;
/** Enough for a person who mistypes; few enough to make guessing from one address hopeless. */
export const MAX_FAILURES_PER_EMAIL_AND_ADDRESS = 5;
/** Higher: several people may share an office address (NAT). */
export const MAX_FAILURES_PER_ADDRESS = 20;
/** Guessing from many addresses; out of one address's reach (its pair lock stops it first). */
export const MAX_FAILURES_PER_EMAIL = 50;
export const EMAIL_WINDOW_MINUTES = 60;
/** Sign-ups (whatever their outcome) per address an hour. */
export const MAX_SIGN_UPS_PER_ADDRESS = 5;
export const SIGN_UP_WINDOW_MINUTES = 60;

export interface ThrottleKey {
  hash: string;
  limit: number;
  windowMinutes: number;
}

const hashKey = (value: string) => createHash("sha256").update(value).digest("hex");

/** The unit an address is counted in: itself for IPv4, its /64 for IPv6. */
export function addressBucket(address: string): string {
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const full = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${full.slice(0, 4).map((h) => h.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * The keys one sign-in attempt counts against; the first is the one a success clears. Without an
 * address (none known) the pair key still limits the email.
 */
export function throttleKeys(email: string, address: string | undefined): ThrottleKey[] {
  const bucket = address ? addressBucket(address) : "unknown";
  const keys: ThrottleKey[] = [
    { hash: hashKey(`email-ip:${email}|${bucket}`), limit: MAX_FAILURES_PER_EMAIL_AND_ADDRESS, windowMinutes: THROTTLE_WINDOW_MINUTES },
    { hash: hashKey(`email:${email}`), limit: MAX_FAILURES_PER_EMAIL, windowMinutes: EMAIL_WINDOW_MINUTES },
  ];
  if (address) keys.push({ hash: hashKey(`ip:${bucket}`), limit: MAX_FAILURES_PER_ADDRESS, windowMinutes: THROTTLE_WINDOW_MINUTES });
  return keys;
}

/** The key every sign-up attempt from an address counts against. */
export function signUpKey(address: string | undefined): ThrottleKey {
  return {
    hash: hashKey(`signup-ip:${address ? addressBucket(address) : "unknown"}`),
    limit: MAX_SIGN_UPS_PER_ADDRESS,
    windowMinutes: SIGN_UP_WINDOW_MINUTES,
  };
}

/** Seconds until the longest lock among `keys` ends; 0 when none is locked. */
export async function lockedForSeconds(db: Database, keys: ThrottleKey[]): Promise<number> {
  let longest = 0;
  for (const key of keys) {
    const { rows } = await db.execute<{ remaining: number | null }>(sql`
      SELECT ceil(extract(epoch FROM window_started_at + make_interval(mins => ${key.windowMinutes}) - now()))::int
             AS remaining
        FROM sign_in_throttle
       WHERE key_hash = ${key.hash} AND failures >= ${key.limit}
         AND window_started_at > now() - make_interval(mins => ${key.windowMinutes})`);
    longest = Math.max(longest, rows[0]?.remaining ?? 0);
  }
  return longest;
}

/** Counts one failure (or, for sign-ups, one attempt) against every key; a key whose window has passed starts a new one. */
export async function recordFailure(db: Database, keys: ThrottleKey[]): Promise<void> {
  for (const key of keys) {
    await db.execute(sql`
      INSERT INTO sign_in_throttle AS t (key_hash, failures, window_started_at) VALUES (${key.hash}, 1, now())
      ON CONFLICT (key_hash) DO UPDATE SET
        failures = CASE WHEN t.window_started_at <= now() - make_interval(mins => ${key.windowMinutes})
                        THEN 1 ELSE t.failures + 1 END,
        window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(mins => ${key.windowMinutes})
                                 THEN now() ELSE t.window_started_at END`);
  }
  // Old windows are noise: drop them now and then, not on every failure.
  if (Math.random() < 0.05) {
    await db.execute(
      sql`DELETE FROM sign_in_throttle WHERE window_started_at < now() - make_interval(mins => ${2 * EMAIL_WINDOW_MINUTES})`,
    );
  }
}

/** After a successful sign-in: the (email, address) count starts over; the email's and the address's do not. */
export async function clearFailures(db: Database, key: ThrottleKey): Promise<void> {
  await db.execute(sql`DELETE FROM sign_in_throttle WHERE key_hash = ${key.hash}`);
}

export function throttleMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many failed attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
