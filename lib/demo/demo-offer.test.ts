/** The sign-in page's demo offer: only while the demo account exists with its published password. */
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as password from "@/lib/auth/password";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { DEMO_EMAIL, DEMO_PASSWORD, ensureDemoUser } from "./account";
import { demoAccountOffer } from "./demo-offer";

const scratch = scratchDatabaseForFile("demo_offer");
const pool = () => scratch.pool;

describe("the demo account offer", () => {
  beforeAll(async () => {
    await pool().query("DELETE FROM users");
  });

  it("offers nothing on an installation that never seeded the demo account", async () => {
    await pool().query("INSERT INTO users (email, password_hash) VALUES ('someone@example.com', $1)", [await password.hashPassword(DEMO_PASSWORD)]);
    expect(await demoAccountOffer(pool())).toBeNull();
  });

  it("offers the account while it has its published password, checking the hash once", async () => {
    await ensureDemoUser(pool());
    const verify = vi.spyOn(password, "verifyPassword");
    try {
      expect(await demoAccountOffer(pool())).toEqual({ email: DEMO_EMAIL, password: DEMO_PASSWORD });
      expect(await demoAccountOffer(pool())).toEqual({ email: DEMO_EMAIL, password: DEMO_PASSWORD });
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });

  it("offers nothing once its password is changed, and again nothing once it is deleted", async () => {
    await pool().query("UPDATE users SET password_hash = $2 WHERE email = $1", [DEMO_EMAIL, await password.hashPassword("a private password 42")]);
    expect(await demoAccountOffer(pool())).toBeNull();
    // Set back to the published one: offered again (the answer is kept per hash, not for a while).
    await pool().query("UPDATE users SET password_hash = $2 WHERE email = $1", [DEMO_EMAIL, await password.hashPassword(DEMO_PASSWORD)]);
    expect(await demoAccountOffer(pool())).toEqual({ email: DEMO_EMAIL, password: DEMO_PASSWORD });
    await pool().query("DELETE FROM users WHERE email = $1", [DEMO_EMAIL]);
    expect(await demoAccountOffer(pool())).toBeNull();
  });
});
