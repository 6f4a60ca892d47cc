/**
 * `npm run candles:correct -- --symbol HPG --resolution 1m|1D --action delete --from <instant> --to <instant>`
 * `npm run candles:correct -- --symbol HPG --resolution 1m|1D --action replace --from … --to … --unit "thousand VND"|VND|points file.csv`
 *
 * Deletes a symbol's bars in [from, to) (to excluded), or replaces them with the bars of a CSV file in
 * the import's format, and refreshes the 1h/1D rollups at once (lib/market/corrections.ts), in
 * DATABASE_URL's database (or the embedded one). Instants without a zone are Vietnam time. Anything
 * wrong (a bad row, a bar outside the range, an unknown symbol) changes nothing: exit code 1.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { resolveDatabaseUrl } from "../db/client";
import { CandleValidationError } from "../lib/market/candle-validation";
import { CorrectionError, CorrectionRefreshError, correctCandles, correctionFieldsSchema, replacementBarsFromCsv } from "../lib/market/corrections";
import { CsvFileError } from "../lib/market/csv-import";
import { UnknownSymbolError } from "../lib/market/symbols";
import { toVnIso } from "../lib/time";

const USAGE = [
  "Usage: npm run candles:correct -- --symbol HPG --resolution 1m|1D --action delete --from 2025-03-04T10:00 --to 2025-03-04T10:30",
  '       npm run candles:correct -- --symbol HPG --resolution 1m|1D --action replace --from … --to … --unit "thousand VND"|VND|points file.csv',
  "       (instants without a zone are Vietnam time; to is excluded)",
].join("\n");

function args(argv: string[]) {
  const out: Record<string, string> = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--")) out[a.slice(2)] = argv[++i] ?? "";
    else files.push(a);
  }
  return { out, files };
}

async function main(): Promise<number> {
  const { out, files } = args(process.argv.slice(2));
  const fields = correctionFieldsSchema.safeParse(out);
  const wantsFile = fields.success && fields.data.action === "replace";
  if (!fields.success || files.length !== (wantsFile ? 1 : 0)) {
    const problems = fields.success ? [] : fields.error.issues.map((i) => i.message);
    if (fields.success) problems.push(wantsFile ? "give exactly one CSV file with the replacement bars" : '"delete" takes no file');
    console.error([...problems, USAGE].join("\n"));
    return 2;
  }
  const db = await resolveDatabaseUrl({ log: (line) => console.log(line) });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const bars = wantsFile ? replacementBarsFromCsv(readFileSync(files[0]!), fields.data) : [];
    const r = await correctCandles(pool, { ...fields.data, bars });
    console.log(`Corrected ${r.resolution} bars of ${r.symbol} from ${toVnIso(r.from)} to ${toVnIso(r.to)}: ${r.deleted} removed, ${r.written} written; 1h and 1D are up to date.`);
    return 0;
  } catch (error) {
    const known = [CorrectionError, CorrectionRefreshError, CandleValidationError, CsvFileError, UnknownSymbolError];
    if (known.some((k) => error instanceof k)) {
      console.error((error as Error).message);
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
