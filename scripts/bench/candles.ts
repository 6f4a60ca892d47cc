/**
 * `npm run bench:candles [-- --symbols 100 --days 250 --requests 60 --seconds 3]`
 *
 * On a scratch database of DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres),
 * dropped at the end:
 *  1. the demo data (lib/demo/) plus 1 year (250 trading days) of 1-minute HOSE bars for 100 symbols
 *     (≈5.65M rows, deterministic, through ingestCandles) and 4 more years of their end-of-day bars;
 *     the load is timed, and stopped early (said so in the output) if it would pass ~6 minutes;
 *  2. p50/p95 of the candle API's lib function (queryCandles) for 1m over one day, 1h over one year
 *     and 1D over five years, each next to the same window aggregated from the raw 1-minute bars
 *     (the baseline), with the ratio;
 *  3. requests/s of the market snapshot: from Redis (when REDIS_URL is set), from the in-process cache,
 *     and computed from the database every time (no cache).
 * All figures come from this process, one after the other; the HTTP route is not measured (it adds
 * Next's routing and JSON, the same for every case).
 */
import { SESSION_OPTIONS } from "../../db/client";
import { seedDemoData } from "../../lib/demo/seed";
import { MemoryCache, RedisCache, type Cache } from "../../lib/cache";
import { parseEnv } from "../../lib/env";
import { addDays, previousTradingDay, sessionMinutes, tradingDaysBetween, vnMidnightUtc } from "../../lib/market/calendar";
import { queryCandles, rawAggregateCandles, type CandleResolution } from "../../lib/market/candles";
import { ingestCandles, ingestDailyBars, refreshAggregates } from "../../lib/market/ingest";
import { computeSnapshot, getSnapshot } from "../../lib/market/snapshot";
import type { CandleRow } from "../../lib/market/types";
import { numberOption, runBench } from "./options";
import { withScratchDatabase } from "./scratch-database";

const log = (line: string) => console.log(`[bench:candles] ${line}`);


const SYMBOLS = numberOption("symbols", 100);
const DAYS = numberOption("days", 250);
const REQUESTS = numberOption("requests", 60);
const SECONDS = numberOption("seconds", 3);
const LOAD_BUDGET_S = 360;
const BATCH_SYMBOLS = 2;

const fmt = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => `${n.toFixed(1)} ms`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A deterministic random walk on the 50 VND grid, one bar per session minute. */
function minuteBars(symbol: string, seed: number, minutes: Date[], startPrice: number): { rows: CandleRow[]; last: number } {
  let s = seed;
  const random = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  let price = startPrice;
  const rows: CandleRow[] = new Array(minutes.length);
  for (let i = 0; i < minutes.length; i++) {
    const open = price;
    const close = Math.max(1_000, open + Math.round((random() - 0.5) * 4) * 50);
    price = close;
    rows[i] = {
      time: minutes[i]!,
      symbol,
      open,
      high: Math.max(open, close) + Math.round(random() * 2) * 50,
      low: Math.max(50, Math.min(open, close) - Math.round(random() * 2) * 50),
      close,
      volume: 100 * Math.round(1 + random() * 300),
    };
  }
  return { rows, last: price };
}

async function timeIt<T>(work: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

async function latency(label: string, api: () => Promise<unknown>, raw: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) {
    await api();
    await raw();
  }
  const a: number[] = [];
  const b: number[] = [];
  // Interleaved, so both see the same cache state and background noise.
  for (let i = 0; i < REQUESTS; i++) {
    a.push(await timeIt(api));
    b.push(await timeIt(raw));
  }
  a.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  const [ap50, ap95, bp50, bp95] = [percentile(a, 50), percentile(a, 95), percentile(b, 50), percentile(b, 95)];
  log(
    `${label.padEnd(22)} API p50 ${ms(ap50).padStart(9)} p95 ${ms(ap95).padStart(9)} | raw aggregation p50 ${ms(bp50).padStart(9)} p95 ${ms(bp95).padStart(9)} | ${(bp50 / ap50).toFixed(1)}× faster at p50`,
  );
}

async function throughput(label: string, work: () => Promise<unknown>, concurrency = 4): Promise<number> {
  for (let i = 0; i < 5; i++) await work();
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await work();
        done++;
      }
    }),
  );
  const rate = done / SECONDS;
  log(`${label.padEnd(34)} ${fmt(Math.round(rate)).padStart(7)} requests/s (${concurrency} at a time)`);
  return rate;
}

