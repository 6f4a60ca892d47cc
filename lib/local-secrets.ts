/**
 * Zero-setup secrets for `npm start` on a developer's or evaluator's machine: when NEXTAUTH_SECRET or
 * FERNET_KEYS is unset (and NODE_ENV is not production), one is generated once into
 * <data dir>/secrets.json (mode 600) and reused on every later start, so sessions and stored DNSE
 * tokens survive restarts. Production sets both in the environment; nothing is generated there.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Env } from "./env";
import { Fernet } from "./crypto/fernet";

export const SECRETS_FILE = "secrets.json";

const fileSchema = z.object({
  nextauthSecret: z.string().min(32),
  fernetKey: z.string().regex(/^[A-Za-z0-9_-]{43}=?$/),
});

export interface LocalSecrets {
  /** Variables to add to the web server's environment (only those that were unset). */
  env: { NEXTAUTH_SECRET?: string; FERNET_KEYS?: string };
  /** What came from the file, in words, for the start log. */
  notes: string[];
  /** Unset and not generated (production): the caller decides whether that is fatal. */
  missing: ("NEXTAUTH_SECRET" | "FERNET_KEYS")[];
}

export function ensureLocalSecrets(e: Pick<Env, "NODE_ENV" | "NEXTAUTH_SECRET" | "FERNET_KEYS" | "QUANTFLOW_DATA_DIR">): LocalSecrets {
  const needSecret = !e.NEXTAUTH_SECRET;
  const needKeys = e.FERNET_KEYS.length === 0;
  const result: LocalSecrets = { env: {}, notes: [], missing: [] };
  if (!needSecret && !needKeys) return result;
  if (e.NODE_ENV === "production") {
    if (needSecret) result.missing.push("NEXTAUTH_SECRET");
    if (needKeys) result.missing.push("FERNET_KEYS");
    return result;
  }

  const file = path.join(e.QUANTFLOW_DATA_DIR, SECRETS_FILE);
  let stored: z.infer<typeof fileSchema> | undefined;
  if (existsSync(file)) {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success) {
      throw new Error(`${file} is not a QuantFlow secrets file. Move it away (a new one is then generated) or fix it.`);
    }
    stored = parsed.data;
  } else {
    stored = { nextauthSecret: randomBytes(32).toString("base64url"), fernetKey: Fernet.generateKey() };
    mkdirSync(e.QUANTFLOW_DATA_DIR, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    result.notes.push(`generated ${file} (mode 600) for this machine`);
  }
  chmodSync(file, 0o600);
  if (needSecret) {
    result.env.NEXTAUTH_SECRET = stored.nextauthSecret;
    result.notes.push(`NEXTAUTH_SECRET is unset: using the one in ${file}`);
  }
  if (needKeys) {
    result.env.FERNET_KEYS = stored.fernetKey;
    result.notes.push(`FERNET_KEYS is unset: using the key in ${file}`);
  }
  return result;
}
