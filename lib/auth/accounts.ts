/**
 * Accounts over the users table: sign up, authenticate (with the throttle), change the password,
 * delete the account. Inputs arrive validated (lib/auth/credentials.ts); every function that acts on
 * an account takes its id from the session, never from the request.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/database";
import { userRoles, users } from "@/db/schema";
import { env } from "../env";
import { dropMemoriesOutsidePostgres } from "../memory/app";
import { MemoryBackendError } from "../memory/types";
import { consumeInvitation } from "./invitations";
import { hashPassword, verifyPassword } from "./password";
import { passwordProblem } from "./password-policy";
import { effectiveRole, type Role } from "./roles";
import { endUserSessions } from "./sessions";
import { clearFailures, lockedForSeconds, recordFailure, signUpKey, throttleKeys, throttleMessage } from "./throttle";
import type { SignInInput, SignUpInput } from "./credentials";

export interface AccountUser {
  id: string;
  email: string;
  createdAt: Date | null;
  /** lib/auth/roles.ts: admin may write shared data and manage accounts. */
  role: Role;
}

const PG_UNIQUE_VIOLATION = "23505";

function isUniqueViolation(error: unknown, constraint: string): boolean {
  // drizzle wraps the driver's error; the pg error (with code and constraint) is its cause.
  for (let e = error as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === PG_UNIQUE_VIOLATION && e.constraint === constraint) return true;
  }
  return false;
}

export type SignupMode = "open" | "invite" | "closed";

export type SignUpResult =
  | { ok: true; user: AccountUser }
  | { ok: false; error: "email_taken" | "signup_closed" | "invitation_invalid" }
  | { ok: false; error: "weak_password" | "throttled"; message: string };

/** Error thrown inside the transaction to roll it back with a result. */
class SignUpRefused extends Error {
  constructor(readonly result: SignUpResult & { ok: false }) {
    super(result.error);
  }
}

// Sign-ups one at a time for the "first account" decision: two first sign-ups cannot both be admins.
const SIGN_UP_LOCK = 7_204_815_102;

/**
 * Creates an account. The first account of an installation is an admin and is always allowed (so a
 * closed or invite-only installation can be set up); after it, `mode` decides: open, invite (a valid
 * invitation, used in the same transaction) or closed. With `clientAddress`, every attempt counts
 * against the address's sign-up limit. A taken email costs the same work as a new one (the hash is
 * made first); callers must answer it like a success (app/(auth)/signup/actions.ts).
 */
export async function signUp(
  db: Database,
  input: SignUpInput,
  opts: { mode?: SignupMode; invitation?: string; admins?: readonly string[]; clientAddress?: string | null } = {},
): Promise<SignUpResult> {
  const mode = opts.mode ?? env().QUANTFLOW_SIGNUP;
  const problem = passwordProblem(input.password, input.email);
  if (problem) return { ok: false, error: "weak_password", message: problem };
  if (opts.clientAddress !== undefined) {
    const key = signUpKey(opts.clientAddress ?? undefined);
    const locked = await lockedForSeconds(db, [key]);
    if (locked > 0) {
      const minutes = Math.max(1, Math.ceil(locked / 60));
      return { ok: false, error: "throttled", message: `Too many sign-ups from this address; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` };
    }
    await recordFailure(db, [key]);
  }
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${SIGN_UP_LOCK})`);
      const first = !(await installationHasAccounts(tx));
      if (!first && mode === "closed") throw new SignUpRefused({ ok: false, error: "signup_closed" });
      if (!first && mode === "invite" && !opts.invitation) throw new SignUpRefused({ ok: false, error: "invitation_invalid" });
      // The unique constraint decides a race between two sign-ups of one email: one row, one winner.
      const [row] = await tx
        .insert(users)
        .values({ email: input.email, passwordHash })
        .returning({ id: users.id, email: users.email, createdAt: users.createdAt });
      let stored: Role = first ? "admin" : "analyst";
      if (!first && mode === "invite") {
        const granted = await consumeInvitation(tx, opts.invitation!, input.email, row!.id);
        if (!granted) throw new SignUpRefused({ ok: false, error: "invitation_invalid" });
        stored = granted;
      }
      await tx.insert(userRoles).values({ userId: row!.id, role: stored });
      return { ok: true, user: { ...row!, role: effectiveRole(stored, row!.email, opts.admins) } } as const;
    });
  } catch (error) {
    if (error instanceof SignUpRefused) return error.result;
    if (isUniqueViolation(error, "users_email_unique")) return { ok: false, error: "email_taken" };
    throw error;
  }
}

/** False on an installation nobody has signed up to yet (its first account becomes the admin). */
export async function installationHasAccounts(db: Database): Promise<boolean> {
  const { rows } = await db.execute<{ any: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM users) AS any`);
  return rows[0]?.any === true;
}

