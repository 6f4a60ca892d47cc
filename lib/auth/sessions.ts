/**
 * Revocable sessions. next-auth keeps its JWT sessions (no database adapter), but each JWT names a
 * row of user_sessions (its `sid`, made at sign-in) and a session is live only while that row exists.
 * Sign-out deletes its own row; a password change, an admin, or deleting the account delete all
 * the user's rows.
 *
 * The check runs on every request, so a live answer is remembered in this process for
 * SESSION_CHECK_CACHE_MS: a session ended through this process stops at once (its entries are
 * dropped), one ended through another instance within that time.
 */
import { eq, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/database";
import { users, userSessions } from "@/db/schema";
import type { Role } from "./roles";

export const SESSION_CHECK_CACHE_MS = 5_000;
/** last_seen_at moves at most this often: one write an hour per session, not one per request. */
const SEEN_RESOLUTION_MS = 3_600_000;
const MAX_CACHED = 10_000;

// On globalThis: Next bundles route handlers and pages/actions separately, each with its own copy of
// this module; one map per process lets a sign-out through one end the session for all at once.
type LiveCache = Map<string, { userId: string; until: number }>;
const CACHE = Symbol.for("quantflow.liveSessions");
const live: LiveCache = ((globalThis as { [CACHE]?: LiveCache })[CACHE] ??= new Map());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function forgetUser(userId: string): void {
  for (const [sid, entry] of live) if (entry.userId === userId) live.delete(sid);
}

/**
 * Starts a session at sign-in and returns its id for the JWT. Rows unseen for longer than a session
 * can last (`maxAgeSeconds`, rolling) are dropped on the way: they can no longer be used.
 */
export async function createSession(db: Database, userId: string, maxAgeSeconds: number): Promise<string> {
  await db.delete(userSessions).where(lt(userSessions.lastSeenAt, sql`now() - make_interval(secs => ${maxAgeSeconds})`));
  const [row] = await db.insert(userSessions).values({ userId }).returning({ id: userSessions.id });
  return row!.id;
}

/** True while session `sid` of `userId` has not been ended. */
export async function sessionIsLive(db: Database, sid: unknown, userId: string): Promise<boolean> {
  if (typeof sid !== "string" || !UUID.test(sid)) return false;
  const cached = live.get(sid);
  if (cached && cached.userId === userId && cached.until > Date.now()) return true;
  const { rows } = await db.execute<{ found: boolean }>(sql`
    UPDATE user_sessions SET last_seen_at = CASE
        WHEN last_seen_at < now() - make_interval(secs => ${SEEN_RESOLUTION_MS / 1000}) THEN now() ELSE last_seen_at END
     WHERE id = ${sid} AND user_id = ${userId}
    RETURNING true AS found`);
  if (!rows[0]?.found) {
    live.delete(sid);
    return false;
  }
  if (live.size >= MAX_CACHED) live.clear();
  live.set(sid, { userId, until: Date.now() + SESSION_CHECK_CACHE_MS });
  return true;
}

/** Ends one session (sign-out). */
export async function endSession(db: Database, sid: unknown): Promise<void> {
  if (typeof sid !== "string" || !UUID.test(sid)) return;
  live.delete(sid);
  await db.delete(userSessions).where(eq(userSessions.id, sid));
}

/** Ends every session of the user; returns how many. */
export async function endUserSessions(db: Database, userId: string): Promise<number> {
  forgetUser(userId);
  const ended = await db.delete(userSessions).where(eq(userSessions.userId, userId)).returning({ id: userSessions.id });
  return ended.length;
}

export type EndSessionsResult = { ok: true; ended: number } | { ok: false; error: "forbidden" | "not_found" };

/**
 * An admin ends every session of an account (a lost laptop, a departing colleague); on their own
 * account, their current session too.
 */
export async function endSessionsAsAdmin(db: Database, actor: { id: string; role: Role }, targetId: string): Promise<EndSessionsResult> {
  if (actor.role !== "admin") return { ok: false, error: "forbidden" };
  const [target] = await db.select({ id: users.id }).from(users).where(eq(users.id, targetId));
  if (!target) return { ok: false, error: "not_found" };
  return { ok: true, ended: await endUserSessions(db, targetId) };
}

/** Open sessions per user (for the accounts page; an admin's view). */
export async function countSessionsByUser(db: Database): Promise<Map<string, number>> {
  const { rows } = await db.execute<{ user_id: string; n: number }>(
    sql`SELECT user_id, count(*)::int AS n FROM user_sessions GROUP BY user_id`,
  );
  return new Map(rows.map((r) => [r.user_id, r.n]));
}
