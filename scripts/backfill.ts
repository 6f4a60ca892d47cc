/**
 * `npm run backfill -- --symbol HPG --resolution 1 --from 2026-10-01 --to 2026-11-26`
 *
 * Loads history from DNSE's chart endpoint (lib/market/backfill.ts; DNSE_BASE_URL) into DATABASE_URL's
 * database (or the embedded one), printing progress after each chunk. Dates without a zone are read
 * as Vietnam time; --to is inclusive of its day when given as a date.
 */
import pg from "pg";
import { resolveDatabaseUrl } from "../db/client";
import { env } from "../lib/env";
import { runBackfill } from "../lib/market/backfill";
import { DNSE_RESOLUTIONS, type DnseResolution } from "../lib/market/dnse-chart";
import { parseInstant } from "../lib/time";

const USAGE = `Usage: npm run backfill -- --symbol HPG --resolution ${DNSE_RESOLUTIONS.join("|")} --from 2026-10-01 --to 2026-11-26`;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const symbol = option("symbol")?.trim().toUpperCase();
  const resolution = option("resolution") as DnseResolution | undefined;
  const fromText = option("from");
  const toText = option("to");
  const from = fromText ? parseInstant(fromText) : undefined;
  let to = toText ? parseInstant(toText) : undefined;
  // A bare date as --to means "through that day".
  if (to && toText && /^\d{4}-\d{2}-\d{2}$/.test(toText.trim())) to = new Date(to.getTime() + 86_400_000 - 1000);
  const problems = [
    !symbol && "--symbol is required",
    !DNSE_RESOLUTIONS.includes(resolution as DnseResolution) && `--resolution must be one of ${DNSE_RESOLUTIONS.join(", ")}`,
    !from && `--from ${JSON.stringify(fromText ?? "")} is not a date`,
    !to && `--to ${JSON.stringify(toText ?? "")} is not a date`,
  ].filter(Boolean);
  if (problems.length > 0) {
    console.error([...problems, USAGE].join("\n"));
    return 2;
  }
  const db = await resolveDatabaseUrl({ log: (line) => console.log(line) });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const started = Date.now();
    const result = await runBackfill(pool, { symbol: symbol!, resolution: resolution!, from: from!, to: to! }, {
      baseUrl: env().DNSE_BASE_URL,
      minuteHistoryDays: env().DNSE_MINUTE_HISTORY_DAYS,
      onProgress: (p) => console.log(`chunk ${p.chunksDone}/${p.chunksTotal}: ${p.fetched} bars fetched, ${p.stored} stored`),
    });
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.stored} bars of ${symbol} stored.`);
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await pool.end();
    await db.stop();
  }
}

main().then((code) => process.exit(code));
