/**
 * Key rotation for secrets at rest: re-encrypts every users.dnse_token under the first key of the
 * MultiFernet, in one transaction (all or nothing), keeping each token's original timestamp. Tokens
 * already under the first key are left alone. A token no configured key opens stops the rotation:
 * dropping the old key then would lose it for good.
 */
import type pg from "pg";
import { inTransaction } from "@/lib/jobs/queue";
import { InvalidToken, type MultiFernet } from "./fernet";

export interface RotationCounts {
  total: number;
  reencrypted: number;
  alreadyCurrent: number;
}

export class UnreadableSecretsError extends Error {
  constructor(readonly userIds: string[]) {
    super(
      `${userIds.length} stored DNSE token(s) cannot be decrypted with any key of FERNET_KEYS (user ids: ${userIds.join(", ")}). ` +
        "Nothing was changed. Add the key they were made with to FERNET_KEYS, or have those users save their token again.",
    );
    this.name = "UnreadableSecretsError";
  }
}

export async function rotateStoredSecrets(pool: pg.Pool, cipher: MultiFernet): Promise<RotationCounts> {
  return inTransaction(pool, async (client) => {
    const { rows } = (await client.query("SELECT id, dnse_token FROM users WHERE dnse_token IS NOT NULL ORDER BY id FOR UPDATE")) as { rows: { id: string; dnse_token: string }[] };
    const counts: RotationCounts = { total: rows.length, reencrypted: 0, alreadyCurrent: 0 };
    const unreadable: string[] = [];
    const updates: { id: string; token: string }[] = [];
    for (const row of rows) {
      if (cipher.isCurrent(row.dnse_token)) {
        counts.alreadyCurrent += 1;
        continue;
      }
      try {
        updates.push({ id: row.id, token: cipher.rotate(row.dnse_token) });
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
        unreadable.push(row.id);
      }
    }
    if (unreadable.length > 0) throw new UnreadableSecretsError(unreadable);
    for (const u of updates) {
      // Only the token changes: updated_at moves (trigger), dnse_connections.token_updated_at does not,
      // since the user stored nothing new.
      await client.query("UPDATE users SET dnse_token = $2 WHERE id = $1", [u.id, u.token]);
    }
    counts.reencrypted = updates.length;
    return counts;
  });
}

/**
 * The same for the notification channels' secrets (Telegram bot tokens, webhook signing secrets, drizzle/0018):
 * all or nothing, refused when one cannot be opened. `userId` limits it to one user's channels (tests).
 */
export async function rotateChannelSecrets(pool: pg.Pool, cipher: MultiFernet, userId?: string): Promise<RotationCounts> {
  return inTransaction(pool, async (client) => {
    const { rows } = (await client.query(
      "SELECT id, user_id, secret FROM notification_channels WHERE secret IS NOT NULL AND ($1::uuid IS NULL OR user_id = $1) ORDER BY id FOR UPDATE",
      [userId ?? null],
    )) as { rows: { id: string; user_id: string; secret: string }[] };
    const counts: RotationCounts = { total: rows.length, reencrypted: 0, alreadyCurrent: 0 };
    const unreadable = new Set<string>();
    for (const row of rows) {
      if (cipher.isCurrent(row.secret)) {
        counts.alreadyCurrent += 1;
        continue;
      }
      try {
        await client.query("UPDATE notification_channels SET secret = $2 WHERE id = $1", [row.id, cipher.rotate(row.secret)]);
        counts.reencrypted += 1;
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
        unreadable.add(row.user_id);
      }
    }
    if (unreadable.size > 0) throw new UnreadableSecretsError([...unreadable]);
    return counts;
  });
}
