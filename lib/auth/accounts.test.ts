/** Accounts and the sign-in throttle against this run's PostgreSQL. */
import { describe, expect, it } from "vitest";
import { testPool } from "@/test/db";
import { testDb, uniqueEmail } from "@/test/drizzle";
import { authenticate, changePassword, deleteAccount, findAccount, signUp } from "./accounts";
import { LEXICAL_MODEL, lexicalVector } from "@/lib/memory/lexical-embedder";
import { collectionOf, QdrantMemoryStore } from "@/lib/memory/qdrant-store";
import { MemoryBackendError } from "@/lib/memory/types";
import { startQdrantStandIn } from "@/test/qdrant-stand-in";
import { PASSWORD_HAS_EMAIL, PASSWORD_IS_COMMON } from "./password-policy";
import {
  MAX_FAILURES_PER_ADDRESS,
  MAX_FAILURES_PER_EMAIL,
  MAX_FAILURES_PER_EMAIL_AND_ADDRESS as MAX_PER_PAIR,
  MAX_SIGN_UPS_PER_ADDRESS,
  throttleKeys,
} from "./throttle";

const db = testDb();
const pool = testPool();
const PASSWORD = "correct horse battery";

async function newAccount(label: string) {
  const email = uniqueEmail(label);
  const result = await signUp(db, { email, password: PASSWORD, confirmPassword: PASSWORD });
  if (!result.ok) throw new Error("sign-up failed");
  return result.user;
}

/** A private address per test, so the per-address counts of tests do not add up. */
const address = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("signUp", () => {
  it("stores the email and an argon2id hash, never the password", async () => {
    const user = await newAccount("store");
    const { rows } = await pool.query("SELECT email, password_hash FROM users WHERE id = $1", [user.id]);
    expect(rows[0].email).toBe(user.email);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0].password_hash).not.toContain(PASSWORD);
  });

  it("says the email is taken, whatever its case, and stores nothing more", async () => {
    const user = await newAccount("taken");
    // Other test files sign up in this run's database at the same time: look at this e-mail's rows only.
    const rows = async () => (await pool.query("SELECT id, password_hash FROM users WHERE lower(email) = lower($1)", [user.email])).rows;
    const before = await rows();
    const again = await signUp(db, { email: user.email, password: "another password", confirmPassword: "another password" });
    expect(again).toEqual({ ok: false, error: "email_taken" });
    expect(await rows()).toEqual(before);
    expect(before).toHaveLength(1);
  });

  it("refuses a common or leaked password, and one containing the e-mail, storing nothing", async () => {
    const email = uniqueEmail("weak");
    const local = email.split("@")[0]!;
    expect(await signUp(db, { email, password: "password123", confirmPassword: "password123" })).toEqual({ ok: false, error: "weak_password", message: PASSWORD_IS_COMMON });
    const mine = `my ${local} secret`;
    expect(await signUp(db, { email, password: mine, confirmPassword: mine })).toEqual({ ok: false, error: "weak_password", message: PASSWORD_HAS_EMAIL });
    expect((await pool.query("SELECT count(*)::int AS n FROM users WHERE email = $1", [email])).rows[0].n).toBe(0);
  });

  it(`allows ${MAX_SIGN_UPS_PER_ADDRESS} sign-up attempts per address an hour (taken emails included), then says when to retry`, async () => {
    const ip = address();
    const taken = await newAccount("taken-throttle");
    for (let i = 0; i < MAX_SIGN_UPS_PER_ADDRESS; i++) {
      const email = i % 2 ? taken.email : uniqueEmail(`burst${i}`);
      expect(await signUp(db, { email, password: PASSWORD, confirmPassword: PASSWORD }, { clientAddress: ip })).toHaveProperty("ok");
    }
    const refused = await signUp(db, { email: uniqueEmail("burst-over"), password: PASSWORD, confirmPassword: PASSWORD }, { clientAddress: ip });
    expect(refused).toEqual({ ok: false, error: "throttled", message: "Too many sign-ups from this address; try again in 60 minutes." });
    expect(await signUp(db, { email: uniqueEmail("other-ip"), password: PASSWORD, confirmPassword: PASSWORD }, { clientAddress: address() })).toMatchObject({ ok: true });
  });

  it("takes as long for a taken email as for a new one (argon2 runs either way)", async () => {
    const taken = await newAccount("timing");
    const time = async (email: string) => {
      const t0 = performance.now();
      await signUp(db, { email, password: PASSWORD, confirmPassword: PASSWORD });
      return performance.now() - t0;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const fresh: number[] = [];
    const again: number[] = [];
    for (let i = 0; i < 7; i++) {
      fresh.push(await time(uniqueEmail(`timing${i}`)));
      again.push(await time(taken.email));
    }
    // Within a factor of two: an unknown email skipping the hash would be ~50 times faster.
    expect(median(again) / median(fresh)).toBeGreaterThan(0.5);
    expect(median(again) / median(fresh)).toBeLessThan(2);
  });

  it("lets exactly one of two simultaneous sign-ups of one email win", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.all(
      Array.from({ length: 4 }, () => signUp(db, { email, password: PASSWORD, confirmPassword: PASSWORD })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array(3).fill({ ok: false, error: "email_taken" }));
    expect((await pool.query("SELECT count(*)::int AS n FROM users WHERE email = $1", [email])).rows[0].n).toBe(1);
  });
});

