/**
 * `npm run import:csv -- --symbol HPG --unit "thousand VND" --resolution 1D file.csv [--skip-bad-rows] [--confirm-unit]`
 *
 * Imports candles from a CSV file (lib/market/csv-import.ts) into DATABASE_URL's database (or the
 * embedded one). A bad row stops the import (nothing stored) unless --skip-bad-rows; every bad line is
 * printed either way. A sign of a wrong unit (lib/market/unit-check.ts) stops it too, unless
 * --confirm-unit. Exit code 1 when nothing was imported because of bad rows, a unit warning or a bad file.
 */
import { createReadStream } from "node:fs";
import pg from "pg";
import { resolveDatabaseUrl } from "../db/client";
import { csvOptionsSchema, CsvFileError, CsvRejectedError, CsvUnconfirmedError, importCandleCsv } from "../lib/market/csv-import";
import { UnknownSymbolError } from "../lib/market/symbols";

const USAGE = 'Usage: npm run import:csv -- --symbol HPG --unit "thousand VND"|VND|points --resolution 1D|1m file.csv [--skip-bad-rows] [--confirm-unit]';

function args(argv: string[]) {
  const out: Record<string, string> = {};
  const files: string[] = [];
  let skipBadRows = false;
  let confirmWarnings = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--skip-bad-rows") skipBadRows = true;
    else if (a === "--confirm-unit") confirmWarnings = true;
    else if (a.startsWith("--")) out[a.slice(2)] = argv[++i] ?? "";
    else files.push(a);
  }
  return { out, files, skipBadRows, confirmWarnings };
}

async function main(): Promise<number> {
  const { out, files, skipBadRows, confirmWarnings } = args(process.argv.slice(2));
  const opts = csvOptionsSchema.safeParse(out);
  if (!opts.success || files.length !== 1) {
    console.error([...(opts.success ? [] : opts.error.issues.map((i) => i.message)), ...(files.length !== 1 ? ["give exactly one CSV file"] : []), USAGE].join("\n"));
    return 2;
  }
  // Streamed: the file is never held whole (lib/market/csv-import.ts readCandleCsv).
  const input = createReadStream(files[0]!);
  const db = await resolveDatabaseUrl({ log: (line) => console.log(line) });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const result = await importCandleCsv(pool, input, { ...opts.data, skipBadRows, confirmWarnings });
    for (const p of result.skipped) console.log(`skipped line ${p.line}: ${p.message}`);
    console.log(`Imported ${result.imported} ${opts.data.resolution} bars of ${opts.data.symbol}${result.skipped.length ? `; skipped ${result.skipped.length} bad lines` : ""}.`);
    return 0;
  } catch (error) {
    if (error instanceof CsvRejectedError) {
      for (const p of error.problems) console.error(`line ${p.line}: ${p.message}`);
      console.error(`${error.problems.length} bad rows: nothing was imported. Fix them, or run again with --skip-bad-rows.`);
      return 1;
    }
    if (error instanceof CsvUnconfirmedError) {
      console.error(`${error.message.replace("(confirmWarnings)", "(--confirm-unit)")}`);
      return 1;
    }
    if (error instanceof CsvFileError || error instanceof UnknownSymbolError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await pool.end();
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
