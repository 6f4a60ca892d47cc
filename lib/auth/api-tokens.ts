/**
 * Personal API tokens: scripts and notebooks send `Authorization: Bearer qf_…` instead of the session
 * cookie (a browser never adds that header on its own, so such requests need no Origin check). A token
 * is 32 random bytes behind a recognisable prefix (secret scanners and humans can spot a leaked one);
 * only its sha256 is stored, so the token is shown once, when made. It acts as its user, with the
 * user's role, until revoked or the account is deleted.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/database";
import { apiTokens } from "@/db/schema";
import { findAccount, type AccountUser } from "./accounts";

export const API_TOKEN_PREFIX = "qf_";
/** Enough for a handful of scripts and machines; a list that grows past it is a sign of tokens never revoked. */
export const MAX_ACTIVE_TOKENS = 20;
/** last_used_at is written at most this often per token, so a busy script does not write on every request. */
const LAST_USED_RESOLUTION_S = 60;
const TOKEN_SHAPE = /^qf_[A-Za-z0-9_-]{43}$/;

export const apiTokenNameSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the token after where it is used, e.g. “research notebook”.")
    .max(100, "Keep the name under 100 characters.")
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "The name may not contain control characters."),
});

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export interface ApiToken {
  id: string;
  name: string;
  /** The first characters after the prefix, e.g. "qf_Ab3d…", to tell tokens apart. */
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type CreateApiTokenResult = { ok: true; token: string; apiToken: ApiToken } | { ok: false; error: "too_many" };

export async function createApiToken(db: Database, userId: string, name: string): Promise<CreateApiTokenResult> {
  return db.transaction(async (tx) => {
    // Serialises concurrent creations of one user, so the limit holds.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`api_tokens:${userId}`}))`);
    const [{ n }] = (await tx.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM api_tokens WHERE user_id = ${userId} AND revoked_at IS NULL`,
    )).rows as [{ n: number }];
    if (n >= MAX_ACTIVE_TOKENS) return { ok: false, error: "too_many" } as const;
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const hint = `${token.slice(0, API_TOKEN_PREFIX.length + 4)}…`;
    const [row] = await tx.insert(apiTokens).values({ userId, name, tokenHash: hashApiToken(token), hint }).returning();
    return { ok: true, token, apiToken: toApiToken(row!) } as const;
  });
}

/** The user's tokens, newest first, revoked ones included (marked). Never the token or its hash. */
export async function listApiTokens(db: Database, userId: string): Promise<ApiToken[]> {
  const rows = await db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(toApiToken);
}

/** Revokes one of the user's own tokens; false when the user has no such live token (another's id included). */
export async function revokeApiToken(db: Database, userId: string, tokenId: string): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** The account a presented token belongs to, or null (unknown, malformed, revoked, account gone). */
export async function userForApiToken(db: Database, token: string): Promise<AccountUser | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const { rows } = await db.execute<{ id: string; user_id: string; stale: boolean }>(
    sql`SELECT id, user_id, (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ${LAST_USED_RESOLUTION_S})) AS stale
          FROM api_tokens WHERE token_hash = ${hashApiToken(token)} AND revoked_at IS NULL`,
  );
  const row = rows[0];
  if (!row) return null;
  if (row.stale) await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, row.id));
  return findAccount(db, row.user_id);
}

/**
 * The token of an `Authorization: Bearer …` header: undefined when the request has no bearer
 * credentials at all (the cookie decides), the presented string otherwise (maybe empty or malformed,
 * which then must fail: a request that names a token is never served by a cookie).
 */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const match = /^\s*Bearer(?:\s+(.*))?$/i.exec(authorization ?? "");
  return match ? (match[1] ?? "").trim() : undefined;
}

function toApiToken(row: typeof apiTokens.$inferSelect): ApiToken {
  return { id: row.id, name: row.name, hint: row.hint, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}
