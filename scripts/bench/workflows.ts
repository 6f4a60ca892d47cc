/**
 * `npm run bench:workflows`: the workflow engine over the app's data path, in a scratch database of its own
 * (created, loaded, dropped; `--keep` leaves it).
 *
 *  1. loads 100 symbols × 1 year of daily bars and 20 symbols × 60 trading days of 1-minute bars
 *     (deterministic random walks, through the ingest path, then the aggregates);
 *  2. runs a 12-node workflow (trigger → candles → SMA 20/50, EMA 12, RSI 14 → cross, compare, threshold →
 *     AND/OR → signal list) through lib/workflows/run.ts's services (ctx.candles = queryCandles) and reports
 *     the p50 run time and the share spent in the database (ctx.candles) vs in the nodes.
 *     Daily case: 100 symbols, lookback 250. Minute case: 20 symbols at 1m, lookback 5,000 (the Candles
 *     node's limit, MAX_CANDLE_LIMIT: about 21 of the 60 loaded days).
 *
 * Target: under 1 s p50 for the daily case. Options: --runs 15.
 */
import pg from "pg";
import { SESSION_OPTIONS } from "../../db/client";
import { parseEnv } from "../../lib/env";
import { addDays, previousTradingDay, sessionMinutes, tradingDaysBetween, vnDateOf, vnMidnightUtc } from "../../lib/market/calendar";
import { MAX_CANDLE_LIMIT } from "../../lib/market/candles";
import { ingestCandles, ingestDailyBars, refreshAggregates } from "../../lib/market/ingest";
import type { CandleRow } from "../../lib/market/types";
import { runWorkflow } from "../../lib/workflows/engine";
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "../../lib/workflows/graph";
import { defaultRegistry } from "../../lib/workflows/registry";
import { databaseServices, type RunTimings } from "../../lib/workflows/run";
import { numberOption } from "./options";
import { withScratchDatabase } from "./scratch-database";

const log = (line: string) => console.log(`[bench:workflows] ${line}`);
const RUNS = numberOption("runs", 15);
const DAILY_SYMBOLS = 100;
const MINUTE_SYMBOLS = 20;
const MINUTE_DAYS = 60;

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function walk(symbol: string, seed: number, times: Date[], start: number, vol: number): CandleRow[] {
  const r = rng(seed);
  let price = start;
  return times.map((time) => {
    const open = price;
    price = Math.max(100, Math.round(price * (1 + (r() - 0.5) * vol) / 10) * 10);
    const close = price;
    return { time, symbol, open, high: Math.max(open, close) + 10, low: Math.min(open, close) - 10, close, volume: Math.round(1000 + r() * 100_000) };
  });
}

