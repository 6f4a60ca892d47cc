/**
 * Fernet (github.com/fernet/spec) over node:crypto: AES-128-CBC with PKCS#7 padding, authenticated by
 * HMAC-SHA256, in a versioned, timestamped, base64url token. Interchangeable with Python's
 * `cryptography.fernet` both ways. The `fernet` npm package drags in an old crypto-js; the format is
 * small and fully specified, so it lives here.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const VERSION = 0x80;
const HEADER = 1 + 8 + 16; // version, timestamp, IV
const MAC = 32;
const BLOCK = 16;
/** How far in the future a token's timestamp may lie (Python's `cryptography` uses the same 60 s). */
export const MAX_CLOCK_SKEW_S = 60;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** One error for every way a token can be wrong, so that failures reveal nothing about the cause. */
export class InvalidToken extends Error {
  constructor() {
    super("Invalid Fernet token: it is malformed, was made with another key, was altered, or has expired.");
    this.name = "InvalidToken";
  }
}

export class InvalidKey extends Error {
  constructor(reason: string) {
    super(`Invalid Fernet key: ${reason}. A key is 32 random bytes in base64url (Fernet.generateKey()).`);
    this.name = "InvalidKey";
  }
}

function decodeBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text) || text.replace(/=+$/, "").length % 4 === 1) return undefined;
  return Buffer.from(text, "base64url");
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface EncryptOptions {
  /** Seconds since the epoch to stamp the token with (default: now). */
  now?: number;
  /** The 16-byte IV (default: random). Only tests should set it: an IV must never repeat. */
  iv?: Uint8Array;
}

export interface DecryptOptions {
  /** Reject tokens older than this many seconds. */
  ttl?: number;
  /** Seconds since the epoch to judge the token against (default: now). */
  now?: number;
}

export class Fernet {
  readonly #signingKey: Buffer;
  readonly #encryptionKey: Buffer;

  constructor(key: string) {
    const raw = decodeBase64url(key.trim());
    if (!raw) throw new InvalidKey("it is not base64url");
    if (raw.length !== 32) throw new InvalidKey(`it decodes to ${raw.length} bytes, not 32`);
    this.#signingKey = raw.subarray(0, 16);
    this.#encryptionKey = raw.subarray(16);
  }

  static generateKey(): string {
    return randomBytes(32).toString("base64url") + "=";
  }

  encrypt(plaintext: string | Uint8Array, opts: EncryptOptions = {}): string {
    const iv = Buffer.from(opts.iv ?? randomBytes(16));
    if (iv.length !== 16) throw new RangeError("A Fernet IV is 16 bytes.");
    return this.#seal(Buffer.from(plaintext), opts.now ?? nowSeconds(), iv);
  }

  #seal(data: Buffer, timestamp: number, iv: Buffer): string {
    const cipher = createCipheriv("aes-128-cbc", this.#encryptionKey, iv);
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    const header = Buffer.alloc(HEADER);
    header[0] = VERSION;
    header.writeBigUInt64BE(BigInt(timestamp), 1);
    iv.copy(header, 9);
    const signed = Buffer.concat([header, ciphertext]);
    const mac = createHmac("sha256", this.#signingKey).update(signed).digest();
    const text = Buffer.concat([signed, mac]).toString("base64url");
    return text + "=".repeat((4 - (text.length % 4)) % 4); // padded, as Python writes it
  }

  /** The plaintext bytes, or InvalidToken. Order of checks per the spec: format, TTL, skew, MAC, decrypt. */
  decryptBytes(token: string, opts: DecryptOptions = {}): Buffer {
    return this.#open(token, opts).data;
  }

  decrypt(token: string, opts: DecryptOptions = {}): string {
    return this.decryptBytes(token, opts).toString("utf8");
  }

  /** The token's timestamp (seconds), after verifying the token. */
  extractTimestamp(token: string): number {
    return this.#open(token, {}).timestamp;
  }

  /** @internal used by MultiFernet.rotate to keep the original timestamp. */
  openWithTimestamp(token: string, opts: DecryptOptions): { timestamp: number; data: Buffer } {
    return this.#open(token, opts);
  }

  /** @internal */
  sealAt(data: Buffer, timestamp: number): string {
    return this.#seal(data, timestamp, randomBytes(16));
  }

  #open(token: string, opts: DecryptOptions): { timestamp: number; data: Buffer } {
    const raw = typeof token === "string" ? decodeBase64url(token) : undefined;
    if (!raw || raw.length < HEADER + MAC + BLOCK || raw[0] !== VERSION) throw new InvalidToken();
    const timestamp = Number(raw.readBigUInt64BE(1));
    const now = opts.now ?? nowSeconds();
    if (opts.ttl !== undefined && timestamp + opts.ttl < now) throw new InvalidToken();
    if (timestamp > now + MAX_CLOCK_SKEW_S) throw new InvalidToken();
    const signed = raw.subarray(0, raw.length - MAC);
    const expected = createHmac("sha256", this.#signingKey).update(signed).digest();
    if (!timingSafeEqual(expected, raw.subarray(raw.length - MAC))) throw new InvalidToken();
    const ciphertext = raw.subarray(HEADER, raw.length - MAC);
    if (ciphertext.length % BLOCK !== 0) throw new InvalidToken();
    try {
      const decipher = createDecipheriv("aes-128-cbc", this.#encryptionKey, raw.subarray(9, HEADER));
      return { timestamp, data: Buffer.concat([decipher.update(ciphertext), decipher.final()]) };
    } catch {
      throw new InvalidToken(); // bad padding
    }
  }
}

/**
 * Several keys for rotation: the first encrypts, every one decrypts (Python's MultiFernet).
 */
export class MultiFernet {
  readonly #keys: Fernet[];

  constructor(keys: string[]) {
    if (keys.length === 0) throw new InvalidKey("no key given");
    this.#keys = keys.map((k) => new Fernet(k));
  }

  encrypt(plaintext: string | Uint8Array, opts?: EncryptOptions): string {
    return this.#keys[0]!.encrypt(plaintext, opts);
  }

  decryptBytes(token: string, opts?: DecryptOptions): Buffer {
    return this.#openAny(token, opts ?? {}).data;
  }

  decrypt(token: string, opts?: DecryptOptions): string {
    return this.decryptBytes(token, opts).toString("utf8");
  }

  /** Re-encrypts under the first key, keeping the token's original timestamp. */
  rotate(token: string): string {
    const { timestamp, data } = this.#openAny(token, {});
    return this.#keys[0]!.sealAt(data, timestamp);
  }

  /** Whether the token is already under the first key. */
  isCurrent(token: string): boolean {
    try {
      this.#keys[0]!.openWithTimestamp(token, {});
      return true;
    } catch {
      return false;
    }
  }

  #openAny(token: string, opts: DecryptOptions): { timestamp: number; data: Buffer } {
    for (const key of this.#keys) {
      try {
        return key.openWithTimestamp(token, opts);
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
      }
    }
    throw new InvalidToken();
  }
}
