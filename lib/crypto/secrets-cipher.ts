/**
 * The Fernet keys of the environment (FERNET_KEYS) as one MultiFernet: the first key encrypts,
 * every key decrypts. Undefined when no key is configured: callers must then refuse to store secrets.
 */
import { env } from "../env";
import { MultiFernet } from "./fernet";

let cached: { keys: string; cipher: MultiFernet } | undefined;

export function secretsCipher(keys: string[] = env().FERNET_KEYS): MultiFernet | undefined {
  if (keys.length === 0) return undefined;
  const id = keys.join(",");
  if (cached?.keys !== id) cached = { keys: id, cipher: new MultiFernet(keys) };
  return cached.cipher;
}
