/**
 * `npm run db:seed`: migrates (when needed) and seeds the demo data into DATABASE_URL's database, or
 * the embedded one when it is unset. Idempotent: a second run rewrites nothing new.
 *
 *   npm run db:seed                      the full demo (5 years daily, 60 days of 1-minute bars)
 *   npm run db:seed -- --seed other      another deterministic market
 *   npm run db:seed -- --symbols HPG,IRON_ORE --intraday-days 5 --years 1
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { resolveDatabaseUrl, type ResolvedDatabase } from "../db/client";
import { migrate, MigrationError } from "../db/migrate";
import { DEMO_EMAIL, DEMO_PASSWORD } from "../lib/demo/account";
import { parseDemoOptions } from "../lib/demo/market";
import { seedDemoData, type SeedOptions } from "../lib/demo/seed";
import { env, EnvError } from "../lib/env";

const log = (line: string) => console.log(`[db:seed] ${line}`);

const USAGE = "Usage: npm run db:seed -- [--seed TEXT] [--symbols A,B,…] [--intraday-days N] [--years N]";

function parseOptions(argv: string[]): SeedOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: "string" },
      symbols: { type: "string" },
      "intraday-days": { type: "string" },
      years: { type: "string" },
    },
    strict: true,
  });
  const int = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a whole number, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  return {
    seed: values.seed,
    symbols: values.symbols?.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean),
    intradayDays: int("intraday-days", values["intraday-days"]),
    historyYears: int("years", values.years),
    log,
  };
}

async function main(): Promise<number> {
  let options: SeedOptions;
  try {
    env();
    options = parseOptions(process.argv.slice(2));
    parseDemoOptions(options); // before touching the database
  } catch (err) {
    console.error(err instanceof EnvError ? err.message : `[db:seed] ${(err as Error).message}\n${USAGE}`);
    return 1;
  }

  let db: ResolvedDatabase | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping…`);
    void (db?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let pool: pg.Pool | undefined;
  try {
    db = await resolveDatabaseUrl({ log });
    pool = new pg.Pool({ connectionString: db.url, max: 2, application_name: "quantflow-seed" });
    const client = await pool.connect().catch((err: Error) => {
      throw new Error(`Cannot connect to ${db!.displayUrl}: ${err.message}`);
    });
    try {
      const migrated = await migrate(client, { log });
      if (migrated.applied.length > 0) log(`Applied ${migrated.applied.length} migration(s).`);
    } finally {
      client.release();
    }

    const summary = await seedDemoData(pool, options);
    const s = summary.seconds;
    log(
      `Done in ${s.total.toFixed(1)} s (generate ${s.generate.toFixed(1)} s, write ${s.write.toFixed(1)} s, ` +
        `aggregates ${s.refresh.toFixed(1)} s): ${summary.symbols} symbols, ` +
        `${summary.eodBars.toLocaleString("en-US")} end-of-day bars ${summary.firstDay} → ${summary.lastDay}, ` +
        `${summary.minuteBars.toLocaleString("en-US")} 1-minute bars from ${summary.intradayFrom}.`,
    );
    log(
      summary.demoUser === "created"
        ? `Demo analyst: ${DEMO_EMAIL} / ${DEMO_PASSWORD}`
        : `Demo analyst ${DEMO_EMAIL} already exists (password unchanged; the default is ${DEMO_PASSWORD}).`,
    );
    return 0;
  } catch (err) {
    if (err instanceof MigrationError) {
      console.error(`[db:seed] Cannot migrate this database: ${err.message}`);
      return 1;
    }
    console.error(`[db:seed] ${(err as Error).message}`);
    return 1;
  } finally {
    await pool?.end().catch(() => undefined);
    await db?.stop();
  }
}

process.exitCode = await main();