describe("authenticate", () => {
  it("signs in with the right password, and not with a wrong one or an unknown email (same answer)", async () => {
    const user = await newAccount("auth");
    const ip = address();
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, ip)).toMatchObject({ ok: true, user: { id: user.id } });
    expect(await authenticate(db, { email: user.email, password: "wrong password" }, ip)).toEqual({ ok: false, error: "invalid" });
    expect(await authenticate(db, { email: uniqueEmail("nobody"), password: PASSWORD }, ip)).toEqual({ ok: false, error: "invalid" });
  });

  it(`locks an email from one address after ${MAX_PER_PAIR} failures, even for the right password, and says for how long`, async () => {
    const user = await newAccount("lock");
    const ip = address();
    for (let i = 0; i < MAX_PER_PAIR; i++) {
      expect(await authenticate(db, { email: user.email, password: `wrong ${i}` }, ip)).toMatchObject({ error: "invalid" });
    }
    const locked = await authenticate(db, { email: user.email, password: PASSWORD }, ip);
    expect(locked).toMatchObject({ ok: false, error: "throttled", message: "Too many failed attempts; try again in 15 minutes." });
  });

  it("does not let one address keep an account locked: its owner still signs in from elsewhere", async () => {
    const user = await newAccount("lockout");
    const attacker = address();
    // The attacker goes on as long as they like: after the pair lock, further tries are refused and counted nowhere.
    for (let i = 0; i < MAX_PER_PAIR * 4; i++) await authenticate(db, { email: user.email, password: `guess ${i}` }, attacker);
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, attacker)).toMatchObject({ error: "throttled" });
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, address())).toMatchObject({ ok: true });
  });

  it(`locks an email everywhere after ${MAX_FAILURES_PER_EMAIL} failures in an hour from many addresses (distributed guessing)`, async () => {
    const user = await newAccount("spread");
    const [, emailKey] = throttleKeys(user.email, undefined);
    // As if ten addresses had each used up their pair limit.
    await pool.query("INSERT INTO sign_in_throttle (key_hash, failures, window_started_at) VALUES ($1, $2, now() - interval '10 minutes')", [emailKey!.hash, MAX_FAILURES_PER_EMAIL - 1]);
    expect(await authenticate(db, { email: user.email, password: "one more guess" }, address())).toMatchObject({ error: "invalid" });
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, address())).toMatchObject({
      error: "throttled",
      message: "Too many failed attempts; try again in 50 minutes.",
    });
  });

  it("locks an unknown email exactly like a known one (the lock tells nothing about who has an account)", async () => {
    const email = uniqueEmail("ghost");
    const ip = address();
    for (let i = 0; i < MAX_PER_PAIR; i++) await authenticate(db, { email, password: "guess" }, ip);
    expect(await authenticate(db, { email, password: "guess" }, ip)).toMatchObject({
      error: "throttled",
      message: "Too many failed attempts; try again in 15 minutes.",
    });
  });

  it(`locks an address after ${MAX_FAILURES_PER_ADDRESS} failures across emails`, async () => {
    const ip = address();
    const user = await newAccount("victim");
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      await authenticate(db, { email: uniqueEmail(`spray${i}`), password: "guess" }, ip);
    }
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, ip)).toMatchObject({ error: "throttled" });
    // The same account from another address is not locked.
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, address())).toMatchObject({ ok: true });
  });

  it("counts again from zero once the window has passed, and after a success", async () => {
    const user = await newAccount("window");
    const ip = address();
    for (let i = 0; i < MAX_PER_PAIR; i++) await authenticate(db, { email: user.email, password: "wrong" }, ip);
    const [pairKey] = throttleKeys(user.email, ip);
    // Age the window by 16 minutes (the window is 15): the lock is over.
    await pool.query("UPDATE sign_in_throttle SET window_started_at = window_started_at - interval '16 minutes' WHERE key_hash = $1", [pairKey!.hash]);
    expect(await authenticate(db, { email: user.email, password: "wrong" }, ip)).toMatchObject({ error: "invalid" });
    expect((await pool.query("SELECT failures FROM sign_in_throttle WHERE key_hash = $1", [pairKey!.hash])).rows[0].failures).toBe(1);
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, ip)).toMatchObject({ ok: true });
    expect((await pool.query("SELECT count(*)::int AS n FROM sign_in_throttle WHERE key_hash = $1", [pairKey!.hash])).rows[0].n).toBe(0);
  });

  it("shows the minutes left, rounded up", async () => {
    const user = await newAccount("minutes");
    const ip = address();
    for (let i = 0; i < MAX_PER_PAIR; i++) await authenticate(db, { email: user.email, password: "wrong" }, ip);
    const [pairKey] = throttleKeys(user.email, ip);
    await pool.query("UPDATE sign_in_throttle SET window_started_at = now() - interval '14 minutes 30 seconds' WHERE key_hash = $1", [pairKey!.hash]);
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, ip)).toMatchObject({
      message: "Too many failed attempts; try again in 1 minute.",
    });
  });

  it("keeps no email or address in clear in the throttle table", async () => {
    const email = uniqueEmail("clear");
    await authenticate(db, { email, password: "guess" }, "10.1.2.3");
    const { rows } = await pool.query("SELECT key_hash FROM sign_in_throttle");
    for (const r of rows) {
      expect(r.key_hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe("deleting an account with memories in Qdrant", () => {
  it("deletes the user's collection with the account; with Qdrant unreachable, deletes nothing and says why", async () => {
    const qdrant = await startQdrantStandIn();
    try {
      const store = new QdrantMemoryStore({ url: qdrant.url, timeoutMs: 1_000 });
      const user = await newAccount("qdrantgone");
      await store.add(user.id, [{ memoryType: "analysis", company: null, content: "HPG", vector: lexicalVector("HPG"), model: LEXICAL_MODEL }]);
      const down = async () => {
        throw new MemoryBackendError("Qdrant cannot be reached (ECONNREFUSED) while deleting the memory collection.");
      };
      expect(await deleteAccount(db, user.id, PASSWORD, address(), { dropMemories: down })).toEqual({
        ok: false,
        error: "memory_store_unavailable",
        message: expect.stringMatching(/^Your memories could not be deleted, so nothing was: Qdrant cannot be reached/),
      });
      expect(await findAccount(db, user.id)).not.toBeNull();
      expect(qdrant.collections.has(collectionOf(user.id))).toBe(true);
      expect(await deleteAccount(db, user.id, PASSWORD, address(), { dropMemories: (id) => store.dropUser(id) })).toEqual({ ok: true });
      expect(await findAccount(db, user.id)).toBeNull();
      expect(qdrant.collections.has(collectionOf(user.id))).toBe(false);
    } finally {
      await qdrant.close();
    }
  });
});

describe("changePassword and deleteAccount", () => {
  it("changes the password only with the current one", async () => {
    const user = await newAccount("change");
    expect(await changePassword(db, user.id, { currentPassword: "wrong", newPassword: "brand new password" })).toEqual({
      ok: false,
      error: "wrong_password",
    });
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, address())).toMatchObject({ ok: true });
    expect(await changePassword(db, user.id, { currentPassword: PASSWORD, newPassword: "brand new password" })).toEqual({ ok: true });
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, address())).toMatchObject({ error: "invalid" });
    expect(await authenticate(db, { email: user.email, password: "brand new password" }, address())).toMatchObject({ ok: true });
  });

  it("refuses a common new password or one containing the e-mail, changing nothing", async () => {
    const user = await newAccount("weakchange");
    expect(await changePassword(db, user.id, { currentPassword: PASSWORD, newPassword: "qwertyuiop" })).toEqual({ ok: false, error: "weak_password", message: PASSWORD_IS_COMMON });
    const mine = `${user.email.split("@")[0]} forever`;
    expect(await changePassword(db, user.id, { currentPassword: PASSWORD, newPassword: mine })).toEqual({ ok: false, error: "weak_password", message: PASSWORD_HAS_EMAIL });
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, address())).toMatchObject({ ok: true });
  });

  it(`throttles re-entering the password like sign-in: after ${MAX_PER_PAIR} wrong ones, even the right one is refused`, async () => {
    const user = await newAccount("reenter");
    const ip = address();
    for (let i = 0; i < MAX_PER_PAIR; i++) {
      const attempt = i % 2
        ? await deleteAccount(db, user.id, `guess ${i}`, ip)
        : await changePassword(db, user.id, { currentPassword: `guess ${i}`, newPassword: "a brand new passphrase" }, ip);
      expect(attempt).toEqual({ ok: false, error: "wrong_password" });
    }
    const throttled = { ok: false, error: "throttled", message: "Too many failed attempts; try again in 15 minutes." };
    expect(await changePassword(db, user.id, { currentPassword: PASSWORD, newPassword: "a brand new passphrase" }, ip)).toEqual(throttled);
    expect(await deleteAccount(db, user.id, PASSWORD, ip)).toEqual(throttled);
    // Sign-in from that address shares the count.
    expect(await authenticate(db, { email: user.email, password: PASSWORD }, ip)).toMatchObject({ error: "throttled" });
    expect(await findAccount(db, user.id)).not.toBeNull();
  });

  it("deletes the account with its rows only with the password", async () => {
    const user = await newAccount("delete");
    await pool.query("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, 'w', '{}')", [user.id]);
    expect(await deleteAccount(db, user.id, "wrong")).toEqual({ ok: false, error: "wrong_password" });
    expect(await findAccount(db, user.id)).not.toBeNull();
    expect(await deleteAccount(db, user.id, PASSWORD)).toEqual({ ok: true });
    expect(await findAccount(db, user.id)).toBeNull();
    expect((await pool.query("SELECT count(*)::int AS n FROM workflows WHERE user_id = $1", [user.id])).rows[0].n).toBe(0);
    expect(await deleteAccount(db, user.id, PASSWORD)).toEqual({ ok: false, error: "not_found" });
  });
});
