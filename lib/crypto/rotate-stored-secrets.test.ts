/**
 * Re-encrypting stored DNSE tokens under the first key, all or nothing, on PostgreSQL. The rotation
 * reads every user's token, so it runs on a users table of its own (a schema first on the search
 * path) and never sees the rows of test files running beside it.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseUrl, testPool } from "@/test/db";
import { Fernet, MultiFernet } from "./fernet";
import { rotateStoredSecrets, UnreadableSecretsError } from "./rotate-stored-secrets";

const SCHEMA = `rotate_${Date.now().toString(36)}`;
let pool: pg.Pool;

beforeAll(async () => {
  await testPool().query(`CREATE SCHEMA ${SCHEMA}; CREATE TABLE ${SCHEMA}.users (LIKE public.users INCLUDING ALL)`);
  pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2, options: `-c search_path=${SCHEMA}` });
});
afterAll(async () => {
  await pool.end();
  await testPool().query(`DROP SCHEMA ${SCHEMA} CASCADE`);
});

let n = 0;
async function userWithToken(token: string | null) {
  const { rows } = await pool.query<{ id: string }>(
    "INSERT INTO users (email, password_hash, dnse_token) VALUES ($1, 'x', $2) RETURNING id",
    [`rotate${n++}@example.com`, token],
  );
  return rows[0]!.id;
}
const tokenOf = async (id: string) => (await pool.query("SELECT dnse_token FROM users WHERE id = $1", [id])).rows[0].dnse_token as string;

describe("rotateStoredSecrets", () => {
  const oldKey = Fernet.generateKey();
  const newKey = Fernet.generateKey();
  const old = new Fernet(oldKey);
  const onlyNew = new Fernet(newKey);
  const both = new MultiFernet([newKey, oldKey]);

  it("re-encrypts old tokens under the first key keeping their time, leaves current ones, and is idempotent", async () => {
    const a = await userWithToken(old.encrypt("token-a", { now: 1_700_000_000 }));
    const b = await userWithToken(old.encrypt("token-b"));
    const c = await userWithToken(onlyNew.encrypt("token-c"));
    await userWithToken(null);
    const cBefore = await tokenOf(c);

    expect(await rotateStoredSecrets(pool, both)).toEqual({ total: 3, reencrypted: 2, alreadyCurrent: 1 });
    expect(onlyNew.decrypt(await tokenOf(a))).toBe("token-a");
    expect(onlyNew.decrypt(await tokenOf(b))).toBe("token-b");
    expect(onlyNew.extractTimestamp(await tokenOf(a))).toBe(1_700_000_000);
    expect(await tokenOf(c)).toBe(cBefore);
    expect(await rotateStoredSecrets(pool, both)).toEqual({ total: 3, reencrypted: 0, alreadyCurrent: 3 });
  });

  it("changes nothing when one token opens with no configured key, naming the user and not the token", async () => {
    const d = await userWithToken(old.encrypt("token-d"));
    const x = await userWithToken(new Fernet(Fernet.generateKey()).encrypt("token-x"));
    const dBefore = await tokenOf(d);
    const error = await rotateStoredSecrets(pool, both).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableSecretsError);
    expect((error as Error).message).toContain(x);
    expect((error as Error).message).not.toContain("token-x");
    expect(await tokenOf(d)).toBe(dBefore); // still under the old key: the transaction rolled back
    expect(old.decrypt(await tokenOf(d))).toBe("token-d");
  });
});
