/**
 * Fernet against the specification's own vectors (lib/crypto/fixtures, from github.com/fernet/spec)
 * and against Python's `cryptography.fernet`, both ways.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import generate from "./fixtures/generate.json";
import invalid from "./fixtures/invalid.json";
import verify from "./fixtures/verify.json";
import { Fernet, InvalidKey, InvalidToken, MultiFernet } from "./fernet";

const seconds = (rfc3339: string) => Math.floor(Date.parse(rfc3339) / 1000);

describe("Fernet spec vectors", () => {
  it.each(generate)("generates the spec's token for $src", (v) => {
    const token = new Fernet(v.secret).encrypt(v.src, { now: seconds(v.now), iv: Uint8Array.from(v.iv) });
    expect(token).toBe(v.token);
  });

  it.each(verify)("verifies the spec's token into $src", (v) => {
    expect(new Fernet(v.secret).decrypt(v.token, { ttl: v.ttl_sec, now: seconds(v.now) })).toBe(v.src);
  });

  it.each(invalid)("rejects: $desc", (v) => {
    const f = new Fernet(v.secret);
    expect(() => f.decrypt(v.token, { ttl: v.ttl_sec, now: seconds(v.now) })).toThrow(InvalidToken);
  });
});

describe("Fernet", () => {
  const key = Fernet.generateKey();

  it("round-trips text and bytes with a fresh IV each time", () => {
    const f = new Fernet(key);
    const a = f.encrypt("eyJhbGciOi.secret-broker-token");
    const b = f.encrypt("eyJhbGciOi.secret-broker-token");
    expect(a).not.toBe(b);
    expect(f.decrypt(a)).toBe("eyJhbGciOi.secret-broker-token");
    expect(f.decryptBytes(f.encrypt(Uint8Array.from([0, 255, 1])))).toEqual(Buffer.from([0, 255, 1]));
  });

  it("rejects a token made with another key, a flipped byte, or a truncated token", () => {
    const token = new Fernet(key).encrypt("hello");
    expect(() => new Fernet(Fernet.generateKey()).decrypt(token)).toThrow(InvalidToken);
    const raw = Buffer.from(token, "base64url");
    raw[30] = raw[30]! ^ 1;
    expect(() => new Fernet(key).decrypt(raw.toString("base64url"))).toThrow(InvalidToken);
    expect(() => new Fernet(key).decrypt(token.slice(0, -8))).toThrow(InvalidToken);
  });

  it("honours the TTL and the clock-skew limit", () => {
    const f = new Fernet(key);
    const token = f.encrypt("x", { now: 1_000_000 });
    expect(f.decrypt(token, { ttl: 60, now: 1_000_060 })).toBe("x");
    expect(() => f.decrypt(token, { ttl: 60, now: 1_000_061 })).toThrow(InvalidToken);
    expect(f.decrypt(token, { now: 1_000_000 - 60 })).toBe("x");
    expect(() => f.decrypt(token, { now: 1_000_000 - 61 })).toThrow(InvalidToken);
  });

  it("refuses keys that are not 32 bytes of base64url, saying why", () => {
    expect(() => new Fernet("not a key!")).toThrow(InvalidKey);
    expect(() => new Fernet(Buffer.alloc(16).toString("base64url"))).toThrow(/16 bytes, not 32/);
  });

  it("never puts the plaintext or key in its error messages", () => {
    const token = new Fernet(key).encrypt("super-secret");
    try {
      new Fernet(Fernet.generateKey()).decrypt(token);
    } catch (error) {
      expect(String(error)).not.toContain("super-secret");
      expect(String(error)).not.toContain(key);
    }
  });
});

describe("MultiFernet (key rotation)", () => {
  const [oldKey, newKey] = [Fernet.generateKey(), Fernet.generateKey()];

  it("encrypts with the first key and decrypts with any", () => {
    const underOld = new Fernet(oldKey).encrypt("token");
    const multi = new MultiFernet([newKey, oldKey]);
    expect(multi.decrypt(underOld)).toBe("token");
    expect(new Fernet(newKey).decrypt(multi.encrypt("token"))).toBe("token");
    expect(() => new MultiFernet([newKey]).decrypt(underOld)).toThrow(InvalidToken);
  });

  it("rotates a token to the first key, keeping its timestamp", () => {
    const underOld = new Fernet(oldKey).encrypt("token", { now: 1_700_000_000 });
    const multi = new MultiFernet([newKey, oldKey]);
    expect(multi.isCurrent(underOld)).toBe(false);
    const rotated = multi.rotate(underOld);
    expect(multi.isCurrent(rotated)).toBe(true);
    expect(new Fernet(newKey).extractTimestamp(rotated)).toBe(1_700_000_000);
    expect(new Fernet(newKey).decrypt(rotated)).toBe("token");
  });
});

describe("interchangeable with Python's cryptography.fernet", () => {
  const python = (script: string, input: object) =>
    execFileSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" }).trim();
  const key = Fernet.generateKey();

  it("Python decrypts what QuantFlow encrypts", () => {
    const token = new Fernet(key).encrypt("Mật khẩu DNSE ✓");
    const out = python(
      "import json,sys; from cryptography.fernet import Fernet; a=json.load(sys.stdin); print(Fernet(a['key']).decrypt(a['token'].encode(), ttl=300).decode())",
      { key, token },
    );
    expect(out).toBe("Mật khẩu DNSE ✓");
  });

  it("QuantFlow decrypts what Python encrypts, and rotation matches MultiFernet", () => {
    const other = Fernet.generateKey();
    const out = JSON.parse(
      python(
        "import json,sys; from cryptography.fernet import Fernet, MultiFernet; a=json.load(sys.stdin); t=Fernet(a['old']).encrypt('từ Python'.encode()); print(json.dumps({'token': t.decode(), 'rotated': MultiFernet([Fernet(a['new']), Fernet(a['old'])]).rotate(t).decode()}))",
        { old: other, new: key },
      ),
    ) as { token: string; rotated: string };
    expect(new Fernet(other).decrypt(out.token, { ttl: 300 })).toBe("từ Python");
    expect(new Fernet(key).decrypt(out.rotated)).toBe("từ Python");
    expect(new MultiFernet([key, other]).rotate(out.token)).toSatisfy((t: string) => new Fernet(key).decrypt(t) === "từ Python");
  });
});
