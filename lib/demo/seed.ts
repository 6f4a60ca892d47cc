/**
 * Writing the demo data (lib/demo/market.ts generates it) into the database: symbols, end-of-day bars,
 * 1-minute bars through the ingest path, the aggregates, the demo value chain (lib/demo/chain.ts),
 * and the demo analyst with its starter workflows. `npm run db:seed` and the first start on an empty database call seedDemoData.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import type { Database } from "@/db/database";
import * as schema from "@/db/schema";
import type { VnDate } from "@/lib/market/calendar";
import { ingestCandles, ingestDailyBars, refreshAggregates } from "@/lib/market/ingest";
import type { CandleRow } from "@/lib/market/types";
import { recomputeChain } from "@/lib/valuechain/recompute";
import { DEMO_EMAIL, DEMO_PASSWORD, ensureDemoUser, ensureDemoWorkflows } from "./account";
import { ensureDemoChain, type DemoChainSummary } from "./chain";
import {
  countMinuteBars,
  demoEodBars,
  demoMinuteBars,
  demoSymbolRows,
  planDemoData,
  type DemoOptions,
  type MarketSymbolRow,
} from "./market";

export interface SeedOptions extends DemoOptions {
  log?: (line: string) => void;
  /** 1-minute bars per ingest call. */
  batchSize?: number;
  /** Create the demo analyst account (default true). */
  demoUser?: boolean;
}

export interface SeedSummary {
  symbols: number;
  eodBars: number;
  minuteBars: number;
  firstDay: VnDate;
  lastDay: VnDate;
  intradayFrom: VnDate;
  demoUser: "created" | "existed" | "skipped";
  /** The demo value chain: written into an empty chain only. */
  chain: DemoChainSummary;
  /** Links of a newly written demo chain whose lead-lag was computed and stored (the others' ends lack a series). */
  chainAnalysed: number;
  /** Seconds spent generating, writing and refreshing aggregates (generation is interleaved with writing). */
  seconds: { total: number; generate: number; write: number; refresh: number };
}

/** True when there are no candles at all (neither 1-minute nor end-of-day): the cue to seed. */
export async function isDatabaseEmpty(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query(
    `SELECT NOT EXISTS (SELECT 1 FROM market_candles) AND NOT EXISTS (SELECT 1 FROM market_candles_eod) AS empty`,
  );
  return rows[0]?.empty === true;
}

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Generates the demo data and writes it: symbols, end-of-day bars, 1-minute bars (in batches through
 * the ingest path), the aggregates, and the demo account. Idempotent: candles are upserted, symbols
 * updated in place, the account left alone when it exists.
 */
export async function seedDemoData(pool: pg.Pool, options: SeedOptions = {}): Promise<SeedSummary> {
  const { log = () => {}, batchSize = 80_000, demoUser = true, ...demoOptions } = options;
  const started = performance.now();
  let generateMs = 0;
  let writeMs = 0;
  const timed = async <T>(bucket: "generate" | "write", work: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      if (bucket === "generate") generateMs += performance.now() - t0;
      else writeMs += performance.now() - t0;
    }
  };

  const plan = await timed("generate", () => planDemoData(demoOptions));
  const lastDay = plan.days.at(-1)!;
  log(
    `Demo data: ${plan.symbols.length} symbols, daily bars ${plan.days[0]} → ${lastDay} (${fmt(plan.days.length)} trading days), ` +
      `1-minute bars for the last ${plan.intradayDays.length} (from ${plan.intradayDays[0]}).`,
  );

  await timed("write", () => upsertSymbols(pool, demoSymbolRows(plan)));

  let eodBars = 0;
  const eod = await timed("generate", () => plan.symbols.flatMap((s) => demoEodBars(plan, s.symbol)));
  for (let i = 0; i < eod.length; i += batchSize) {
    const part = eod.slice(i, i + batchSize);
    await timed("write", () => ingestDailyBars(pool, part));
    eodBars += part.length;
    log(`End-of-day bars: ${fmt(eodBars)} / ${fmt(eod.length)}`);
  }

  const totalMinutes = countMinuteBars(plan);
  let minuteBars = 0;
  let batch: CandleRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const part = batch;
    batch = [];
    await timed("write", () => ingestCandles(pool, part));
    minuteBars += part.length;
    log(`1-minute bars: ${fmt(minuteBars)} / ${fmt(totalMinutes)}`);
  };
  for (const sym of plan.symbols) {
    const rows = await timed("generate", () => demoMinuteBars(plan, sym.symbol));
    for (const r of rows) batch.push(r);
    if (batch.length >= batchSize) await flush();
  }
  await flush();

  const refreshStarted = performance.now();
  await refreshAggregates(pool);
  const refreshMs = performance.now() - refreshStarted;
  log(`Aggregates refreshed in ${(refreshMs / 1000).toFixed(1)} s.`);

  const chainStarted = performance.now();
  const chain = await ensureDemoChain(pool);
  log(
    chain.outcome === "created"
      ? `Demo value chain: ${chain.nodes} nodes, ${chain.edges} edges (${((performance.now() - chainStarted) / 1000).toFixed(2)} s).`
      : "The value chain already has nodes: left as it is.",
  );

  // A new demo chain is analysed at once, so its links show their correlation and lead before the first
  // nightly recomputation (3 years as lib/valuechain/recompute.ts's default; 1 when the history is shorter).
  let chainAnalysed = 0;
  if (chain.outcome === "created") {
    try {
      const db = drizzle(pool, { schema }) as unknown as Database;
      const done = await recomputeChain(db, { windowYears: plan.days.length >= 3 * 245 ? 3 : 1 }, { userId: null });
      chainAnalysed = done.edges.filter((e) => e.ok).length;
      log(`Demo value chain analysed: ${chainAnalysed} of ${done.edges.length} links (${done.window.windowYears} years as of ${done.window.asOf}).`);
    } catch (error) {
      log(`The demo value chain was not analysed: ${(error as Error).message}`);
    }
  }

  const user = demoUser ? await ensureDemoUser(pool) : "skipped";
  if (user === "created") log(`Demo account created: ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
  if (demoUser) {
    const added = await ensureDemoWorkflows(pool);
    if (added) log(`Starter workflows added for the demo analyst: ${added}.`);
  }

  return {
    symbols: plan.symbols.length,
    eodBars,
    minuteBars,
    firstDay: plan.days[0]!,
    lastDay,
    intradayFrom: plan.intradayDays[0]!,
    demoUser: user,
    chain,
    chainAnalysed,
    seconds: {
      total: (performance.now() - started) / 1000,
      generate: generateMs / 1000,
      write: writeMs / 1000,
      refresh: refreshMs / 1000,
    },
  };
}

async function upsertSymbols(pool: pg.Pool, rows: MarketSymbolRow[]): Promise<void> {
  await pool.query(
    `INSERT INTO market_symbols AS m (symbol, name, kind, exchange, sector)
     SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[])
     ON CONFLICT (symbol) DO UPDATE
        SET name = EXCLUDED.name, kind = EXCLUDED.kind, exchange = EXCLUDED.exchange, sector = EXCLUDED.sector
      WHERE (m.name, m.kind, m.exchange, m.sector) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.exchange, EXCLUDED.sector)`,
    [
      rows.map((r) => r.symbol),
      rows.map((r) => r.name),
      rows.map((r) => r.kind),
      rows.map((r) => r.exchange),
      rows.map((r) => r.sector),
    ],
  );
}
