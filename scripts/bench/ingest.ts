/**
 * `npm run bench:ingest [-- --rows 1000000 --symbols 100 --rounds 3]`
 *
 * On a scratch database of DATABASE_URL's server (or the embedded one), dropped at the end:
 *  1. loads the same 1-minute bars (HOSE session minutes, ≥100 symbols) through ingestCandles() and
 *     through a plain COPY (text format, as one would write it), alternating, several rounds, and
 *     prints rows/s of each and their ratio; a binary COPY with ingest's own encoder, without
 *     validation or checks, shows what the rest of ingest costs;
 *  2. the time of refreshAggregates() after one new minute: for 400 symbols in the current hour (the live
 *     feed's case: above the watermark) and for every loaded symbol in a materialised hour (a late minute);
 *  3. one symbol's 30 days of 1h bars from market_candles_1h vs aggregating the raw 1-minute bars.
 * Every figure is a ratio against a baseline measured in the same process, medians of rounds.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { resolveDatabaseUrl, type ResolvedDatabase } from "../../db/client";
import { copyRows, ingestCandles, refreshAggregates } from "../../lib/market/ingest";
import type { CandleRow } from "../../lib/market/types";
import { numberOption } from "./options";
import { withScratchDatabase } from "./scratch-database";

const log = (line: string) => console.log(`[bench:ingest] ${line}`);


const MINUTE_MS = 60_000;
/** Symbols the live feed writes a minute for (issue 14: the refresh after one new minute for 400). */
const LIVE_SYMBOLS = 400;
const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
/** HOSE continuous trading, minutes after 00:00 in Vietnam: 09:15–11:30 and 13:00–14:45 (with ATC). */
const SESSION_MINUTES = [
  ...Array.from({ length: 135 }, (_, i) => 9 * 60 + 15 + i),
  ...Array.from({ length: 105 }, (_, i) => 13 * 60 + i),
];

