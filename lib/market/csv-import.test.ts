/** CSV import against the real PostgreSQL, on a database of this file's own (it refreshes the rollup). */
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import {
  CSV_BATCH_ROWS,
  CsvFileError,
  CsvOutOfBoundsError,
  CsvRejectedError,
  CsvTooLargeError,
  CsvUnconfirmedError,
  importCandleCsv,
  MAX_CSV_BYTES,
  parseCandleCsv,
  previewCandleCsv,
  readCandleCsv,
} from "./csv-import";
import { ingestDailyBars } from "./ingest";
import { UnknownSymbolError } from "./symbols";

const db = scratchDatabaseForFile("csv_import");

beforeAll(async () => {
  await db.pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
       ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel'), ('HSG', 'Hoa Sen Group', 'stock', 'HOSE', 'Steel'),
       ('VNINDEX', 'VN-Index', 'index', 'HOSE', NULL), ('NKG', 'Nam Kim Steel', 'stock', 'HOSE', 'Steel'),
       ('POM', 'Pomina Steel', 'stock', 'UPCOM', 'Steel')`,
  );
  // NKG's stored closes for the scale check: 26,350 / 26,200 / 25,850 VND on 28–30 Dec 2020.
  await ingestDailyBars(
    db.pool,
    [26_350, 26_200, 25_850].map((close, k) => ({ time: new Date(`2020-12-${28 + k}T00:00:00+07:00`), symbol: "NKG", open: close, high: close, low: close, close, volume: 1_000 })),
  );
});

const count = async (table: string, symbol: string) =>
  Number((await db.pool.query(`SELECT count(*) AS n FROM ${table} WHERE symbol = $1`, [symbol])).rows[0].n);

const DAILY = [
  "Timestamp,Open,High,Low,Close,Volume,MarketCapital",
  "2020-12-28,25.95,26.4,25.9,26.35,1370600.0,46000",
  "2020-12-29,26.35,26.5,26.1,26.2,2125600,46100",
  "2020-12-30,26.2,26.3,25.8,25.85,1919000,46200",
].join("\n");

describe("parseCandleCsv", () => {
  it("converts thousand VND exactly and stamps daily bars at 00:00 in Vietnam", () => {
    const { rows, problems } = parseCandleCsv(DAILY, { symbol: "HPG", unit: "thousand VND", resolution: "1D" });
    expect(problems).toEqual([]);
    expect(rows[0]).toEqual({
      line: 2,
      bar: { time: new Date("2020-12-27T17:00:00Z"), symbol: "HPG", open: 25_950, high: 26_400, low: 25_900, close: 26_350, volume: 1_370_600 },
    });
    expect(rows.map((r) => r.bar.close)).toEqual([26_350, 26_200, 25_850]);
  });

  it("names every bad line and why", () => {
    const csv = [
      "date,open,high,low,close,volume",
      "2020-12-28,25.95,26.4,25.9,26.35,100",
      "2020-12-29,0,0,0,100,0", // zero prices (HPG's first rows in the shared data look like this)
      "2020-12-30,26.5,26.3,25.8,25.85,100", // open above high
      "2020-12-31,abc,26.3,25.8,25.85,100",
      "2021-02-30,26,26.3,25.8,25.85,100",
      "2020-12-28,25.95,26.4,25.9,26.35,100", // the same day again
      "2021-01-04,26,26.3,25.8,25.85,10.5",
    ].join("\n");
    const { rows, problems } = parseCandleCsv(csv, { symbol: "HPG", unit: "thousand VND", resolution: "1D" });
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(problems[0]!.message).toMatch(/open must be positive, got 0/);
    expect(problems[1]!.message).toMatch(/open 26500 is outside \[low 25800, high 26300\]/);
    expect(problems[2]!.message).toBe('open "abc" is not a number');
    expect(problems[3]!.message).toMatch(/time "2021-02-30" is not a date/);
    expect(problems[4]!.message).toBe("same day as line 2");
    expect(problems[5]!.message).toBe("volume 10.5 is not a whole number of shares");
  });

  it("reads 1-minute files in Vietnam time and refuses a time that is not a minute's start", () => {
    const csv = "time,open,high,low,close,volume\n2025-03-04 09:15,25950,26000,25900,26000,100\n2025-03-04T09:16:30,25950,26000,25900,26000,100\n";
    const { rows, problems } = parseCandleCsv(csv, { symbol: "HPG", unit: "VND", resolution: "1m" });
    expect(rows.map((r) => r.bar.time.toISOString())).toEqual(["2025-03-04T02:15:00.000Z"]);
    expect(problems).toEqual([{ line: 3, message: "time 2025-03-04T09:16:30+07:00 is not the start of a minute" }]);
  });

  it("lets indices in points go without volume", () => {
    const csv = "date,open,high,low,close\n2020-11-27T00:00:00,1001.5,1010.25,999,1005.75\n";
    const { rows } = parseCandleCsv(csv, { symbol: "VNINDEX", unit: "points", resolution: "1D" });
    expect(rows[0]!.bar).toMatchObject({ open: 1001.5, close: 1005.75, volume: 0, time: new Date("2020-11-26T17:00:00Z") });
  });

  it("refuses a file without the needed columns, an empty one, and one over the size limit", () => {
    const opts = { symbol: "HPG", unit: "VND", resolution: "1D" } as const;
    expect(() => parseCandleCsv("when,open,high,low,close\n", opts)).toThrow(/Line 1 \(the header\) lacks the columns timestamp \(or date, time\), volume; it has: when, open, high, low, close/);
    expect(() => parseCandleCsv("", opts)).toThrow(CsvFileError);
    expect(() => parseCandleCsv("date,open,high,low,close,volume\n", opts)).toThrow(/no rows/);
    expect(() => parseCandleCsv("x".repeat(MAX_CSV_BYTES + 1), opts)).toThrow(/the limit is 20 MB/);
  });
});

describe("importCandleCsv / previewCandleCsv", () => {
  it("previews without storing, then imports in one go", async () => {
    const opts = { symbol: "HSG", unit: "thousand VND", resolution: "1D" } as const;
    const preview = await previewCandleCsv(db.pool, DAILY, opts);
    expect(preview).toMatchObject({ rows: 3, problems: [], warnings: [] });
    expect(preview.preview).toHaveLength(3);
    expect(await count("market_candles_eod", "HSG")).toBe(0);
    expect(await importCandleCsv(db.pool, DAILY, { ...opts, skipBadRows: false, confirmWarnings: false })).toEqual({ imported: 3, skipped: [], changed: 0, changes: [] });
    const { rows } = await db.pool.query("SELECT close FROM market_candles_1d WHERE symbol = 'HSG' ORDER BY bucket");
    expect(rows.map((r) => r.close)).toEqual([26_350, 26_200, 25_850]);
  });

  it("imports nothing when a row is bad, unless told to skip bad rows, and then names them", async () => {
    const csv = "timestamp,open,high,low,close,volume\n2025-03-04 09:15,25950,26000,25900,26000,100\n2025-03-04 09:16,26100,26000,25900,26000,100\n2025-03-04 09:17,25950,26000,25900,25950,200\n";
    const opts = { symbol: "HPG", unit: "VND", resolution: "1m", skipBadRows: false, confirmWarnings: false } as const;
    const refused = importCandleCsv(db.pool, csv, opts);
    await expect(refused).rejects.toThrow(CsvRejectedError);
    await expect(refused).rejects.toThrow(/1 bad row; nothing was imported .*line 3: open 26100 is outside/);
    expect(await count("market_candles", "HPG")).toBe(0);
    const result = await importCandleCsv(db.pool, csv, { ...opts, skipBadRows: true });
    expect(result).toEqual({ imported: 2, skipped: [{ line: 3, message: "open 26100 is outside [low 25900, high 26000]" }], changed: 0, changes: [] });
    const { rows } = await db.pool.query("SELECT open, close, volume FROM market_candles_1h WHERE symbol = 'HPG'");
    expect(rows).toEqual([{ open: 25_950, close: 25_950, volume: "300" }]);
  });

  it("refuses an unknown symbol and a unit that does not fit it", async () => {
    await expect(importCandleCsv(db.pool, DAILY, { symbol: "XYZ", unit: "VND", resolution: "1D", skipBadRows: true, confirmWarnings: false })).rejects.toThrow(UnknownSymbolError);
    await expect(previewCandleCsv(db.pool, DAILY, { symbol: "HPG", unit: "points", resolution: "1D" })).rejects.toThrow(/HPG is a stock: its prices are in "VND" or "thousand VND"/);
    await expect(previewCandleCsv(db.pool, DAILY, { symbol: "VNINDEX", unit: "VND", resolution: "1D" })).rejects.toThrow(/VNINDEX is an index: choose the unit "points"/);
  });
});

describe("sanity bounds and changes in an import", () => {
  it("previews a bar outside the bounds by line, refuses the file whole even when confirmed, and imports the fixed file reporting what it replaced", async () => {
    const opts = { symbol: "HSG", unit: "thousand VND", resolution: "1D" } as const;
    // HSG's 2020-12-30 close is stored (25,850); a +30 % day after it, and a changed 2020-12-30.
    const bad = ["date,open,high,low,close,volume", "2020-12-30,26.2,26.3,25.8,25.9,1919000", "2020-12-31,33.6,33.6,33.6,33.6,1000"].join("\n");
    const preview = await previewCandleCsv(db.pool, bad, opts);
    expect(preview.outOfBounds).toEqual([
      {
        line: 3,
        message: expect.stringMatching(/^\(HSG 2020-12-31T00:00:00\+07:00\): high 33,600 is above the ceiling of 2020-12-31 \(HOSE ±7 % of the reference 25,900, the close of 2020-12-30/),
      },
    ]);
    expect(preview).toMatchObject({ changed: 1, changes: [{ symbol: "HSG", before: { close: 25_850 }, after: { close: 25_900 } }] });
    const refused = importCandleCsv(db.pool, bad, { ...opts, skipBadRows: true, confirmWarnings: true });
    await expect(refused).rejects.toThrow(CsvOutOfBoundsError);
    await expect(refused).rejects.toThrow(/^1 bar is outside the sanity bounds; nothing was imported: line 3: \(HSG 2020-12-31/);
    expect((await db.pool.query("SELECT close FROM market_candles_eod WHERE symbol = 'HSG' ORDER BY time DESC LIMIT 1")).rows[0]!.close).toBe(25_850);

    const fixed = bad.replace("2020-12-31,33.6,33.6,33.6,33.6,1000", "2020-12-31,26,26.5,25.9,26.4,1000");
    const result = await importCandleCsv(db.pool, fixed, { ...opts, skipBadRows: false, confirmWarnings: false, userId: null });
    expect(result).toMatchObject({ imported: 2, changed: 1 });
    expect(result.changes).toEqual([
      { symbol: "HSG", time: new Date("2020-12-29T17:00:00Z"), before: { open: 26_200, high: 26_300, low: 25_800, close: 25_850, volume: 1_919_000 }, after: { open: 26_200, high: 26_300, low: 25_800, close: 25_900, volume: 1_919_000 } },
    ]);
    const { rows } = await db.pool.query("SELECT source, old_close, new_close FROM market_candle_changes WHERE symbol = 'HSG'");
    expect(rows).toEqual([{ source: "csv-import", old_close: 25_850, new_close: 25_900 }]);
  });
});

describe("the unit check (a thousand-VND file read as VND, or the reverse)", () => {
  // Prices of about 4.6 thousand VND, as HPG's rows of 2009–2010 are; read as VND they would be 4.62 VND.
  const SMALL = ["date,open,high,low,close,volume", "2010-03-01,4.6,4.65,4.55,4.62,1000", "2010-03-02,4.62,4.7,4.6,4.68,1000", "2010-03-03,4.68,4.7,4.62,4.65,1000"].join("\n");

  it("warns in the preview when most prices are fractions of a dong, off the tick grid", async () => {
    const preview = await previewCandleCsv(db.pool, SMALL, { symbol: "HSG", unit: "VND", resolution: "1D" });
    expect(preview.rows).toBe(3);
    expect(preview.warnings).toHaveLength(1);
    expect(preview.warnings[0]!.code).toBe("off-tick");
    expect(preview.warnings[0]!.message).toMatch(/12 of 12 prices are off the HOSE tick grid.*fractions of a dong.*line 2: open 4\.6 VND.*thousand VND/);
    // The same file in its real unit: 4,600 … 4,700 VND, on HOSE's 10 VND grid.
    expect((await previewCandleCsv(db.pool, SMALL, { symbol: "HSG", unit: "thousand VND", resolution: "1D" })).warnings).toEqual([]);
  });

  it("names whole but off-grid prices too (back-adjusted history looks like this)", async () => {
    const adjusted = ["date,open,high,low,close,volume", "2010-03-01,4.887,4.887,4.703,4.855,1000", "2010-03-02,4.887,4.887,4.765,4.794,1000"].join("\n");
    const [warning] = (await previewCandleCsv(db.pool, adjusted, { symbol: "HSG", unit: "thousand VND", resolution: "1D" })).warnings;
    expect(warning?.code).toBe("off-tick");
    expect(warning?.message).toMatch(/8 of 8 prices are off the HOSE tick grid .*line 2: open 4,887 VND.*[Bb]ack-adjusted/);
  });

  it("warns when the closes are about 1,000 times the stored ones, on the same days or the nearest", async () => {
    const inVnd = ["date,open,high,low,close,volume", "2020-12-28,26350,26350,26350,26350,1000", "2020-12-29,26200,26200,26200,26200,1000"].join("\n");
    const preview = await previewCandleCsv(db.pool, inVnd, { symbol: "NKG", unit: "thousand VND", resolution: "1D" });
    expect(preview.warnings.map((w) => w.code)).toEqual(["scale"]);
    expect(preview.warnings[0]!.message).toMatch(/about 1,000 times the closes QuantFlow holds .*2020-12-28: 26,350,000 VND in this file, 26,350 VND stored.*Choose the unit "VND"/);
    // Read right, no warning.
    expect((await previewCandleCsv(db.pool, inVnd, { symbol: "NKG", unit: "VND", resolution: "1D" })).warnings).toEqual([]);
    // Days after the stored ones: compared with the nearest stored close.
    const later = ["date,open,high,low,close,volume", "2021-01-04,26.2,26.3,26.2,26.25,1000"].join("\n");
    const laterWarnings = (await previewCandleCsv(db.pool, later, { symbol: "NKG", unit: "VND", resolution: "1D" })).warnings;
    const [w] = laterWarnings.filter((x) => x.code === "scale");
    expect(w?.message).toMatch(/about 1\/1,000 of the closes QuantFlow holds .*2020-12-30: 25,850 VND stored.*Choose the unit "thousand VND"/);
  });

  it("refuses to import while a warning stands unless confirmed, and then stores nothing", async () => {
    const opts = { symbol: "POM", unit: "VND", resolution: "1D", skipBadRows: false } as const;
    const refused = importCandleCsv(db.pool, SMALL, { ...opts, confirmWarnings: false });
    await expect(refused).rejects.toThrow(CsvUnconfirmedError);
    await expect(refused).rejects.toThrow(/^Nothing was imported: .*off the UPCOM tick grid.*confirm the import/);
    expect(await count("market_candles_eod", "POM")).toBe(0);
    expect(await importCandleCsv(db.pool, SMALL, { ...opts, confirmWarnings: true })).toEqual({ imported: 3, skipped: [], changed: 0, changes: [] });
    expect(await count("market_candles_eod", "POM")).toBe(3);
  });

  it("leaves index points alone", async () => {
    const points = ["date,open,high,low,close", "2010-03-01,500.12,505.3,499.87,503.21"].join("\n");
    expect((await previewCandleCsv(db.pool, points, { symbol: "VNINDEX", unit: "points", resolution: "1D" })).warnings).toEqual([]);
  });
});

/**
 * A CSV of 1-minute bars `bytes` long, made as it is read: a ReadableStream that makes the next 64 KiB
 * only when asked (`made()` tells how much so far). With `badLastRow`, the last line's open is above its high.
 */
function minuteCsvStream(bytes: number, opts: { badLastRow?: boolean; start?: number } = {}) {
  const start = opts.start ?? Date.UTC(2015, 0, 5, 2, 15); // 09:15 in Vietnam
  let made = 0;
  let i = 0;
  const line = (k: number, bad: boolean) => {
    const t = new Date(start + k * 60_000).toISOString();
    const open = bad ? 27_000 : 26_000 + (k % 10) * 50;
    return `${t.slice(0, 10)} ${t.slice(11, 16)},${open},26500,25900,26000,${100 + (k % 7) * 100}\n`;
  };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = i === 0 ? "timestamp,open,high,low,close,volume\n" : "";
      while (chunk.length < 64 * 1024 && made + chunk.length < bytes) chunk += line(i++, false);
      if (made + chunk.length >= bytes && opts.badLastRow) chunk += line(i++, true);
      made += chunk.length;
      controller.enqueue(new TextEncoder().encode(chunk));
      if (made >= bytes) controller.close();
    },
  });
  return { stream, made: () => made, rows: () => i };
}

describe("large files, streamed", () => {
  beforeAll(async () => {
    await db.pool.query(
      `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
         ('BIGA', 'Big file A', 'stock', 'HOSE', NULL), ('BIGB', 'Big file B', 'stock', 'HOSE', NULL), ('BIGC', 'Big file C', 'stock', 'HOSE', NULL)`,
    );
  });
  const opts = { unit: "VND", resolution: "1m", skipBadRows: false, confirmWarnings: false } as const;

  it("reads a 15 MB stream a batch at a time: the source is pulled only as far as the batches are used", async () => {
    const source = minuteCsvStream(15 * 1024 * 1024);
    let batches = 0;
    let rows = 0;
    for await (const batch of readCandleCsv(source.stream, { symbol: "BIGA", unit: "VND", resolution: "1m" })) {
      // When the first batch arrives, well under 1 MB of the 15 MB has been made: the file is not buffered.
      if (batches++ === 0) expect(source.made()).toBeLessThan(1024 * 1024);
      expect(batch.rows.length + batch.problems.length).toBeLessThanOrEqual(CSV_BATCH_ROWS);
      expect(batch.problems).toEqual([]);
      rows += batch.rows.length;
    }
    expect(rows).toBe(source.rows());
    expect(batches).toBeGreaterThan(100);
  });

  it("imports a 15 MB file", { timeout: 120_000 }, async () => {
    const source = minuteCsvStream(15 * 1024 * 1024);
    const result = await importCandleCsv(db.pool, source.stream, { ...opts, symbol: "BIGA" });
    expect(result).toEqual({ imported: source.rows(), skipped: [], changed: 0, changes: [] });
    expect(result.imported).toBeGreaterThan(300_000);
    expect(await count("market_candles", "BIGA")).toBe(source.rows());
  });

  it("stores nothing when the last row of a big file is bad, and names it", { timeout: 120_000 }, async () => {
    const partitions = async () => (await db.pool.query("SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'market_candles'::regclass")).rows[0].n as number;
    const before = await partitions();
    // 2016: weeks no other import has made yet.
    const source = minuteCsvStream(8 * 1024 * 1024, { badLastRow: true, start: Date.UTC(2016, 0, 4, 2, 15) });
    const refused = importCandleCsv(db.pool, source.stream, { ...opts, symbol: "BIGB" });
    await expect(refused).rejects.toThrow(CsvRejectedError);
    const error = (await refused.catch((e: unknown) => e)) as CsvRejectedError;
    expect(error.problems).toEqual([{ line: source.rows() + 1, message: "open 27000 is outside [low 25900, high 26500]" }]);
    expect(await count("market_candles", "BIGB")).toBe(0);
    // Nor is an empty weekly partition left behind by the rollback (the file's weeks are new ones).
    expect(await partitions()).toBe(before);
  });

  it("refuses a stream over 20 MB while reading it (CsvTooLargeError) and stores nothing", { timeout: 120_000 }, async () => {
    const source = minuteCsvStream(21 * 1024 * 1024);
    const refused = importCandleCsv(db.pool, source.stream, { ...opts, symbol: "BIGC" });
    await expect(refused).rejects.toThrow(CsvTooLargeError);
    await expect(refused).rejects.toThrow("The file is larger than the 20 MB limit; nothing was imported.");
    expect(source.made()).toBeLessThanOrEqual(MAX_CSV_BYTES + 128 * 1024);
    expect(await count("market_candles", "BIGC")).toBe(0);
  });
});
