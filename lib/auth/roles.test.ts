/**
 * Roles and sign-up modes (issue 9, item 2) on a database of this file's own, so "the first account"
 * means the first account of an installation.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/database";
import * as schema from "@/db/schema";
import { uniqueEmail } from "@/test/drizzle";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { findAccount, installationHasAccounts, signUp } from "./accounts";
import { consumeInvitation, createInvitation, listPendingInvitations, revokeInvitation } from "./invitations";
import { canWriteSharedData, effectiveRole, listAccounts, setRole } from "./roles";

const scratch = scratchDatabaseForFile("roles");
let db: Database;
const PASSWORD = "correct horse battery";
const creds = (email: string) => ({ email, password: PASSWORD, confirmPassword: PASSWORD });
const roleRow = async (id: string) => (await scratch.pool.query("SELECT role FROM user_roles WHERE user_id = $1", [id])).rows[0]?.role;
const userCount = async () => (await scratch.pool.query("SELECT count(*)::int AS n FROM users")).rows[0].n as number;

let admin: { id: string; email: string; role: "admin" | "analyst" };
let analyst: { id: string; email: string; role: "admin" | "analyst" };

beforeAll(async () => {
  db = drizzle(scratch.pool, { schema });
});

describe("the first account", () => {
  it("is an admin even when sign-up is closed; of two simultaneous first sign-ups exactly one is", async () => {
    expect(await installationHasAccounts(db)).toBe(false);
    const results = await Promise.all(["first-a", "first-b", "first-c"].map((l) => signUp(db, creds(uniqueEmail(l)), { mode: "closed", admins: [] })));
    const created = results.filter((r) => r.ok);
    // Closed: only the very first gets in; the others are refused and store nothing.
    expect(created).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, error: "signup_closed" },
      { ok: false, error: "signup_closed" },
    ]);
    expect(await userCount()).toBe(1);
    const first = created[0]!;
    if (!first.ok) throw new Error("unreachable");
    expect(first.user.role).toBe("admin");
    expect(await roleRow(first.user.id)).toBe("admin");
    admin = first.user;
  });

  it("makes later open sign-ups analysts, who may not write shared data", async () => {
    const result = await signUp(db, creds(uniqueEmail("later")), { mode: "open", admins: [] });
    if (!result.ok) throw new Error(result.error);
    analyst = result.user;
    expect(analyst.role).toBe("analyst");
    expect(canWriteSharedData(analyst)).toBe(false);
    expect(canWriteSharedData(admin)).toBe(true);
    expect(await findAccount(db, analyst.id, [])).toMatchObject({ role: "analyst" });
  });
});

describe("QUANTFLOW_ADMINS", () => {
  it("makes a listed e-mail an admin whatever its stored role, compared in lower case", async () => {
    expect(effectiveRole("analyst", analyst.email.toUpperCase(), [analyst.email.toLowerCase()])).toBe("admin");
    expect((await findAccount(db, analyst.id, [analyst.email]))?.role).toBe("admin");
    expect((await findAccount(db, analyst.id, ["someone@else.vn"]))?.role).toBe("analyst");
    expect(effectiveRole(null, "x@y.vn", [])).toBe("analyst");
  });
});

describe("setRole", () => {
  it("lets only an admin change roles, and never demotes the last admin", async () => {
    expect(await setRole(db, analyst, analyst.id, "admin", [])).toEqual({ ok: false, error: "forbidden" });
    expect(await roleRow(analyst.id)).toBe("analyst");
    expect(await setRole(db, admin, admin.id, "analyst", [])).toEqual({ ok: false, error: "last_admin" });
    expect(await setRole(db, admin, analyst.id, "admin", [])).toEqual({ ok: true });
    expect(await roleRow(analyst.id)).toBe("admin");
    // Two admins now: one may step down.
    expect(await setRole(db, admin, analyst.id, "analyst", [])).toEqual({ ok: true });
    expect(await setRole(db, admin, "00000000-0000-4000-8000-00000000abcd", "admin", [])).toEqual({ ok: false, error: "not_found" });
  });

  it("keeps an e-mail of QUANTFLOW_ADMINS an admin, and counts it as an admin", async () => {
    expect(await setRole(db, admin, analyst.id, "analyst", [analyst.email])).toEqual({ ok: false, error: "from_environment" });
    // With the analyst listed, the stored admin may step down: an admin remains.
    expect(await setRole(db, admin, admin.id, "analyst", [analyst.email])).toEqual({ ok: true });
    expect(await setRole(db, { ...admin, role: "admin" }, admin.id, "admin", [analyst.email])).toEqual({ ok: true });
  });

  it("lists accounts for admins only, with where each role comes from", async () => {
    await expect(listAccounts(db, analyst)).rejects.toThrow(/Only an admin/);
    const rows = await listAccounts(db, admin, [analyst.email]);
    expect(rows.map((r) => [r.email, r.role, r.source])).toEqual([
      [admin.email, "admin", "stored"],
      [analyst.email, "admin", "QUANTFLOW_ADMINS"],
    ]);
  });
});

describe("sign-up by invitation", () => {
  it("refuses without an invitation, and with an unknown one, storing nothing", async () => {
    const before = await userCount();
    expect(await signUp(db, creds(uniqueEmail("noinv")), { mode: "invite" })).toEqual({ ok: false, error: "invitation_invalid" });
    expect(await signUp(db, creds(uniqueEmail("badinv")), { mode: "invite", invitation: "not-a-token" })).toEqual({ ok: false, error: "invitation_invalid" });
    expect(await userCount()).toBe(before);
  });

  it("accepts a valid invitation once, with the role it grants; only admins make them", async () => {
    await expect(createInvitation(db, analyst, { role: "analyst" })).rejects.toThrow(/Only an admin/);
    const inv = await createInvitation(db, admin, { role: "admin" });
    expect(inv.token.length).toBeGreaterThanOrEqual(32);
    // Only the hash is stored.
    const stored = (await scratch.pool.query("SELECT token_hash FROM signup_invitations WHERE id = $1", [inv.id])).rows[0].token_hash;
    expect(stored).not.toContain(inv.token);
    expect((await listPendingInvitations(db, admin)).map((i) => i.id)).toContain(inv.id);

    const used = await signUp(db, creds(uniqueEmail("invited")), { mode: "invite", invitation: inv.token, admins: [] });
    if (!used.ok) throw new Error(used.error);
    expect(used.user.role).toBe("admin");
    expect((await listPendingInvitations(db, admin)).map((i) => i.id)).not.toContain(inv.id);
    const before = await userCount();
    expect(await signUp(db, creds(uniqueEmail("again")), { mode: "invite", invitation: inv.token })).toEqual({ ok: false, error: "invitation_invalid" });
    expect(await userCount()).toBe(before);
  });

  it("binds an invitation to its e-mail, leaves it unused when the e-mail is taken, and lets an admin withdraw it", async () => {
    const email = uniqueEmail("bound");
    const inv = await createInvitation(db, admin, { role: "analyst", email });
    expect(await signUp(db, creds(uniqueEmail("other")), { mode: "invite", invitation: inv.token })).toEqual({ ok: false, error: "invitation_invalid" });
    // An e-mail that is taken: the sign-up fails and the invitation stays usable (the transaction rolled back).
    const takenInv = await createInvitation(db, admin, { role: "analyst" });
    expect(await signUp(db, creds(admin.email), { mode: "invite", invitation: takenInv.token })).toEqual({ ok: false, error: "email_taken" });
    expect((await listPendingInvitations(db, admin)).map((i) => i.id)).toContain(takenInv.id);
    const ok = await signUp(db, creds(email), { mode: "invite", invitation: inv.token, admins: [] });
    expect(ok).toMatchObject({ ok: true, user: { role: "analyst" } });

    expect(await revokeInvitation(db, admin, takenInv.id)).toBe(true);
    expect(await revokeInvitation(db, admin, takenInv.id)).toBe(false);
    await expect(revokeInvitation(db, analyst, takenInv.id)).rejects.toThrow(/Only an admin/);
  });

  it("refuses an expired invitation", async () => {
    const inv = await createInvitation(db, admin, { role: "analyst" });
    await scratch.pool.query("UPDATE signup_invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [inv.id]);
    expect(await signUp(db, creds(uniqueEmail("late")), { mode: "invite", invitation: inv.token })).toEqual({ ok: false, error: "invitation_invalid" });
    expect(await db.transaction((tx) => consumeInvitation(tx, inv.token, "x@y.vn", admin.id))).toBeNull();
  });

  it("refuses every sign-up after the first when closed", async () => {
    expect(await signUp(db, creds(uniqueEmail("closed")), { mode: "closed" })).toEqual({ ok: false, error: "signup_closed" });
  });
});

describe("deleting an account", () => {
  it("removes its role with it", async () => {
    const r = await signUp(db, creds(uniqueEmail("gone")), { mode: "open", admins: [] });
    if (!r.ok) throw new Error(r.error);
    await scratch.pool.query("DELETE FROM users WHERE id = $1", [r.user.id]);
    expect(await roleRow(r.user.id)).toBeUndefined();
  });
});
