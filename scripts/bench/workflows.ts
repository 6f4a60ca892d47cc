/**
 * `npm run bench:workflows`: the workflow engine over the app's data path, in a scratch database of its own
 * (created, loaded, dropped; `--keep` leaves it).
 *
 *  1. loads 100 symbols × 1 year of daily bars and 20 symbols × 60 trading days of 1-minute bars
 *     (deterministic random walks, through the ingest path, then the aggregates);
 *  2. runs a 12-node workflow (trigger → candles → SMA 20/50, EMA 12, RSI 14 → cross, compare, threshold →
 *     AND/OR → signal list) through lib/workflows/run.ts's services (ctx.candles = readCandlesMany: the
 *     symbols in a few statements side by side, one per share of them) and, interleaved in the same process, through the baseline (queryCandles
 *     symbol by symbol, four at a time, as before issue 14); reports the p50 run time of each, the share
 *     spent in the database (ctx.candles) vs in the nodes, and the ratio.
 *     Daily case: 100 symbols, lookback 250. Minute cases: 20 symbols at 1m, lookback 5,000 bars, and the
 *     last 60 trading days (all loaded; the baseline stops at MAX_CANDLE_LIMIT, about 21 days).
 *
 * Target (issue 14): under 150 ms p50 for the daily case. Options: --runs 15.
 */
import pg from "pg";
import { SESSION_OPTIONS } from "../../db/client";
import { parseEnv } from "../../lib/env";
import { addDays, previousTradingDay, sessionMinutes, tradingDaysBetween, vnDateOf, vnMidnightUtc } from "../../lib/market/calendar";
import { MAX_CANDLE_LIMIT, queryCandles } from "../../lib/market/candles";
import { ingestCandles, ingestDailyBars, refreshAggregates } from "../../lib/market/ingest";
import type { CandleRow } from "../../lib/market/types";
import { runWorkflow, type RunServices } from "../../lib/workflows/engine";
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "../../lib/workflows/graph";
import { defaultRegistry } from "../../lib/workflows/registry";
import { databaseServices, type RunTimings } from "../../lib/workflows/run";
import { numberOption, runBench } from "./options";
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

function graph(symbols: string[], resolution: "1D" | "1m", lookback: number, lookbackUnit: "bars" | "days" = "bars"): WorkflowGraph {
  const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, position: { x: 0, y: 0 }, data: { label: id, params } });
  const e = (source: string, sourceHandle: string | null, target: string, targetHandle: string | null) => ({ id: `${source}-${target}-${targetHandle ?? ""}`, source, sourceHandle, target, targetHandle });
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      n("trigger", "trigger.manual"),
      n("candles", "data.candles", { symbols, resolution, lookback, lookbackUnit }),
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

/**
 * The baseline, in the same process: ctx.candles as it was before issue 14, queryCandles symbol by
 * symbol, four at a time (each read capped at MAX_CANDLE_LIMIT bars).
 */
function perSymbolServices(pool: pg.Pool, timings: RunTimings): RunServices {
  const services = databaseServices(pool, { kind: "manual", at: new Date().toISOString() }, timings);
  return {
    ...services,
    candles: async (symbols, resolution, lookback) => {
      const t0 = performance.now();
      const limit = typeof lookback === "number" ? lookback : "bars" in lookback ? lookback.bars : MAX_CANDLE_LIMIT;
      const out: Record<string, Awaited<ReturnType<typeof queryCandles>>["candles"]> = {};
      let next = 0;
      const worker = async () => {
        while (next < symbols.length) {
          const symbol = symbols[next++]!;
          out[symbol] = (await queryCandles(pool, { symbol, resolution, limit: Math.min(limit, MAX_CANDLE_LIMIT) })).candles;
        }
      };
      await Promise.all(Array.from({ length: Math.min(4, symbols.length) }, worker));
      timings.dataMs += performance.now() - t0;
      return out;
    },
  };
}

interface Figures {
  total: number;
  db: number;
}

async function measure(label: string, pool: pg.Pool, g: WorkflowGraph): Promise<{ setBased: Figures; perSymbol: Figures }> {
  const runs = { setBased: { totals: [] as number[], data: [] as number[] }, perSymbol: { totals: [] as number[], data: [] as number[] } };
  for (let i = 0; i < RUNS + 2; i++) {
    // Alternating which goes first, so neither always runs on a warmer (or busier) server.
    const order = i % 2 === 0 ? (["setBased", "perSymbol"] as const) : (["perSymbol", "setBased"] as const);
    for (const kind of order) {
      const timings: RunTimings = { dataMs: 0 };
      const services = kind === "setBased" ? databaseServices(pool, { kind: "manual", at: new Date().toISOString() }, timings) : perSymbolServices(pool, timings);
      const t0 = performance.now();
      const result = await runWorkflow(g, defaultRegistry, services);
      const total = performance.now() - t0;
      if (result.status !== "success") throw new Error(`${label}: the run failed: ${result.errorMessage}`);
      if (i < 2) continue; // warm-up
      runs[kind].totals.push(total);
      runs[kind].data.push(timings.dataMs);
    }
  }
  const figures = (kind: "setBased" | "perSymbol"): Figures => ({ total: p50(runs[kind].totals), db: p50(runs[kind].data) });
  const [a, b] = [figures("setBased"), figures("perSymbol")];
  const line = (name: string, f: Figures) =>
    `  ${name}: p50 ${f.total.toFixed(0)} ms; database (ctx.candles) ${f.db.toFixed(0)} ms (${((f.db / f.total) * 100).toFixed(0)}%), nodes ${(f.total - f.db).toFixed(0)} ms (${(((f.total - f.db) / f.total) * 100).toFixed(0)}%)`;
  log(`${label}, ${RUNS} runs each, interleaved:`);
  log(line("set-based read (readCandlesMany)     ", a));
  log(line("per-symbol reads (baseline, 4 at once)", b));
  log(`  ratio: run ${(b.total / a.total).toFixed(1)}× faster, database ${(b.db / a.db).toFixed(1)}× faster at p50`);
  return { setBased: a, perSymbol: b };
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

    const daily250 = await measure(`daily: ${DAILY_SYMBOLS} symbols × 250 bars, 12 nodes`, pool, graph(daily, "1D", 250));
    await measure(`1-minute: ${MINUTE_SYMBOLS} symbols × ${MAX_CANDLE_LIMIT} bars, 12 nodes`, pool, graph(minute, "1m", MAX_CANDLE_LIMIT));
    // Past the chart's page: the 60 loaded days of minutes (the baseline stops at MAX_CANDLE_LIMIT bars).
    const sixty = await measure(`1-minute: ${MINUTE_SYMBOLS} symbols × the last ${MINUTE_DAYS} trading days, 12 nodes`, pool, graph(minute, "1m", MINUTE_DAYS, "days"));
    log(`  (the set-based read returns all ${MINUTE_DAYS} days; the baseline's reads stop at ${MAX_CANDLE_LIMIT.toLocaleString("en-US")} bars a symbol: ${sixty.perSymbol.total.toFixed(0)} ms for about ${Math.round((MAX_CANDLE_LIMIT / (sessionMinutes("HOSE", last).length * MINUTE_DAYS)) * 100)}% of them)`);
    log(`target (daily p50 under 150 ms): ${daily250.setBased.total < 150 ? "met" : "NOT met"} (${daily250.setBased.total.toFixed(0)} ms)`);
  });
}

const env = parseEnv();
runBench(log, () => run(env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"));
