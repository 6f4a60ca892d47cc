/**
 * `npm run candles:correct` as a process, against a database of this file's own: a delete shows in 1h
 * at once; a replacement file with a bad row changes nothing and exits 1.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { sessionMinutes } from "@/lib/market/calendar";
import { ingestCandles, refreshAggregates } from "@/lib/market/ingest";
import { scratchDatabaseForFile } from "@/test/scratch-db";

const root = fileURLToPath(new URL("..", import.meta.url));
const db = scratchDatabaseForFile("correct_cli");

function correct(args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/correct-candles.ts", ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", DATABASE_URL: db.url },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
const hourVolume = async () =>
  (await db.pool.query("SELECT volume FROM market_candles_1h WHERE symbol = 'HPG' AND bucket = '2025-03-04T03:00:00Z'")).rows[0]?.volume as string;

beforeAll(async () => {
  await db.pool.query("INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel')");
  const rows = sessionMinutes("HOSE", "2025-03-04").map((time) => ({ time, symbol: "HPG", open: 26_000, high: 26_050, low: 25_950, close: 26_000, volume: 100 }));
  await ingestCandles(db.pool, rows);
  await refreshAggregates(db.pool);
});

describe("npm run candles:correct", () => {
  it("deletes a range and says so; 1h shows it at once", async () => {
    expect(await hourVolume()).toBe("6000");
    const run = correct(["--symbol", "HPG", "--resolution", "1m", "--action", "delete", "--from", "2025-03-04 10:00", "--to", "2025-03-04 10:15"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Corrected 1m bars of HPG from 2025-03-04T10:00:00\+07:00 to 2025-03-04T10:15:00\+07:00: 15 removed, 0 written/);
    expect(await hourVolume()).toBe("4500");
  });

  it("refuses a replacement file with a bad row, changing nothing; usage errors exit 2", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "qf-correct-")), "fix.csv");
    writeFileSync(file, "time,open,high,low,close,volume\n2025-03-04 10:20,26,26.1,25.9,26,1000\n2025-03-04 10:21,26,25,25.9,26,1000\n");
    const run = correct(["--symbol", "HPG", "--resolution", "1m", "--action", "replace", "--from", "2025-03-04 10:00", "--to", "2025-03-04 11:00", "--unit", "thousand VND", file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Nothing was changed: 1 bad row in the file \(line 3: /);
    expect(await hourVolume()).toBe("4500");
    const usage = correct(["--symbol", "HPG", "--resolution", "1m", "--action", "replace", "--from", "2025-03-04", "--to", "2025-03-05"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/give exactly one CSV file/);
  });
});
