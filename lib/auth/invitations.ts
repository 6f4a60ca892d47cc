/**
 * Sign-up invitations (QUANTFLOW_SIGNUP=invite): an admin makes a link, optionally for one e-mail;
 * the token is shown once and stored only as its sha256, valid for a number of days, usable once.
 */
import { createHash, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/database";
import { ForbiddenError, type Role } from "./roles";

export const INVITATION_DAYS = 7;

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export interface Invitation {
  id: string;
  email: string | null;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
}

function assertAdmin(actor: { role: Role }) {
  if (actor.role !== "admin") throw new ForbiddenError("Only an admin may manage invitations.");
}

/** A new invitation; `token` goes into the link (/signup?invite=<token>) and is not kept in clear. */
export async function createInvitation(
  db: Database,
  actor: { id: string; role: Role },
  input: { email?: string | null; role: Role; days?: number },
): Promise<Invitation & { token: string }> {
  assertAdmin(actor);
  const token = randomBytes(24).toString("base64url");
  const days = input.days ?? INVITATION_DAYS;
  const { rows } = await db.execute<{ id: string; created_at: Date; expires_at: Date }>(
    sql`INSERT INTO signup_invitations (token_hash, email, role, created_by, expires_at)
        VALUES (${hashInvitationToken(token)}, ${input.email ?? null}, ${input.role}, ${actor.id}, now() + make_interval(days => ${days}))
        RETURNING id, created_at, expires_at`,
  );
  const row = rows[0]!;
  return { id: row.id, email: input.email ?? null, role: input.role, createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at), token };
}

/** Invitations not used yet and not expired, newest first. */
export async function listPendingInvitations(db: Database, actor: { role: Role }): Promise<Invitation[]> {
  assertAdmin(actor);
  const { rows } = await db.execute<{ id: string; email: string | null; role: Role; created_at: Date; expires_at: Date }>(
    sql`SELECT id, email, role, created_at, expires_at FROM signup_invitations
        WHERE used_at IS NULL AND expires_at > now() ORDER BY created_at DESC`,
  );
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at) }));
}

/** Withdraws an unused invitation; false when there is none with this id. */
export async function revokeInvitation(db: Database, actor: { role: Role }, id: string): Promise<boolean> {
  assertAdmin(actor);
  const { rowCount } = await db.execute(sql`DELETE FROM signup_invitations WHERE id = ${id} AND used_at IS NULL`);
  return (rowCount ?? 0) > 0;
}

/**
 * Uses an invitation inside the sign-up's transaction: the role it grants, or null when the token is
 * unknown, used, expired or made for another e-mail (one answer for all: a guess learns nothing).
 */
export async function consumeInvitation(tx: Database, token: string, email: string, userId: string): Promise<Role | null> {
  const { rows } = await tx.execute<{ role: Role }>(
    sql`UPDATE signup_invitations SET used_at = now(), used_by = ${userId}
        WHERE token_hash = ${hashInvitationToken(token)} AND used_at IS NULL AND expires_at > now()
          AND (email IS NULL OR email = ${email})
        RETURNING role`,
  );
  return rows[0]?.role ?? null;
}
