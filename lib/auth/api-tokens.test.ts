/**
 * Personal API tokens (issue 9, item 7): made with a recognisable prefix, stored only as a sha256,
 * each one its user's (with the user's role), revocable by that user only, and dead once revoked or
 * once the account is gone.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/database";
import { testPool } from "@/test/db";
import { testDb, uniqueEmail } from "@/test/drizzle";
import { signUp } from "./accounts";
import { apiTokenNameSchema, bearerToken, createApiToken, hashApiToken, listApiTokens, MAX_ACTIVE_TOKENS, revokeApiToken, userForApiToken } from "./api-tokens";

const pool = testPool();
let db: Database;
const PASSWORD = "api token password";

async function account(label: string) {
  const r = await signUp(db, { email: uniqueEmail(label), password: PASSWORD, confirmPassword: PASSWORD });
  if (!r.ok) throw new Error("sign-up failed");
  return r.user;
}

async function made(userId: string, name = "notebook") {
  const r = await createApiToken(db, userId, name);
  if (!r.ok) throw new Error("token not made");
  return r;
}

let alice: Awaited<ReturnType<typeof account>>;
let bob: Awaited<ReturnType<typeof account>>;

beforeAll(async () => {
  db = testDb();
  alice = await account("tok-alice");
  bob = await account("tok-bob");
});

describe("making a token", () => {
  it("is qf_ and 32 random bytes, stored only as its sha256, never in clear", async () => {
    const { token, apiToken } = await made(alice.id, "research notebook");
    expect(token).toMatch(/^qf_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(3), "base64url")).toHaveLength(32);
    const { rows } = await pool.query("SELECT * FROM api_tokens WHERE id = $1", [apiToken.id]);
    expect(rows[0].token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows[0])).not.toContain(token.slice(3, 20));
    expect(apiToken).toMatchObject({ name: "research notebook", hint: `${token.slice(0, 7)}…`, lastUsedAt: null, revokedAt: null });
    expect((await made(alice.id)).token).not.toBe(token);
  });

  it("lists the user's own tokens only, without the token or its hash", async () => {
    const { apiToken } = await made(bob.id, "bob's script");
    const bobs = await listApiTokens(db, bob.id);
    expect(bobs.map((t) => t.id)).toContain(apiToken.id);
    expect((await listApiTokens(db, alice.id)).map((t) => t.id)).not.toContain(apiToken.id);
    for (const t of bobs) expect(Object.keys(t).sort()).toEqual(["createdAt", "hint", "id", "lastUsedAt", "name", "revokedAt"]);
  });

  it(`refuses more than ${MAX_ACTIVE_TOKENS} live tokens at once, also when asked concurrently`, async () => {
    const carol = await account("tok-carol");
    const results = await Promise.all(Array.from({ length: MAX_ACTIVE_TOKENS + 5 }, (_, i) => createApiToken(db, carol.id, `t${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_ACTIVE_TOKENS);
    expect(results.filter((r) => !r.ok)).toEqual(Array(5).fill({ ok: false, error: "too_many" }));
    // Revoking one makes room for one.
    expect(await revokeApiToken(db, carol.id, (await listApiTokens(db, carol.id))[0]!.id)).toBe(true);
    expect((await createApiToken(db, carol.id, "again")).ok).toBe(true);
  });

  it("validates the name: required, bounded, no control characters", () => {
    expect(apiTokenNameSchema.safeParse({ name: "  notebook " }).data).toEqual({ name: "notebook" });
    for (const name of ["", "   ", "x".repeat(101), "a\u0000b", "line\nbreak"]) expect(apiTokenNameSchema.safeParse({ name }).success, name).toBe(false);
  });
});

describe("using a token", () => {
  it("answers its own user, with the user's role, and records when it was used", async () => {
    const { token, apiToken } = await made(alice.id);
    const user = await userForApiToken(db, token);
    expect(user).toMatchObject({ id: alice.id, email: alice.email, role: alice.role });
    const [listed] = (await listApiTokens(db, alice.id)).filter((t) => t.id === apiToken.id);
    expect(listed!.lastUsedAt).toBeInstanceOf(Date);
    expect(Date.now() - listed!.lastUsedAt!.getTime()).toBeLessThan(60_000);
  });

  it("an admin's token is an admin", async () => {
    const dave = await account("tok-dave");
    await pool.query("INSERT INTO user_roles (user_id, role) VALUES ($1, 'admin') ON CONFLICT (user_id) DO UPDATE SET role = 'admin'", [dave.id]);
    expect(await userForApiToken(db, (await made(dave.id)).token)).toMatchObject({ id: dave.id, role: "admin" });
  });

  it("answers nobody for an unknown, malformed, hash-as-token or changed token", async () => {
    const { token } = await made(alice.id);
    for (const t of ["", "qf_", `qf_${"A".repeat(43)}`, token.toUpperCase(), `${token}x`, token.slice(0, -1), hashApiToken(token), ` ${token}`]) {
      expect(await userForApiToken(db, t), t).toBeNull();
    }
  });

  it("reads the token of an Authorization header: Bearer only, any case; nothing when there is none", () => {
    expect(bearerToken("Bearer qf_abc")).toBe("qf_abc");
    expect(bearerToken("bearer   qf_abc ")).toBe("qf_abc");
    expect(bearerToken("Bearer")).toBe("");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });
});

describe("revoking a token", () => {
  it("only its own user can; another user's id is refused and the token keeps working", async () => {
    const { token, apiToken } = await made(alice.id);
    expect(await revokeApiToken(db, bob.id, apiToken.id)).toBe(false);
    expect(await userForApiToken(db, token)).toMatchObject({ id: alice.id });
    expect(await revokeApiToken(db, alice.id, apiToken.id)).toBe(true);
    expect(await userForApiToken(db, token)).toBeNull();
    // Twice: nothing left to revoke. It stays listed, marked revoked.
    expect(await revokeApiToken(db, alice.id, apiToken.id)).toBe(false);
    expect((await listApiTokens(db, alice.id)).find((t) => t.id === apiToken.id)!.revokedAt).toBeInstanceOf(Date);
  });

  it("deleting the account removes its tokens", async () => {
    const erin = await account("tok-erin");
    const { token } = await made(erin.id);
    await pool.query("DELETE FROM users WHERE id = $1", [erin.id]);
    expect(await userForApiToken(db, token)).toBeNull();
    expect((await pool.query("SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1", [erin.id])).rows[0].n).toBe(0);
  });
});
