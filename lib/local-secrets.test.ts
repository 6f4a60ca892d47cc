import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Fernet } from "./crypto/fernet";
import { parseEnv } from "./env";
import { ensureLocalSecrets, SECRETS_FILE } from "./local-secrets";

const dir = () => mkdtempSync(path.join(tmpdir(), "qf-secrets-"));

describe("ensureLocalSecrets", () => {
  it("generates both once into <data dir>/secrets.json with mode 600, then reuses them", () => {
    const d = dir();
    const e = parseEnv({ QUANTFLOW_DATA_DIR: d });
    const first = ensureLocalSecrets(e);
    expect(first.missing).toEqual([]);
    expect(first.env.NEXTAUTH_SECRET!.length).toBeGreaterThanOrEqual(32);
    expect(() => new Fernet(first.env.FERNET_KEYS!)).not.toThrow();
    expect(statSync(path.join(d, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    expect(ensureLocalSecrets(e).env).toEqual(first.env);
  });

  it("leaves variables that are set alone, and generates nothing in production", () => {
    const key = Fernet.generateKey();
    const set = ensureLocalSecrets(parseEnv({ QUANTFLOW_DATA_DIR: dir(), NEXTAUTH_SECRET: "x".repeat(40), FERNET_KEYS: key }));
    expect(set).toEqual({ env: {}, notes: [], missing: [] });
    const d = dir();
    expect(ensureLocalSecrets(parseEnv({ QUANTFLOW_DATA_DIR: d, NODE_ENV: "production" }))).toEqual({
      env: {},
      notes: [],
      missing: ["NEXTAUTH_SECRET", "FERNET_KEYS"],
    });
    expect(() => readFileSync(path.join(d, SECRETS_FILE))).toThrow();
  });

  it("refuses a secrets file it did not write", () => {
    const d = dir();
    writeFileSync(path.join(d, SECRETS_FILE), '{"nextauthSecret":"short"}');
    expect(() => ensureLocalSecrets(parseEnv({ QUANTFLOW_DATA_DIR: d }))).toThrow(/not a QuantFlow secrets file/);
  });
});

describe("the accounts variables of lib/env", () => {
  it("reads FERNET_KEYS as a list and refuses what is not a key", () => {
    const [k1, k2] = [Fernet.generateKey(), Fernet.generateKey()];
    expect(parseEnv({ FERNET_KEYS: ` ${k1} , ${k2} ` }).FERNET_KEYS).toEqual([k1, k2]);
    expect(parseEnv({}).FERNET_KEYS).toEqual([]);
    expect(() => parseEnv({ FERNET_KEYS: "not-a-key" })).toThrow(/FERNET_KEYS: must be Fernet keys/);
  });

  it("wants a NEXTAUTH_SECRET of 32+ characters and an http(s) DNSE_BASE_URL (default DNSE's)", () => {
    expect(() => parseEnv({ NEXTAUTH_SECRET: "short" })).toThrow(/NEXTAUTH_SECRET/);
    expect(parseEnv({}).DNSE_BASE_URL).toBe("https://services.entrade.com.vn");
    expect(parseEnv({ DNSE_BASE_URL: "http://127.0.0.1:3199/" }).DNSE_BASE_URL).toBe("http://127.0.0.1:3199");
    expect(() => parseEnv({ DNSE_BASE_URL: "ftp://x" })).toThrow(/DNSE_BASE_URL/);
  });
});
