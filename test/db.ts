/** The test run's database (see test/global-setup.ts). */
import pg from "pg";
import { afterAll, inject } from "vitest";

let pool: pg.Pool | undefined;

/** A pool on this run's fresh database, closed after the test file. */
export function testPool(): pg.Pool {
  if (!pool) {
    const created = new pg.Pool({ connectionString: inject("databaseUrl"), max: 4 });
    pool = created;
    afterAll(async () => {
      await created.end();
      if (pool === created) pool = undefined;
    });
  }
  return pool;
}

/** The URL of this run's database, for code under test that opens its own connections. */
export function testDatabaseUrl(): string {
  return inject("databaseUrl");
}
