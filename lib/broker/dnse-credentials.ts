/**
 * A user's DNSE credentials: the client id in clear (users.dnse_client_id) and the token Fernet-
 * encrypted (users.dnse_token), with the time it was stored (dnse_connections). The token is only
 * ever decrypted here, on the server, to show its last four characters or to call DNSE; it is never
 * returned whole.
 */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/database";
import { dnseConnections, users } from "@/db/schema";
import { InvalidToken, type MultiFernet } from "@/lib/crypto/fernet";
import { fetchDnseInvestor, type DnseInvestor } from "@/lib/market/dnse-user";

export const MAX_TOKEN_BYTES = 4096;

export const NOT_A_JWT =
  "This is not a DNSE token: DNSE's tokens are JWTs, three parts joined by dots, starting with “eyJ”. Paste the token itself, not your password or client id.";

const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Whether a token has a JWT's shape (DNSE signs its tokens as JWTs): three base64url parts, a header
 * naming its algorithm and a payload, both JSON objects, and a signature. The signature is DNSE's to
 * check; this only keeps a pasted password or a truncated token from being stored as one.
 */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return false;
  try {
    const [header, payload] = parts.slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as unknown);
    return isObject(header) && typeof (header as { alg?: unknown }).alg === "string" && isObject(payload);
  } catch {
    return false;
  }
}

export const dnseCredentialsSchema = z.object({
  clientId: z
    .string({ error: "Enter your DNSE client id." })
    .trim()
    .min(1, "Enter your DNSE client id (investor id, custody code, email or phone you sign in to DNSE with).")
    .max(255, "A DNSE client id has at most 255 characters.")
    .regex(/^[A-Za-z0-9._@+-]+$/, "A DNSE client id has letters, digits and . _ @ + - only."),
  /** Empty = keep the stored token (changing only the client id). */
  token: z
    .string()
    .default("")
    .transform((t) => t.trim())
    .refine((t) => Buffer.byteLength(t, "utf8") <= MAX_TOKEN_BYTES, {
      message: `The token is longer than 4 kB. Paste only the token DNSE gave you.`,
    })
    .refine((t) => /^[\x21-\x7e]*$/.test(t), {
      message: "The token has spaces or characters a DNSE token never has. Paste it again, exactly.",
    })
    // Only once the checks above pass, so a token gets one reason at a time.
    .refine((t) => t === "" || looksLikeJwt(t) || Buffer.byteLength(t, "utf8") > MAX_TOKEN_BYTES || !/^[\x21-\x7e]*$/.test(t), {
      message: NOT_A_JWT,
    }),
});
export type DnseCredentialsInput = z.infer<typeof dnseCredentialsSchema>;

export interface DnseConnectionStatus {
  clientId: string | null;
  tokenStored: boolean;
  tokenUpdatedAt: Date | null;
  /** The token's last four characters, decrypted here; null when none is stored or it cannot be read. */
  tokenLast4: string | null;
  /** A token is stored but no configured key opens it (a wrong key, or an altered row). */
  tokenUnreadable: boolean;
}

async function readRow(db: Database, userId: string) {
  const [row] = await db
    .select({ clientId: users.dnseClientId, token: users.dnseToken, updatedAt: dnseConnections.tokenUpdatedAt })
    .from(users)
    .leftJoin(dnseConnections, eq(dnseConnections.userId, users.id))
    .where(eq(users.id, userId));
  return row;
}

function tryDecrypt(cipher: MultiFernet | undefined, token: string): string | undefined {
  if (!cipher) return undefined;
  try {
    return cipher.decrypt(token);
  } catch (error) {
    if (error instanceof InvalidToken) return undefined;
    throw error;
  }
}

