/**
 * `npm run secrets:rotate`: re-encrypts every stored DNSE token and notification channel secret under the first key of FERNET_KEYS.
 *
 * Rotation: put the new key first (FERNET_KEYS=new,old), restart QuantFlow (new tokens use the new key,
 * old ones still open), run this, then drop the old key. It prints counts, never tokens. It uses
 * DATABASE_URL, or the embedded PostgreSQL (and the generated key of <data dir>/secrets.json) when unset.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { resolveDatabaseUrl, type ResolvedDatabase } from "../db/client";
import { MultiFernet } from "../lib/crypto/fernet";
import { rotateChannelSecrets, rotateStoredSecrets, UnreadableSecretsError } from "../lib/crypto/rotate-stored-secrets";
import { env, EnvError } from "../lib/env";
import { ensureLocalSecrets, SECRETS_FILE } from "../lib/local-secrets";

const log = (line: string) => console.log(`[secrets:rotate] ${line}`);

async function main(): Promise<number> {
  let e;
  try {
    e = env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  // Without FERNET_KEYS, the key `npm start` generated (if it ever did) is the one the tokens are under.
  const generated = existsSync(path.join(e.QUANTFLOW_DATA_DIR, SECRETS_FILE)) ? ensureLocalSecrets(e).env.FERNET_KEYS : undefined;
  const keys = e.FERNET_KEYS.length > 0 ? e.FERNET_KEYS : (generated?.split(",") ?? []);
  if (keys.length === 0) {
    console.error("[secrets:rotate] FERNET_KEYS is not set: there is no key to rotate to.");
    return 1;
  }
  log(`${keys.length} key(s) configured; re-encrypting under the first.`);
  let db: ResolvedDatabase | undefined;
  try {
    db = await resolveDatabaseUrl({ log });
    const target = new pg.Pool({ connectionString: db.url, max: 1, application_name: "quantflow-rotate" });
    try {
      const counts = await rotateStoredSecrets(target, new MultiFernet(keys));
      log(`${counts.total} stored token(s): ${counts.reencrypted} re-encrypted, ${counts.alreadyCurrent} already under the first key.`);
      const channels = await rotateChannelSecrets(target, new MultiFernet(keys));
      log(`${channels.total} notification channel secret(s): ${channels.reencrypted} re-encrypted, ${channels.alreadyCurrent} already under the first key.`);
      return 0;
    } finally {
      await target.end();
    }
  } catch (error) {
    if (error instanceof UnreadableSecretsError) {
      console.error(`[secrets:rotate] ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[secrets:rotate] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
