/**
 * The sign-in throttle: failed attempts counted per email and per client address in PostgreSQL
 * (table sign_in_throttle), so every app instance sees the same counts. A key that reached its limit
 * within the window is locked until the window ends. Counts do not depend on whether the email has
 * an account, so the lock reveals nothing about which emails exist.
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/database";

export const THROTTLE_WINDOW_MINUTES = 15;
/** Enough for a person who mistypes; few enough to make guessing one account's password hopeless. */
export const MAX_FAILURES_PER_EMAIL = 5;
/** Higher: several people may share an office address (NAT). */
export const MAX_FAILURES_PER_ADDRESS = 20;

export interface ThrottleKey {
  hash: string;
  limit: number;
}

const hashKey = (value: string) => createHash("sha256").update(value).digest("hex");

/** The keys one attempt counts against: its (normalised) email and its client address, when known. */
export function throttleKeys(email: string, address: string | undefined): ThrottleKey[] {
  const keys = [{ hash: hashKey(`email:${email}`), limit: MAX_FAILURES_PER_EMAIL }];
  if (address) keys.push({ hash: hashKey(`ip:${address}`), limit: MAX_FAILURES_PER_ADDRESS });
  return keys;
}

/** Seconds until the longest lock among `keys` ends; 0 when none is locked. */
export async function lockedForSeconds(db: Database, keys: ThrottleKey[]): Promise<number> {
  let longest = 0;
  for (const key of keys) {
    const { rows } = await db.execute<{ remaining: number | null }>(sql`
      SELECT ceil(extract(epoch FROM window_started_at + make_interval(mins => ${THROTTLE_WINDOW_MINUTES}) - now()))::int
             AS remaining
        FROM sign_in_throttle
       WHERE key_hash = ${key.hash} AND failures >= ${key.limit}
         AND window_started_at > now() - make_interval(mins => ${THROTTLE_WINDOW_MINUTES})`);
    longest = Math.max(longest, rows[0]?.remaining ?? 0);
  }
  return longest;
}

/** Counts one failure against every key; a key whose window has passed starts a new one. */
export async function recordFailure(db: Database, keys: ThrottleKey[]): Promise<void> {
  for (const key of keys) {
    await db.execute(sql`
      INSERT INTO sign_in_throttle AS t (key_hash, failures, window_started_at) VALUES (${key.hash}, 1, now())
      ON CONFLICT (key_hash) DO UPDATE SET
        failures = CASE WHEN t.window_started_at <= now() - make_interval(mins => ${THROTTLE_WINDOW_MINUTES})
                        THEN 1 ELSE t.failures + 1 END,
        window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(mins => ${THROTTLE_WINDOW_MINUTES})
                                 THEN now() ELSE t.window_started_at END`);
  }
  // Old windows are noise: drop them now and then, not on every failure.
  if (Math.random() < 0.05) {
    await db.execute(
      sql`DELETE FROM sign_in_throttle WHERE window_started_at < now() - make_interval(mins => ${2 * THROTTLE_WINDOW_MINUTES})`,
    );
  }
}

/** After a successful sign-in: the email's count starts over (the address's does not). */
export async function clearFailures(db: Database, key: ThrottleKey): Promise<void> {
  await db.execute(sql`DELETE FROM sign_in_throttle WHERE key_hash = ${key.hash}`);
}

export function throttleMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many failed attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