export async function dnseConnectionStatus(
  db: Database,
  cipher: MultiFernet | undefined,
  userId: string,
): Promise<DnseConnectionStatus | null> {
  const row = await readRow(db, userId);
  if (!row) return null;
  const plain = row.token ? tryDecrypt(cipher, row.token) : undefined;
  return {
    clientId: row.clientId,
    tokenStored: row.token !== null,
    tokenUpdatedAt: row.token !== null ? row.updatedAt : null,
    tokenLast4: plain && plain.length >= 8 ? plain.slice(-4) : plain ? "…" : null,
    tokenUnreadable: row.token !== null && plain === undefined,
  };
}

export type SaveResult =
  | { ok: true }
  | { ok: false; error: "no_key" | "not_found" | "client_id_taken" | "token_required" | "not_a_jwt" };

const PG_UNIQUE_VIOLATION = "23505";

export async function saveDnseCredentials(
  db: Database,
  cipher: MultiFernet | undefined,
  userId: string,
  input: DnseCredentialsInput,
): Promise<SaveResult> {
  if (!cipher) return { ok: false, error: "no_key" };
  // Checked here too, not only by the form's schema: nothing that is not a JWT is ever stored.
  if (input.token && !looksLikeJwt(input.token)) return { ok: false, error: "not_a_jwt" };
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx
        .select({ token: users.dnseToken })
        .from(users)
        .where(eq(users.id, userId))
        .for("update");
      if (!current) return { ok: false, error: "not_found" } as const;
      if (!input.token && current.token === null) return { ok: false, error: "token_required" } as const;
      await tx
        .update(users)
        .set(input.token ? { dnseClientId: input.clientId, dnseToken: cipher.encrypt(input.token) } : { dnseClientId: input.clientId })
        .where(eq(users.id, userId));
      if (input.token) {
        await tx
          .insert(dnseConnections)
          .values({ userId })
          .onConflictDoUpdate({ target: dnseConnections.userId, set: { tokenUpdatedAt: sql`now()` } });
      }
      return { ok: true } as const;
    });
  } catch (error) {
    for (let e = error as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
      if (e.code === PG_UNIQUE_VIOLATION && e.constraint === "users_dnse_client_id_unique") {
        return { ok: false, error: "client_id_taken" };
      }
    }
    throw error;
  }
}

/** Erases the client id and the token. */
export async function disconnectDnse(db: Database, userId: string): Promise<{ ok: true } | { ok: false; error: "not_found" }> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(users)
      .set({ dnseClientId: null, dnseToken: null })
      .where(eq(users.id, userId))
      .returning({ id: users.id });
    if (updated.length === 0) return { ok: false, error: "not_found" } as const;
    await tx.delete(dnseConnections).where(eq(dnseConnections.userId, userId));
    return { ok: true } as const;
  });
}

export type TestConnectionResult =
  | { ok: true; investor: DnseInvestor }
  | { ok: false; error: "no_key" | "not_found" | "no_token" | "unreadable"; message: string }
  | { ok: false; error: "dnse"; message: string };

/** Calls DNSE's /me with the stored token: the investor's name, or what went wrong, in words. */
export async function testDnseConnection(
  db: Database,
  cipher: MultiFernet | undefined,
  userId: string,
  opts: { userServiceUrl: string; timeoutMs?: number; fetch?: typeof fetch },
): Promise<TestConnectionResult> {
  const row = await readRow(db, userId);
  if (!row) return { ok: false, error: "not_found", message: "Account not found." };
  if (!row.token) return { ok: false, error: "no_token", message: "No DNSE token is stored yet: save one first." };
  if (!cipher) {
    return { ok: false, error: "no_key", message: "The server has no encryption key (FERNET_KEYS), so it cannot read the stored token." };
  }
  const token = tryDecrypt(cipher, row.token);
  if (token === undefined) {
    return {
      ok: false,
      error: "unreadable",
      message: "The stored token cannot be decrypted with the server's keys (the key changed, or the stored value was altered). Save the token again.",
    };
  }
  const result = await fetchDnseInvestor(opts.userServiceUrl, token, opts);
  return result.ok ? result : { ok: false, error: "dnse", message: result.message };
}
