/**
 * DNSE credentials at rest against this run's PostgreSQL: encrypted with Fernet (readable by Python's
 * `cryptography.fernet` with the same key), shown only by their last four characters, refused without
 * a key, and reported, not crashed on, when the key is wrong or the stored value was altered.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fernet, MultiFernet } from "@/lib/crypto/fernet";
import { testPool } from "@/test/db";
import { startDnseStandIn, type DnseStandIn } from "@/test/dnse-stand-in";
import { standInToken } from "@/test/stand-in-token";
import { testDb, uniqueEmail } from "@/test/drizzle";
import {
  disconnectDnse,
  dnseConnectionStatus,
  dnseCredentialsSchema,
  looksLikeJwt,
  MAX_TOKEN_BYTES,
  NOT_A_JWT,
  saveDnseCredentials,
  testDnseConnection,
} from "./dnse-credentials";

const db = testDb();
const pool = testPool();
const KEY = Fernet.generateKey();
const cipher = new MultiFernet([KEY]);
const TOKEN = standInToken("ok-test", "sig9Z3x");

let dnse: DnseStandIn;
beforeAll(async () => {
  dnse = await startDnseStandIn();
});
afterAll(() => dnse.close());

async function newUser() {
  const { rows } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [uniqueEmail("broker")]);
  return rows[0]!.id;
}
const clientId = () => `064C${Math.random().toString().slice(2, 8)}`;
const rawRow = async (id: string) =>
  (await pool.query("SELECT dnse_client_id, dnse_token, updated_at FROM users WHERE id = $1", [id])).rows[0] as {
    dnse_client_id: string | null;
    dnse_token: string | null;
  };

describe("dnseCredentialsSchema", () => {
  it("refuses a token over 4 kB, a token with spaces, an empty or odd client id", () => {
    const issues = (v: unknown) => dnseCredentialsSchema.safeParse(v).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues({ clientId: "064C1", token: "a".repeat(MAX_TOKEN_BYTES + 1) })).toEqual([
      ["token", "The token is longer than 4 kB. Paste only the token DNSE gave you."],
    ]);
    const jwt = standInToken("ok-x");
    expect(dnseCredentialsSchema.safeParse({ clientId: "064C1", token: jwt + "a".repeat(MAX_TOKEN_BYTES - jwt.length) }).success).toBe(true);
    expect(issues({ clientId: "064C1", token: "abc def" })![0]![0]).toBe("token");
    expect(issues({ clientId: "", token: "abc" })![0]![0]).toBe("clientId");
    expect(issues({ clientId: "064C1; DROP TABLE", token: "abc" })![0]![0]).toBe("clientId");
    expect(dnseCredentialsSchema.parse({ clientId: " 064C1 ", token: ` ${jwt} ` })).toEqual({ clientId: "064C1", token: jwt });
    expect(dnseCredentialsSchema.parse({ clientId: "064C1", token: "" })).toEqual({ clientId: "064C1", token: "" });
  });

  it("refuses a token that is not a JWT, saying what a DNSE token looks like", () => {
    const refusal = (token: string) => dnseCredentialsSchema.safeParse({ clientId: "064C1", token }).error?.issues.map((i) => [i.path.join("."), i.message]);
    const jwt = standInToken("ok-x", "sigABCD");
    const [header, payload] = jwt.split(".");
    const b64 = (v: string) => Buffer.from(v).toString("base64url");
    for (const bad of [
      "my-dnse-password", // a password pasted by mistake
      `${header}.${payload}`, // cut short: no signature
      `${header}.${payload}.`, // an empty signature
      `${jwt}.extra`,
      `${b64("not json")}.${payload}.sig`,
      `${b64('{"typ":"JWT"}')}.${payload}.sig`, // a header without its algorithm
      `${header}.${b64("[1,2]")}.sig`, // a payload that is not an object
      `${header}.${payload}.si+g`, // not base64url
    ]) {
      expect(refusal(bad), bad).toEqual([["token", NOT_A_JWT]]);
      expect(looksLikeJwt(bad), bad).toBe(false);
    }
    expect(looksLikeJwt(jwt)).toBe(true);
    expect(NOT_A_JWT).toMatch(/^This is not a DNSE token: DNSE's tokens are JWTs/);
  });
});

describe("saveDnseCredentials", () => {
  it("stores the client id in clear and the token as a Fernet token that Python decrypts with the key", async () => {
    const user = await newUser();
    const id = clientId();
    expect(await saveDnseCredentials(db, cipher, user, { clientId: id, token: TOKEN })).toEqual({ ok: true });
    const row = await rawRow(user);
    expect(row.dnse_client_id).toBe(id);
    expect(row.dnse_token).not.toContain(TOKEN);
    expect(row.dnse_token).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/); // version 0x80, base64url
    const python = execFileSync(
      "python3",
      ["-c", "import sys; from cryptography.fernet import Fernet; print(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()).decode(), end='')", KEY, row.dnse_token!],
      { encoding: "utf8" },
    );
    expect(python).toBe(TOKEN);
  });

  it("shows only whether a token is stored, when, and its last four characters", async () => {
    const user = await newUser();
    const id = clientId();
    expect(await dnseConnectionStatus(db, cipher, user)).toEqual({
      clientId: null,
      tokenStored: false,
      tokenUpdatedAt: null,
      tokenLast4: null,
      tokenUnreadable: false,
    });
    await saveDnseCredentials(db, cipher, user, { clientId: id, token: TOKEN });
    const status = await dnseConnectionStatus(db, cipher, user);
    expect(status).toEqual({ clientId: id, tokenStored: true, tokenUpdatedAt: expect.any(Date), tokenLast4: "Z3x".padStart(4, "9"), tokenUnreadable: false });
    expect(JSON.stringify(status)).not.toContain(TOKEN.slice(0, -4));
  });

  it("stores nothing for a token that is not a JWT, even when called without the form's schema", async () => {
    const user = await newUser();
    expect(await saveDnseCredentials(db, cipher, user, { clientId: clientId(), token: "my-dnse-password" })).toEqual({ ok: false, error: "not_a_jwt" });
    expect(await rawRow(user)).toMatchObject({ dnse_client_id: null, dnse_token: null });
    expect((await pool.query("SELECT count(*)::int AS n FROM dnse_connections WHERE user_id = $1", [user])).rows[0].n).toBe(0);
  });

  it("keeps the stored token when only the client id changes, and asks for a token when none is stored", async () => {
    const user = await newUser();
    expect(await saveDnseCredentials(db, cipher, user, { clientId: clientId(), token: "" })).toEqual({ ok: false, error: "token_required" });
    expect((await rawRow(user)).dnse_client_id).toBeNull();
    await saveDnseCredentials(db, cipher, user, { clientId: clientId(), token: TOKEN });
    const before = await rawRow(user);
    const newId = clientId();
    expect(await saveDnseCredentials(db, cipher, user, { clientId: newId, token: "" })).toEqual({ ok: true });
    expect(await rawRow(user)).toMatchObject({ dnse_client_id: newId, dnse_token: before.dnse_token });
  });

  it("refuses to store anything without a key", async () => {
    const user = await newUser();
    expect(await saveDnseCredentials(db, undefined, user, { clientId: clientId(), token: TOKEN })).toEqual({ ok: false, error: "no_key" });
    expect(await rawRow(user)).toMatchObject({ dnse_client_id: null, dnse_token: null });
  });

  it("refuses a client id another account holds, storing nothing", async () => {
    const [a, b] = [await newUser(), await newUser()];
    const id = clientId();
    await saveDnseCredentials(db, cipher, a, { clientId: id, token: TOKEN });
    expect(await saveDnseCredentials(db, cipher, b, { clientId: id, token: standInToken("ok-other") })).toEqual({ ok: false, error: "client_id_taken" });
    expect(await rawRow(b)).toMatchObject({ dnse_client_id: null, dnse_token: null });
  });
});

describe("a wrong key or an altered stored token", () => {
  it("is reported as unreadable, never crashes, and never shows the ciphertext", async () => {
    const user = await newUser();
    await saveDnseCredentials(db, cipher, user, { clientId: clientId(), token: TOKEN });
    const wrong = new MultiFernet([Fernet.generateKey()]);
    expect(await dnseConnectionStatus(db, wrong, user)).toMatchObject({ tokenStored: true, tokenLast4: null, tokenUnreadable: true });
    expect(await testDnseConnection(db, wrong, user, { userServiceUrl: dnse.userServiceUrl })).toMatchObject({ ok: false, error: "unreadable" });

    // Flip one character in the middle of the stored token.
    const stored = (await rawRow(user)).dnse_token!;
    const i = Math.floor(stored.length / 2);
    const altered = stored.slice(0, i) + (stored[i] === "A" ? "B" : "A") + stored.slice(i + 1);
    await pool.query("UPDATE users SET dnse_token = $2 WHERE id = $1", [user, altered]);
    expect(await dnseConnectionStatus(db, cipher, user)).toMatchObject({ tokenUnreadable: true, tokenLast4: null });
    const tested = await testDnseConnection(db, cipher, user, { userServiceUrl: dnse.userServiceUrl });
    expect(tested).toMatchObject({ ok: false, error: "unreadable", message: expect.stringContaining("Save the token again") });
    expect(JSON.stringify(tested)).not.toContain(altered);
  });
});

describe("testDnseConnection and disconnectDnse", () => {
  it("calls DNSE's /me with the decrypted token and answers the investor, or DNSE's refusal", async () => {
    const user = await newUser();
    expect(await testDnseConnection(db, cipher, user, { userServiceUrl: dnse.userServiceUrl })).toMatchObject({ ok: false, error: "no_token" });
    await saveDnseCredentials(db, cipher, user, { clientId: clientId(), token: TOKEN });
    expect(await testDnseConnection(db, cipher, user, { userServiceUrl: dnse.userServiceUrl })).toMatchObject({
      ok: true,
      investor: { investorId: "0001000115", name: expect.stringContaining("Nguyễn Văn An") },
    });
    expect(dnse.requests.at(-1)!.authorization).toBe(`Bearer ${TOKEN}`);
    const expired = standInToken("expired-xyz1");
    await saveDnseCredentials(db, cipher, user, { clientId: clientId(), token: expired });
    const refused = await testDnseConnection(db, cipher, user, { userServiceUrl: dnse.userServiceUrl });
    expect(refused).toMatchObject({ ok: false, error: "dnse", message: expect.stringContaining("HTTP 401") });
    expect(JSON.stringify(refused)).not.toContain(expired);
  });

  it("erases the client id, the token and its time", async () => {
    const user = await newUser();
    await saveDnseCredentials(db, cipher, user, { clientId: clientId(), token: TOKEN });
    expect(await disconnectDnse(db, user)).toEqual({ ok: true });
    expect(await rawRow(user)).toMatchObject({ dnse_client_id: null, dnse_token: null });
    expect((await pool.query("SELECT count(*)::int AS n FROM dnse_connections WHERE user_id = $1", [user])).rows[0].n).toBe(0);
    expect(await dnseConnectionStatus(db, cipher, user)).toMatchObject({ tokenStored: false, tokenUpdatedAt: null });
  });
});
