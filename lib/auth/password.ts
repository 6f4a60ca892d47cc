/**
 * Password hashing: argon2id (memory-hard, the OWASP first choice) through @node-rs/argon2, which ships
 * prebuilt binaries as npm packages (no compiler, no download at install). Parameters are OWASP's
 * minimum for argon2id (19 MiB, t=2, p=1); they are stored in the hash, so raising them later is safe.
 */
import { hash, verify } from "@node-rs/argon2";

const PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never verifies
  }
}