/** Keys of the bench apart from the app's, on a Redis an app may share. */
class PrefixedCache implements Cache {
  constructor(
    private readonly inner: Cache,
    private readonly prefix: string,
  ) {}
  get kind() {
    return this.inner.kind;
  }
  get(key: string) {
    return this.inner.get(this.prefix + key);
  }
  set(key: string, value: string, ttl: number) {
    return this.inner.set(this.prefix + key, value, ttl);
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

async function run(serverUrl: string, redisUrl: string | undefined) {
  // The app's session settings (db/client.ts), so the figures are the app's.
  return withScratchDatabase(serverUrl, { label: "candles", log, pool: { max: 6, options: SESSION_OPTIONS } }, async ({ pool, name }) => {

    const seeded = await seedDemoData(pool, { demoUser: false });
    log(`demo data: ${seeded.symbols} symbols, ${fmt(seeded.minuteBars)} 1-minute and ${fmt(seeded.eodBars)} end-of-day bars in ${seeded.seconds.total.toFixed(1)} s`);

    // ------------------------------------------------------------------ 1 year of 1-minute bars
    const lastDay = seeded.lastDay;
    const allDays = tradingDaysBetween(addDays(lastDay, -Math.ceil(DAYS * 1.6) - 30), lastDay);
    const days = allDays.slice(-DAYS);
    const minutes = days.flatMap((d) => sessionMinutes("HOSE", d));
    const symbols = Array.from({ length: SYMBOLS }, (_, i) => `BX${String(i).padStart(3, "0")}`);
    await pool.query(
      `INSERT INTO market_symbols (symbol, name, kind, exchange, sector)
       SELECT s, 'Bench ' || s, 'stock', 'HOSE', 'Bench' FROM unnest($1::text[]) AS s`,
      [symbols],
    );
    // The random walks are not held to HOSE's ±7 % day limits (bar-bounds.ts): reviewed overrides for
    // every bench symbol and day, minute and end-of-day years alike, let them through as they are.
    await pool.query(
      `INSERT INTO market_bar_overrides (symbol, trade_date, reason)
       SELECT s, d::date, 'bench data' FROM unnest($1::text[]) AS s
        CROSS JOIN generate_series($2::date, $3::date, interval '1 day') AS d`,
      [symbols, addDays(days[0]!, -5 * 365 - 30), lastDay],
    );
    log(`loading ${fmt(SYMBOLS * minutes.length)} 1-minute bars: ${SYMBOLS} symbols × ${days.length} trading days (${days[0]} → ${days.at(-1)}) × ${sessionMinutes("HOSE", lastDay).length} minutes`);
    const loadStart = performance.now();
    const startPrices = new Map<string, number>();
    let loaded = 0;
    let loadedSymbols = 0;
    let stoppedEarly = false;
    for (let i = 0; i < symbols.length; i += BATCH_SYMBOLS) {
      const batch: CandleRow[] = [];
      for (const symbol of symbols.slice(i, i + BATCH_SYMBOLS)) {
        const seed = 1_000 + Number(symbol.slice(2));
        const start = 10_000 + (seed % 90) * 500;
        startPrices.set(symbol, start);
        for (const r of minuteBars(symbol, seed, minutes, start).rows) batch.push(r);
      }
      await ingestCandles(pool, batch);
      loaded += batch.length;
      loadedSymbols = Math.min(symbols.length, i + BATCH_SYMBOLS);
      const elapsed = (performance.now() - loadStart) / 1000;
      if (loadedSymbols % 10 === 0) log(`  ${fmt(loaded)} rows, ${elapsed.toFixed(0)} s (${fmt(Math.round(loaded / elapsed))} rows/s)`);
      const projected = (elapsed / loadedSymbols) * symbols.length;
      if (projected > LOAD_BUDGET_S && loadedSymbols >= 10 && loadedSymbols < symbols.length && elapsed > LOAD_BUDGET_S * 0.8) {
        stoppedEarly = true;
        break;
      }
    }
    const loadSeconds = (performance.now() - loadStart) / 1000;
    log(`loaded ${fmt(loaded)} 1-minute rows for ${loadedSymbols} symbols in ${loadSeconds.toFixed(1)} s (${fmt(Math.round(loaded / loadSeconds))} rows/s)`);
    if (stoppedEarly) log(`NOTE: stopped after ${loadedSymbols} of ${SYMBOLS} symbols: the whole load would pass ${LOAD_BUDGET_S} s on this machine.`);

    // Four more years of end-of-day bars before the minute year, so 1D over five years reads both.
    const eodDays = tradingDaysBetween(addDays(days[0]!, -4 * 365), previousTradingDay(days[0]!));
    const loadedList = symbols.slice(0, loadedSymbols);
    const eod: CandleRow[] = [];
    for (const symbol of loadedList) {
      const { rows } = minuteBars(symbol, 7 + Number(symbol.slice(2)), eodDays.map(vnMidnightUtc), startPrices.get(symbol)!);
      for (const r of rows) eod.push({ ...r, volume: r.volume * 200 });
    }
    const eodSeconds = (await timeIt(() => ingestDailyBars(pool, eod))) / 1000;
    log(`end-of-day bars: ${fmt(eod.length)} (${eodDays[0]} → ${eodDays.at(-1)}) in ${eodSeconds.toFixed(1)} s`);

    const refreshSeconds = (await timeIt(() => refreshAggregates(pool))) / 1000;
    // What autovacuum does within a minute of a load this size: statistics, and the visibility map the
    // stored 1D bars' index-only reads need.
    await pool.query("VACUUM (ANALYZE)");
    log(`aggregates refreshed in ${refreshSeconds.toFixed(1)} s; VACUUM (ANALYZE) done`);

    // ------------------------------------------------------------------ candle latency
    log(`candle latency over ${REQUESTS} requests each (symbols cycled over ${loadedSymbols}):`);
    const dayFrom = vnMidnightUtc(lastDay);
    const dayTo = vnMidnightUtc(addDays(lastDay, 1));
    const yearFrom = vnMidnightUtc(days[0]!);
    const fiveYearsFrom = vnMidnightUtc(addDays(lastDay, -5 * 365));
    let n = 0;
    const next = () => loadedList[n++ % loadedList.length]!;
    const pair = (resolution: CandleResolution, from: Date, limit: number) => {
      let symbol = next();
      return {
        api: () => {
          symbol = next();
          return queryCandles(pool, { symbol, resolution, from, to: dayTo, limit });
        },
        raw: () => rawAggregateCandles(pool, { symbol, resolution, from, to: dayTo, limit }),
      };
    };
    const sample = await queryCandles(pool, { symbol: loadedList[0]!, resolution: "1h", from: yearFrom, to: dayTo, limit: 5000 });
    const sample1d = await queryCandles(pool, { symbol: loadedList[0]!, resolution: "1D", from: fiveYearsFrom, to: dayTo, limit: 5000 });
    log(`  (bars per request: 1m one day ${sessionMinutes("HOSE", lastDay).length}, 1h one year ${sample.candles.length}, 1D five years ${sample1d.candles.length}; the raw baseline for 1D aggregates the 1-minute year only)`);
    const m1 = pair("1m", dayFrom, 1000);
    await latency("1m, one day", m1.api, m1.raw);
    const h1 = pair("1h", yearFrom, 5000);
    await latency("1h, one year", h1.api, h1.raw);
    const d1 = pair("1D", fiveYearsFrom, 5000);
    await latency("1D, five years", d1.api, d1.raw);
    const m5 = pair("5m", vnMidnightUtc(addDays(lastDay, -7)), 1000);
    await latency("5m, one week (on the fly)", m5.api, m5.raw);

    // ------------------------------------------------------------------ snapshot throughput
    const snap = await computeSnapshot(pool, "HOSE");
    log(`snapshot (HOSE): VN-Index ${snap.vn_index} (${snap.vn_index_change_pct} %), liquidity ${fmt(snap.market_liquidity ?? 0)} VND, as of ${snap.timestamp}`);
    const prefix = `bench:${name}:`;
    const noCache = await throughput("snapshot, no cache (database)", () => computeSnapshot(pool, "HOSE"));
    const memory = new PrefixedCache(new MemoryCache(), prefix);
    const inMemory = await throughput("snapshot, in-process cache", () => getSnapshot(pool, memory, "HOSE"));
    if (redisUrl) {
      const redis = new PrefixedCache(new RedisCache(redisUrl), prefix);
      const first = await getSnapshot(pool, redis, "HOSE");
      const second = await getSnapshot(pool, redis, "HOSE");
      if (first.source !== "database" || second.source !== "redis") throw new Error(`Redis did not cache the snapshot (${first.source}, ${second.source})`);
      const viaRedis = await throughput("snapshot, Redis", () => getSnapshot(pool, redis, "HOSE"));
      log(`Redis vs no cache: ${(viaRedis / noCache).toFixed(1)}×; in-process vs no cache: ${(inMemory / noCache).toFixed(1)}×`);
      await redis.close();
    } else {
      log("REDIS_URL is not set: the Redis case is skipped.");
      log(`in-process vs no cache: ${(inMemory / noCache).toFixed(1)}×`);
    }
  });
}

const e = parseEnv();
runBench(log, () => run(e.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", e.REDIS_URL));