function graph(symbols: string[], resolution: "1D" | "1m", lookback: number): WorkflowGraph {
  const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, position: { x: 0, y: 0 }, data: { label: id, params } });
  const e = (source: string, sourceHandle: string | null, target: string, targetHandle: string | null) => ({ id: `${source}-${target}-${targetHandle ?? ""}`, source, sourceHandle, target, targetHandle });
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      n("trigger", "trigger.manual"),
      n("candles", "data.candles", { symbols, resolution, lookback }),
      n("sma20", "indicator.sma", { period: 20 }),
      n("sma50", "indicator.sma", { period: 50 }),
      n("ema12", "indicator.ema", { period: 12 }),
      n("rsi", "indicator.rsi", { period: 14 }),
      n("cross", "logic.cross", { direction: "above" }),
      n("aboveEma", "logic.compare", { operator: ">" }),
      n("oversold", "logic.threshold", { operator: "<", level: 30 }),
      n("and", "logic.and"),
      n("or", "logic.or"),
      n("signals", "output.signals", { reason: "trend or oversold", latestOnly: false }),
    ],
    edges: [
      e("trigger", null, "candles", "trigger"),
      e("candles", "close", "sma20", null),
      e("candles", "close", "sma50", null),
      e("candles", "close", "ema12", null),
      e("candles", "close", "rsi", null),
      e("sma20", null, "cross", "a"),
      e("sma50", null, "cross", "b"),
      e("candles", "close", "aboveEma", "a"),
      e("ema12", null, "aboveEma", "b"),
      e("rsi", null, "oversold", null),
      e("cross", null, "and", "a"),
      e("aboveEma", null, "and", "b"),
      e("and", null, "or", "a"),
      e("oversold", null, "or", "b"),
      e("or", null, "signals", null),
    ],
  };
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(label: string, pool: pg.Pool, g: WorkflowGraph) {
  const totals: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const timings: RunTimings = { dataMs: 0 };
    const t0 = performance.now();
    const result = await runWorkflow(g, defaultRegistry, databaseServices(pool, { kind: "manual", at: new Date().toISOString() }, timings));
    const total = performance.now() - t0;
    if (result.status !== "success") throw new Error(`${label}: the run failed: ${result.errorMessage}`);
    if (i < 2) continue; // warm-up
    totals.push(total);
    data.push(timings.dataMs);
  }
  const total = p50(totals);
  const db = p50(data);
  log(`${label}: p50 ${total.toFixed(0)} ms over ${RUNS} runs; database (ctx.candles) ${db.toFixed(0)} ms (${((db / total) * 100).toFixed(0)}%), nodes ${(total - db).toFixed(0)} ms (${(((total - db) / total) * 100).toFixed(0)}%)`);
  return total;
}

async function run(serverUrl: string) {
  return withScratchDatabase(serverUrl, { label: "workflows", log, pool: { max: 6, options: SESSION_OPTIONS } }, async ({ pool }) => {

    const last = previousTradingDay(addDays(vnDateOf(new Date()), 1));
    const days = tradingDaysBetween(addDays(last, -365), last);
    const daily = Array.from({ length: DAILY_SYMBOLS }, (_, i) => `BD${String(i).padStart(3, "0")}`);
    const minute = Array.from({ length: MINUTE_SYMBOLS }, (_, i) => `BM${String(i).padStart(3, "0")}`);
    await pool.query(
      "INSERT INTO market_symbols (symbol, name, kind, exchange, sector) SELECT s, s, 'stock', 'HOSE', 'Bench' FROM unnest($1::text[]) s",
      [[...daily, ...minute]],
    );
    let t0 = performance.now();
    const eod = daily.flatMap((s, i) => walk(s, i + 1, days.map(vnMidnightUtc), 20_000 + i * 100, 0.04));
    await ingestDailyBars(pool, eod);
    log(`loaded ${eod.length.toLocaleString("en-US")} daily bars (${DAILY_SYMBOLS} symbols × ${days.length} days) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    t0 = performance.now();
    const minuteDays = days.slice(-MINUTE_DAYS);
    const minutes = minuteDays.flatMap((d) => sessionMinutes("HOSE", d));
    let minuteRows = 0;
    for (const [i, s] of minute.entries()) {
      const rows = walk(s, 1000 + i, minutes, 30_000 + i * 100, 0.002);
      await ingestCandles(pool, rows);
      minuteRows += rows.length;
    }
    await refreshAggregates(pool);
    log(`loaded ${minuteRows.toLocaleString("en-US")} 1-minute bars (${MINUTE_SYMBOLS} symbols × ${MINUTE_DAYS} days) and refreshed the aggregates in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const dailyP50 = await measure(`daily: ${DAILY_SYMBOLS} symbols × 250 bars, 12 nodes`, pool, graph(daily, "1D", 250));
    await measure(`1-minute: ${MINUTE_SYMBOLS} symbols × ${MAX_CANDLE_LIMIT} bars, 12 nodes`, pool, graph(minute, "1m", MAX_CANDLE_LIMIT));
    log(`target (daily under 1 s): ${dailyP50 < 1000 ? "met" : "NOT met"}`);
  });
}

const started = performance.now();
const env = parseEnv();
run(env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres")
  .then(() => {
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
