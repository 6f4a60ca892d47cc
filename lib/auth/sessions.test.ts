/** Revocable sessions against this run's PostgreSQL: a session lives only while its row does. */
import { describe, expect, it } from "vitest";
import { testPool } from "@/test/db";
import { testDb, uniqueEmail } from "@/test/drizzle";
import { changePassword, deleteAccount, signUp } from "./accounts";
import { createSession, endSession, endSessionsAsAdmin, endUserSessions, sessionIsLive } from "./sessions";

const db = testDb();
const pool = testPool();
const PASSWORD = "correct horse battery";
const WEEK = 7 * 24 * 3600;

async function newAccount(label: string) {
  const result = await signUp(db, { email: uniqueEmail(label), password: PASSWORD, confirmPassword: PASSWORD });
  if (!result.ok) throw new Error("sign-up failed");
  return result.user;
}

describe("sessions", () => {
  it("a session is live from sign-in until it is ended, and only for its own user", async () => {
    const [ana, ben] = [await newAccount("ana"), await newAccount("ben")];
    const sid = await createSession(db, ana.id, WEEK);
    expect(await sessionIsLive(db, sid, ana.id)).toBe(true);
    expect(await sessionIsLive(db, sid, ben.id)).toBe(false);
    expect(await sessionIsLive(db, undefined, ana.id)).toBe(false);
    expect(await sessionIsLive(db, "not-a-uuid", ana.id)).toBe(false);
    expect(await sessionIsLive(db, crypto.randomUUID(), ana.id)).toBe(false);
    await endSession(db, sid);
    // Ended through this process: at once, whatever the cache held.
    expect(await sessionIsLive(db, sid, ana.id)).toBe(false);
  });

  it("ends on another instance within the cache time (the row is the truth)", async () => {
    const ana = await newAccount("instances");
    const sid = await createSession(db, ana.id, WEEK);
    expect(await sessionIsLive(db, sid, ana.id)).toBe(true);
    await pool.query("DELETE FROM user_sessions WHERE id = $1", [sid]); // as another instance would
    await new Promise((r) => setTimeout(r, 5_100));
    expect(await sessionIsLive(db, sid, ana.id)).toBe(false);
  }, 10_000);

  it("a password change ends every session of the user (the one that made it too: a copy of its cookie is the same session), and no one else's", async () => {
    const [ana, ben] = [await newAccount("change"), await newAccount("bystander")];
    const [here, laptop, phone] = [await createSession(db, ana.id, WEEK), await createSession(db, ana.id, WEEK), await createSession(db, ana.id, WEEK)];
    const bens = await createSession(db, ben.id, WEEK);
    for (const sid of [here, laptop, phone]) expect(await sessionIsLive(db, sid, ana.id)).toBe(true);
    expect(await changePassword(db, ana.id, { currentPassword: PASSWORD, newPassword: "a brand new passphrase" })).toEqual({ ok: true });
    expect(await sessionIsLive(db, here, ana.id)).toBe(false);
    expect(await sessionIsLive(db, laptop, ana.id)).toBe(false);
    expect(await sessionIsLive(db, phone, ana.id)).toBe(false);
    expect(await sessionIsLive(db, bens, ben.id)).toBe(true);
  });

  it("a wrong current password ends nothing", async () => {
    const ana = await newAccount("nochange");
    const other = await createSession(db, ana.id, WEEK);
    expect(await changePassword(db, ana.id, { currentPassword: "not the password", newPassword: "a brand new passphrase" })).toMatchObject({ ok: false });
    expect(await sessionIsLive(db, other, ana.id)).toBe(true);
  });

  it("deleting the account ends all its sessions", async () => {
    const ana = await newAccount("gone");
    const sid = await createSession(db, ana.id, WEEK);
    expect(await sessionIsLive(db, sid, ana.id)).toBe(true);
    expect(await deleteAccount(db, ana.id, PASSWORD)).toEqual({ ok: true });
    expect(await sessionIsLive(db, sid, ana.id)).toBe(false);
    expect((await pool.query("SELECT count(*)::int AS n FROM user_sessions WHERE user_id = $1", [ana.id])).rows[0].n).toBe(0);
  });

  it("an admin ends all sessions of an account, their own too; an analyst cannot", async () => {
    const [admin, ana] = [await newAccount("admin"), await newAccount("target")];
    const [a1, a2] = [await createSession(db, ana.id, WEEK), await createSession(db, ana.id, WEEK)];
    expect(await endSessionsAsAdmin(db, { id: ana.id, role: "analyst" }, admin.id)).toEqual({ ok: false, error: "forbidden" });
    expect(await endSessionsAsAdmin(db, { id: admin.id, role: "admin" }, crypto.randomUUID())).toEqual({ ok: false, error: "not_found" });
    expect(await endSessionsAsAdmin(db, { id: admin.id, role: "admin" }, ana.id)).toEqual({ ok: true, ended: 2 });
    expect(await sessionIsLive(db, a1, ana.id)).toBe(false);
    expect(await sessionIsLive(db, a2, ana.id)).toBe(false);
    const mine = await createSession(db, admin.id, WEEK);
    expect(await endSessionsAsAdmin(db, { id: admin.id, role: "admin" }, admin.id)).toEqual({ ok: true, ended: 1 });
    expect(await sessionIsLive(db, mine, admin.id)).toBe(false);
  });

  it("drops sessions unseen for longer than a session lasts when a new one starts", async () => {
    const ana = await newAccount("stale");
    const old = await createSession(db, ana.id, WEEK);
    await pool.query("UPDATE user_sessions SET last_seen_at = now() - interval '8 days' WHERE id = $1", [old]);
    await createSession(db, ana.id, WEEK);
    expect((await pool.query("SELECT count(*)::int AS n FROM user_sessions WHERE id = $1", [old])).rows[0].n).toBe(0);
    expect(await endUserSessions(db, ana.id)).toBe(1);
  });
});
