/**
 * Accounts over the users table: sign up, authenticate (with the throttle), change the password,
 * delete the account. Inputs arrive validated (lib/auth/credentials.ts); every function that acts on
 * an account takes its id from the session, never from the request.
 */
import { eq } from "drizzle-orm";
import type { Database } from "@/db/database";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "./password";
import { clearFailures, lockedForSeconds, recordFailure, throttleKeys, throttleMessage } from "./throttle";
import type { SignInInput, SignUpInput } from "./credentials";

export interface AccountUser {
  id: string;
  email: string;
  createdAt: Date | null;
}

const PG_UNIQUE_VIOLATION = "23505";

function isUniqueViolation(error: unknown, constraint: string): boolean {
  // drizzle wraps the driver's error; the pg error (with code and constraint) is its cause.
  for (let e = error as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === PG_UNIQUE_VIOLATION && e.constraint === constraint) return true;
  }
  return false;
}

export type SignUpResult = { ok: true; user: AccountUser } | { ok: false; error: "email_taken" };

export async function signUp(db: Database, input: SignUpInput): Promise<SignUpResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    // The unique constraint decides a race between two sign-ups of one email: one row, one winner.
    const [row] = await db
      .insert(users)
      .values({ email: input.email, passwordHash })
      .returning({ id: users.id, email: users.email, createdAt: users.createdAt });
    return { ok: true, user: row! };
  } catch (error) {
    if (isUniqueViolation(error, "users_email_unique")) return { ok: false, error: "email_taken" };
    throw error;
  }
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
    .select({ id: users.id, email: users.email, createdAt: users.createdAt, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, input.email));
  decoyHash ??= hashPassword(crypto.randomUUID());
  const valid = await verifyPassword(row?.passwordHash ?? (await decoyHash), input.password);
  if (!row || !valid) {
    await recordFailure(db, keys);
    return { ok: false, error: "invalid" };
  }
  await clearFailures(db, keys[0]!);
  return { ok: true, user: { id: row.id, email: row.email, createdAt: row.createdAt } };
}

export async function findAccount(db: Database, userId: string): Promise<AccountUser | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

export type PasswordCheckedResult = { ok: true } | { ok: false; error: "wrong_password" | "not_found" };

async function checkPassword(db: Database, userId: string, password: string): Promise<PasswordCheckedResult> {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!row) return { ok: false, error: "not_found" };
  return (await verifyPassword(row.passwordHash, password)) ? { ok: true } : { ok: false, error: "wrong_password" };
}

export async function changePassword(
  db: Database,
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<PasswordCheckedResult> {
  const checked = await checkPassword(db, userId, input.currentPassword);
  if (!checked.ok) return checked;
  await db.update(users).set({ passwordHash: await hashPassword(input.newPassword) }).where(eq(users.id, userId));
  return { ok: true };
}

/** Deletes the account; the seed's ON DELETE CASCADE removes workflows, logs, allocations, memories. */
export async function deleteAccount(db: Database, userId: string, password: string): Promise<PasswordCheckedResult> {
  const checked = await checkPassword(db, userId, password);
  if (!checked.ok) return checked;
  await db.delete(users).where(eq(users.id, userId));
  return { ok: true };
}
