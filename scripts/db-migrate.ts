/**
 * `npm run db:migrate`: migrates DATABASE_URL's database, or the embedded one when it is unset.
 * Idempotent; prints what it applied or "up to date"; exits 1 with a clear message for a database it
 * cannot migrate.
 */
import pg from "pg";
import { resolveDatabaseUrl, type ResolvedDatabase } from "../db/client";
import { migrate, MigrationError } from "../db/migrate";
import { env, EnvError } from "../lib/env";

const log = (line: string) => console.log(`[db:migrate] ${line}`);

async function main(): Promise<number> {
  try {
    env();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }

  let db: ResolvedDatabase | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping…`);
    void (db?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    db = await resolveDatabaseUrl({ log });
    const client = new pg.Client({ connectionString: db.url, application_name: "quantflow-migrate" });
    try {
      await client.connect();
    } catch (err) {
      console.error(`[db:migrate] Cannot connect to ${db.displayUrl}: ${(err as Error).message}`);
      return 1;
    }
    try {
      const result = await migrate(client, { log });
      log(
        result.applied.length === 0
          ? `Database up to date (${result.engine} time-series layer).`
          : `Applied ${result.applied.length} migration(s) (${result.engine} time-series layer): ${result.applied.join(", ")}.`,
      );
      return 0;
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (err) {
    if (err instanceof MigrationError) {
      console.error(`[db:migrate] Cannot migrate this database: ${err.message}`);
      return 1;
    }
    console.error(`[db:migrate] ${(err as Error).message}`);
    return 1;
  } finally {
    await db?.stop();
  }
}

process.exitCode = await main();