export type AuthenticateResult =
  | { ok: true; user: AccountUser }
  | { ok: false; error: "invalid" }
  | { ok: false; error: "throttled"; message: string; retryAfterSeconds: number };

// A valid argon2id hash of a random password: unknown emails cost the same time as wrong passwords.
let decoyHash: Promise<string> | undefined;

export async function authenticate(
  db: Database,
  input: SignInInput,
  clientAddress: string | undefined,
): Promise<AuthenticateResult> {
  const keys = throttleKeys(input.email, clientAddress);
  const locked = await lockedForSeconds(db, keys);
  if (locked > 0) return { ok: false, error: "throttled", message: throttleMessage(locked), retryAfterSeconds: locked };

  const [row] = await db
    .select({ id: users.id, email: users.email, createdAt: users.createdAt, passwordHash: users.passwordHash, role: userRoles.role })
    .from(users)
    .leftJoin(userRoles, eq(userRoles.userId, users.id))
    .where(eq(users.email, input.email));
  decoyHash ??= hashPassword(crypto.randomUUID());
  const valid = await verifyPassword(row?.passwordHash ?? (await decoyHash), input.password);
  if (!row || !valid) {
    await recordFailure(db, keys);
    return { ok: false, error: "invalid" };
  }
  await clearFailures(db, keys[0]!);
  return { ok: true, user: { id: row.id, email: row.email, createdAt: row.createdAt, role: effectiveRole(row.role, row.email) } };
}

export async function findAccount(db: Database, userId: string, admins?: readonly string[]): Promise<AccountUser | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, createdAt: users.createdAt, role: userRoles.role })
    .from(users)
    .leftJoin(userRoles, eq(userRoles.userId, users.id))
    .where(eq(users.id, userId));
  return row ? { id: row.id, email: row.email, createdAt: row.createdAt, role: effectiveRole(row.role, row.email, admins) } : null;
}

export type PasswordCheckedResult =
  | { ok: true }
  | { ok: false; error: "wrong_password" | "not_found" }
  | { ok: false; error: "throttled" | "weak_password" | "memory_store_unavailable"; message: string };

/**
 * Re-entering the password to change it or delete the account: throttled like sign-in (the same
 * keys, so guesses here and at /login add up), so a stolen session cannot guess the password.
 */
async function checkPassword(
  db: Database,
  userId: string,
  password: string,
  clientAddress: string | undefined,
): Promise<PasswordCheckedResult & { email?: string }> {
  const [row] = await db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!row) return { ok: false, error: "not_found" };
  const keys = throttleKeys(row.email, clientAddress);
  const locked = await lockedForSeconds(db, keys);
  if (locked > 0) return { ok: false, error: "throttled", message: throttleMessage(locked) };
  if (!(await verifyPassword(row.passwordHash, password))) {
    await recordFailure(db, keys);
    return { ok: false, error: "wrong_password" };
  }
  await clearFailures(db, keys[0]!);
  return { ok: true, email: row.email };
}

/**
 * Changes the password and ends every session of the user, the one that made the change included:
 * a copy of its cookie is as good as the cookie, so only a fresh sign-in (which the account page does
 * with the new password) may go on.
 */
export async function changePassword(
  db: Database,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  clientAddress?: string,
): Promise<PasswordCheckedResult> {
  const checked = await checkPassword(db, userId, input.currentPassword, clientAddress);
  if (!checked.ok) return checked;
  const problem = passwordProblem(input.newPassword, checked.email!);
  if (problem) return { ok: false, error: "weak_password", message: problem };
  const passwordHash = await hashPassword(input.newPassword);
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
  await endUserSessions(db, userId);
  return { ok: true };
}

/**
 * Deletes the account; the seed's ON DELETE CASCADE removes workflows, logs, allocations, memories (and
 * sessions). Memories kept in Qdrant go first, with their collection (`dropMemories`, default the
 * app's store): when Qdrant cannot be reached the account stays, and the answer says why, rather than
 * leave the user's memories behind with nobody to delete them.
 */
export async function deleteAccount(
  db: Database,
  userId: string,
  password: string,
  clientAddress?: string,
  options: { dropMemories?: (userId: string) => Promise<void> } = {},
): Promise<PasswordCheckedResult> {
  const checked = await checkPassword(db, userId, password, clientAddress);
  if (!checked.ok) return checked;
  await endUserSessions(db, userId);
  try {
    await (options.dropMemories ?? dropMemoriesOutsidePostgres)(userId);
  } catch (error) {
    if (!(error instanceof MemoryBackendError)) throw error;
    return { ok: false, error: "memory_store_unavailable", message: `Your memories could not be deleted, so nothing was: ${error.message} Try again later.` };
  }
  await db.delete(users).where(eq(users.id, userId));
  return { ok: true };
}