/** Deterministic bars: `symbols` random walks over the weekday sessions ending yesterday. */
function generate(rowCount: number, symbolCount: number): CandleRow[] {
  const minutesNeeded = Math.ceil(rowCount / symbolCount);
  const days: number[] = [];
  let day = Math.floor((Date.now() + VN_OFFSET_MS) / DAY_MS) * DAY_MS - VN_OFFSET_MS - DAY_MS;
  while (days.length * SESSION_MINUTES.length < minutesNeeded) {
    const weekday = new Date(day + VN_OFFSET_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.unshift(day);
    day -= DAY_MS;
  }
  const times = days.flatMap((d) => SESSION_MINUTES.map((m) => d + m * MINUTE_MS)).slice(-minutesNeeded);
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const symbols = Array.from({ length: symbolCount }, (_, i) => `BX${String(i).padStart(3, "0")}`);
  const price = symbols.map(() => 10_000 + Math.round(random() * 900) * 50);
  const rows: CandleRow[] = [];
  for (const t of times) {
    for (let s = 0; s < symbolCount && rows.length < rowCount; s++) {
      const open = price[s]!;
      const close = Math.max(1_000, open + Math.round((random() - 0.5) * 6) * 50);
      price[s] = close;
      rows.push({
        time: new Date(t),
        symbol: symbols[s]!,
        open,
        high: Math.max(open, close) + Math.round(random() * 3) * 50,
        low: Math.min(open, close) - Math.round(random() * 3) * 50,
        close,
        volume: 100 * Math.round(1 + random() * 500),
      });
    }
  }
  return rows;
}

/** The plain way: COPY … FROM STDIN in the default text format. */
async function plainTextCopy(pool: pg.Pool, rows: readonly CandleRow[]): Promise<void> {
  function* lines() {
    for (let start = 0; start < rows.length; start += 4_000) {
      let text = "";
      for (const r of rows.slice(start, start + 4_000)) {
        text += `${r.time.toISOString()}\t${r.symbol}\t${r.open}\t${r.high}\t${r.low}\t${r.close}\t${r.volume}\n`;
      }
      yield text;
    }
  }
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const stream = client.query(copyFrom("COPY market_candles (time, symbol, open, high, low, close, volume) FROM STDIN"));
    await pipeline(Readable.from(lines()), stream);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

async function binaryCopy(pool: pg.Pool, rows: readonly CandleRow[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await copyRows(client, "market_candles", rows);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}


async function run(serverUrl: string): Promise<void> {
  const rowCount = numberOption("rows", 1_000_000);
  const symbolCount = numberOption("symbols", 100);
  const rounds = numberOption("rounds", 3);

  return withScratchDatabase(serverUrl, { label: "ingest", log, pool: { max: 4 } }, async ({ pool, engine }) => {

    let t = performance.now();
    const rows = generate(rowCount, symbolCount);
    log(
      `${rows.length.toLocaleString("en")} bars of ${symbolCount} symbols, ${rows[0]!.time.toISOString()} .. ` +
        `${rows.at(-1)!.time.toISOString()} (generated in ${(performance.now() - t).toFixed(0)} ms)`,
    );
    // Partitions exist ahead of the data in steady state; create them once for every contender.
    const days = [...new Set(rows.map((r) => Math.floor(r.time.getTime() / DAY_MS)))].map((d) => new Date(d * DAY_MS));
    await pool.query("SELECT market_candles_ensure_partitions($1::timestamptz[])", [days]);

    const contenders: [string, () => Promise<unknown>][] = [
      ["plain COPY (text)", () => plainTextCopy(pool, rows)],
      ["ingestCandles", () => ingestCandles(pool, rows)],
      ["COPY (binary, no checks)", () => binaryCopy(pool, rows)],
    ];
    const times = new Map<string, number[]>(contenders.map(([n]) => [n, []]));
    for (let round = 0; round < rounds; round++) {
      // Alternate the order so that neither side always runs on a warmer (or busier) server.
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const [label, work] of order) {
        await pool.query("TRUNCATE market_candles");
        await pool.query("CHECKPOINT");
        const ms = await timed(work);
        times.get(label)!.push(ms);
        log(`round ${round + 1}: ${label.padEnd(26)} ${(rows.length / (ms / 1000)).toFixed(0).padStart(8)} rows/s`);
      }
    }
    // The table must end up loaded by ingestCandles for what follows.
    await pool.query("TRUNCATE market_candles");
    await ingestCandles(pool, rows);
    const rate = (label: string) => rows.length / (median(times.get(label)!) / 1000);
    const ingestRate = rate("ingestCandles");

    t = performance.now();
    await refreshAggregates(pool);
    const fullRefreshMs = performance.now() - t;

    // Seven times: one new minute for every symbol, then the refresh that brings the rollups up to date.
    const appendAndRefresh = async (symbolList: string[], firstMinute: number) => {
      const appendMs: number[] = [];
      const refreshMs: number[] = [];
      for (let k = 0; k < 7; k++) {
        const minute = symbolList.map((symbol, s) => ({
          time: new Date(firstMinute + k * MINUTE_MS),
          symbol,
          open: 20_000 + s,
          high: 20_100 + s,
          low: 19_900 + s,
          close: 20_050 + s,
          volume: 1_000,
        }));
        appendMs.push(await timed(() => ingestCandles(pool, minute)));
        refreshMs.push(await timed(() => refreshAggregates(pool)));
      }
      return { appendMs, refreshMs };
    };
    // Late: the minutes after the last loaded one, into an hour already materialised.
    const symbols = [...new Set(rows.slice(0, symbolCount).map((r) => r.symbol))];
    const last = rows.at(-1)!.time.getTime();
    const { appendMs, refreshMs } = await appendAndRefresh(symbols, last + MINUTE_MS);
    // Live: 400 symbols in the current hour (above the watermark, read live until the hour closes), as the
    // live feed writes during a session.
    const liveSymbols = [...symbols, ...Array.from({ length: Math.max(0, LIVE_SYMBOLS - symbols.length) }, (_, i) => `BL${String(i).padStart(3, "0")}`)];
    const { appendMs: liveAppendMs, refreshMs: liveRefreshMs } = await appendAndRefresh(liveSymbols, Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS);

    // One symbol's last 30 days of 1h bars: the rollup vs aggregating the raw bars.
    const from = new Date(Math.floor((last - 30 * DAY_MS) / 3_600_000) * 3_600_000); // a whole hour: same rows both ways
    const viaView = () =>
      pool.query(
        "SELECT bucket, open, high, low, close, volume FROM market_candles_1h WHERE symbol = $1 AND bucket >= $2 ORDER BY bucket",
        [symbols[0], from],
      );
    const viaRaw = () =>
      pool.query(
        `SELECT date_bin('1 hour', time, '2000-01-03 00:00+00') AS bucket, (array_agg(open ORDER BY time))[1] AS open,
                max(high) AS high, min(low) AS low, (array_agg(close ORDER BY time DESC))[1] AS close, sum(volume)::bigint AS volume
           FROM market_candles WHERE symbol = $1 AND time >= $2 GROUP BY 1 ORDER BY 1`,
        [symbols[0], from],
      );
    const [a, b] = [await viaView(), await viaRaw()];
    if (JSON.stringify(a.rows) !== JSON.stringify(b.rows) || a.rows.length === 0) {
      throw new Error("the 1h rollup and the raw aggregation disagree");
    }
    const viewMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < 21; i++) {
      viewMs.push(await timed(viaView));
      rawMs.push(await timed(viaRaw));
    }

    const plainRate = rate("plain COPY (text)");
    const binaryRate = rate("COPY (binary, no checks)");
    console.log("");
    console.log(`bench:ingest — ${rows.length.toLocaleString("en")} one-minute bars, ${symbolCount} symbols, ${engine}, median of ${rounds} rounds`);
    console.log(`  plain COPY (text)          ${plainRate.toFixed(0).padStart(9)} rows/s   baseline`);
    console.log(`  ingestCandles              ${ingestRate.toFixed(0).padStart(9)} rows/s   ${(ingestRate / plainRate).toFixed(2)} × plain COPY`);
    console.log(
      `  COPY (binary, no checks)   ${binaryRate.toFixed(0).padStart(9)} rows/s   ingest = ${(ingestRate / binaryRate).toFixed(2)} × this (validation, checks, partitions)`,
    );
    console.log(`  full 1h rebuild            ${fullRefreshMs.toFixed(0).padStart(9)} ms`);
    console.log(
      `  refresh after 1 new minute × ${liveSymbols.length} symbols, live (the current hour): median ${median(liveRefreshMs).toFixed(1)} ms, max ${Math.max(...liveRefreshMs).toFixed(1)} ms ` +
        `(the append itself: median ${median(liveAppendMs).toFixed(1)} ms; ${(median(refreshMs) / median(liveRefreshMs)).toFixed(1)}× less than a late minute's) — target under 10 ms: ${median(liveRefreshMs) < 10 ? "met" : "NOT met"}`,
    );
    console.log(
      `  refresh after 1 late minute × ${symbols.length} symbols (into a materialised hour: re-aggregated with its day): median ${median(refreshMs).toFixed(1)} ms, max ${Math.max(...refreshMs).toFixed(1)} ms ` +
        `(the append itself: median ${median(appendMs).toFixed(1)} ms)`,
    );
    console.log(
      `  30 days of 1h bars, one symbol (${a.rows.length} bars): rollup ${median(viewMs).toFixed(2)} ms vs raw ${median(rawMs).toFixed(2)} ms ` +
        `(${(median(rawMs) / median(viewMs)).toFixed(1)}× faster)`,
    );
  });
}

async function main(): Promise<number> {
  let db: ResolvedDatabase | undefined;
  try {
    db = await resolveDatabaseUrl({ log });
    await run(db.url);
    return 0;
  } catch (error) {
    console.error(`[bench:ingest] ${(error as Error).stack ?? error}`);
    return 1;
  } finally {
    await db?.stop();
  }
}

process.exitCode = await main();
