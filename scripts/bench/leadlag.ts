/**
 * `npm run bench:leadlag`: the whole chain's lead-lag recomputed in one go, against a naive baseline, in the
 * same process. No database: 30 synthetic daily series over 5 years (a few factors, planted leads, a few
 * percent of days missing on some of them, as commodities and halted stocks have) and 50 edges between them.
 *
 * - fast: analyseLeadLagBatch (lib/analytics/leadlag.ts): each series checked, windowed and logged once; per
 *   edge a merge of the two date lists, prefix sums for the means, then per lag one O(n) pass over Float64Arrays.
 * - naive: per edge, read both series again, align them through a Map of dates, log returns in plain arrays,
 *   then per lag slice the overlap and compute one Pearson correlation with plain array code.
 *
 * Both must agree (every lag to 1e-9, the same leads). Prints the median of --runs runs (default 15) for each and
 * the ratio. Target: the whole chain (50 edges × 5 years, K = 20) under 300 ms.
 *
 * With DATABASE_URL set, a second part on the database: the demo data and the demo chain seeded into a
 * scratch database of its own (5 years of daily bars, the last --intraday-days as 1-minute bars), then the
 * whole chain recomputed as the nightly job and POST /api/value-chain/analysis do it (lib/valuechain/recompute.ts:
 * one set-based read of every symbol's daily closes, the batch analysis, every result stored in one
 * transaction) against the naive way (per edge: read both series with a query each, one correlation per lag
 * with plain arrays, store the edge in a transaction of its own). --db-runs runs each (default 5).
 */
import { analyseLeadLagBatch, DEFAULT_MAX_LAG, type DailyClose, type LeadLagOptions, windowStart } from "../../lib/analytics/leadlag";
import { closesFrom, laggedReturns, noiseReturns, normalDraws, tradingDays, uniformDraws, withGaps } from "../../test/synthetic-daily-series";
import { drizzle } from "drizzle-orm/node-postgres";
import type { Database } from "../../db/database";
import * as schema from "../../db/schema";
import { bonferroniZ } from "../../lib/analytics/leadlag";
import { seedDemoData } from "../../lib/demo/seed";
import { addDays, vnMidnightUtc } from "../../lib/market/calendar";
import { storeAnalysis } from "../../lib/valuechain/analyses";
import { recomputeChain } from "../../lib/valuechain/recompute";
import { numberOption } from "./options";
import { withScratchDatabase } from "./scratch-database";

const log = (line: string) => console.log(`[bench:leadlag] ${line}`);
const RUNS = numberOption("runs", 15);
const SERIES = 30;
const EDGES = 50;
const K = DEFAULT_MAX_LAG;
const ASOF = "2025-06-30";
const OPTIONS: LeadLagOptions = { windowYears: 5, asOf: ASOF, maxLag: K };

function chain(): { series: Map<string, DailyClose[]>; edges: { id: number; source: string; target: string }[] } {
  const days = tradingDays("2020-01-02", ASOF);
  const draw = normalDraws(7);
  const uniform = uniformDraws(8);
  const factors = [0, 1, 2].map(() => noiseReturns(days.length, 0.015, draw));
  const series = new Map<string, DailyClose[]>();
  for (let i = 0; i < SERIES; i++) {
    const factor = factors[i % factors.length] as number[];
    const lead = Math.floor(uniform() * 6);
    const returns = laggedReturns(factor, lead, 0.4 + uniform() * 0.6, 0.012, draw);
    const closes = closesFrom(days, returns, 5_000 + Math.floor(uniform() * 100_000));
    series.set(`S${String(i).padStart(2, "0")}`, i % 4 === 0 ? withGaps(closes, 0.03, 100 + i) : closes);
  }
  const keys = [...series.keys()];
  const edges: { id: number; source: string; target: string }[] = [];
  const seen = new Set<string>();
  while (edges.length < EDGES) {
    const source = keys[Math.floor(uniform() * keys.length)] as string;
    const target = keys[Math.floor(uniform() * keys.length)] as string;
    if (source === target || seen.has(`${source}>${target}`)) continue;
    seen.add(`${source}>${target}`);
    edges.push({ id: edges.length + 1, source, target });
  }
  return { series, edges };
}

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((x[i] as number) - mx) * ((y[i] as number) - my);
    sxx += ((x[i] as number) - mx) ** 2;
    syy += ((y[i] as number) - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** One edge the naive way: align through a Map of dates, plain arrays, one correlation per lag. */
function naiveEdge(source: readonly DailyClose[], target: readonly DailyClose[], from: string, asOf: string) {
  const s = source.filter((p) => p.date >= from && p.date <= asOf);
  const byDate = new Map(target.map((p) => [p.date, p.close]));
  const common = s.filter((p) => byDate.has(p.date));
  const sc = common.map((p) => p.close);
  const tc = common.map((p) => byDate.get(p.date) as number);
  const x = sc.slice(1).map((c, i) => Math.log(c / (sc[i] as number)));
  const y = tc.slice(1).map((c, i) => Math.log(c / (tc[i] as number)));
  const n = x.length;
  const rhos: number[] = [];
  for (let k = -K; k <= K; k++) {
    rhos.push(k >= 0 ? pearson(x.slice(0, n - k), y.slice(k)) : pearson(x.slice(-k), y.slice(0, n + k)));
  }
  let best = K;
  for (let d = 1; d <= K; d++) {
    for (const i of [K + d, K - d]) if (Math.abs(rhos[i] as number) > Math.abs(rhos[best] as number) + 1e-12) best = i;
  }
  return { rhos, lead: best - K, n };
}

/** The baseline: every edge on its own, reading both series again. */
function naive(series: Map<string, DailyClose[]>, edges: { source: string; target: string }[]) {
  const from = windowStart(ASOF, 5);
  return edges.map(({ source, target }) => naiveEdge(series.get(source) ?? [], series.get(target) ?? [], from, ASOF));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time<T>(run: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const { series, edges } = chain();
const bars = [...series.values()].reduce((a, s) => a + s.length, 0);
log(`${series.size} series, ${bars} daily closes, ${edges.length} edges, 5-year window as of ${ASOF}, K = ${K}, ${RUNS} runs each`);

const fastRuns: number[] = [];
const naiveRuns: number[] = [];
let fast = analyseLeadLagBatch(series, edges, OPTIONS);
let slow = naive(series, edges);
for (let r = 0; r < RUNS; r++) {
  const f = time(() => analyseLeadLagBatch(series, edges, OPTIONS));
  const s = time(() => naive(series, edges));
  fastRuns.push(f.ms);
  naiveRuns.push(s.ms);
  fast = f.value;
  slow = s.value;
}

let worst = 0;
let significant = 0;
fast.forEach((outcome, i) => {
  if (!outcome.ok) throw new Error(`edge ${outcome.edge.id}: ${outcome.error.message}`);
  const base = slow[i] as { rhos: number[]; lead: number };
  outcome.result.lags.forEach((l, j) => (worst = Math.max(worst, Math.abs(l.rho - (base.rhos[j] as number)))));
  if (outcome.result.leadTimeDays !== base.lead) throw new Error(`edge ${outcome.edge.id}: lead ${outcome.result.leadTimeDays} vs naive ${base.lead}`);
  if (outcome.result.significant) significant++;
});
if (worst > 1e-9) throw new Error(`fast and naive disagree by ${worst}`);

const f = median(fastRuns);
const s = median(naiveRuns);
log(`agreement: every lag of every edge within ${worst.toExponential(1)}, same leads; ${significant}/${edges.length} edges significant`);
log(`fast batch (analyseLeadLagBatch): median ${f.toFixed(2)} ms for the whole chain (min ${Math.min(...fastRuns).toFixed(2)} ms)`);
log(`naive (per edge, per lag, plain arrays): median ${s.toFixed(2)} ms (min ${Math.min(...naiveRuns).toFixed(2)} ms)`);
log(`ratio naive / fast: ${(s / f).toFixed(1)}×; target under 300 ms: ${f < 300 ? "met" : "MISSED"}`);

// ---------------------------------------------------------------- on the database: read + compute + store

async function databaseBench(serverUrl: string) {
  const runs = numberOption("db-runs", 5);
  const intradayDays = numberOption("intraday-days", 20);
  await withScratchDatabase(serverUrl, { label: "leadlag", log, pool: { max: 4 } }, async ({ pool }) => {
    const t0 = performance.now();
    const seeded = await seedDemoData(pool, { intradayDays, demoUser: false });
    log(
      `seeded the demo data in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${seeded.symbols} symbols, daily bars ${seeded.firstDay} → ${seeded.lastDay}, ` +
        `1-minute bars for the last ${intradayDays} days; the demo chain (${seeded.chain.nodes} nodes, ${seeded.chain.edges} edges)`,
    );
    const db = drizzle(pool, { schema }) as unknown as Database;
    const asOf = seeded.lastDay;
    const request = { windowYears: 5 as const, maxLag: K, asOf };
    const from = windowStart(asOf, 5);
    const { rows: edgeRows } = await pool.query<{ id: string; source: string; target: string }>(
      `SELECT e.id, s.symbol AS source, t.symbol AS target FROM value_chain_edges e
         JOIN value_chain_nodes s ON s.id = e.source_id JOIN value_chain_nodes t ON t.id = e.target_id
        WHERE s.symbol IS NOT NULL AND t.symbol IS NOT NULL ORDER BY e.created_at, e.id`,
    );
    const readSeries = async (symbol: string): Promise<DailyClose[]> => {
      const { rows } = await pool.query<{ day: string; close: number }>(
        `SELECT to_char(bucket AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS day, close
           FROM market_candles_1d_range($1, $2, $3, 10000) ORDER BY bucket`,
        [symbol, vnMidnightUtc(from), vnMidnightUtc(addDays(asOf, 1))],
      );
      return rows.map((r) => ({ date: r.day, close: Number(r.close) }));
    };
    const z = bonferroniZ(K);
    const plainZ = 1.959963984540054;
    /** Per edge: two reads, the naive correlations, a store of its own. */
    const naiveChain = async () => {
      const out: { rhos: number[]; lead: number }[] = [];
      for (const e of edgeRows) {
        const r = naiveEdge(await readSeries(e.source), await readSeries(e.target), from, asOf);
        const rho = r.rhos[r.lead + K] as number;
        const m = r.n - Math.abs(r.lead);
        const significant = Math.abs(rho) > z / Math.sqrt(m);
        await storeAnalysis(db, e.id, {
          windowYears: 5,
          asOf,
          maxLag: K,
          n: r.n,
          leadTimeDays: r.lead,
          correlation: rho,
          significant,
          band: z / Math.sqrt(r.n),
          plainBand: plainZ / Math.sqrt(r.n),
          weight: significant ? Math.abs(rho) : 0,
          lags: r.rhos.map((v, i) => ({ k: i - K, rho: v })),
        });
        out.push(r);
      }
      return out;
    };

    const fastMs: number[] = [];
    const naiveMs: number[] = [];
    const parts = { readMs: [] as number[], computeMs: [] as number[], storeMs: [] as number[] };
    let fastOut = await recomputeChain(db, request); // warm-up
    let naiveOut = await naiveChain();
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      fastOut = await recomputeChain(db, request);
      fastMs.push(performance.now() - t);
      parts.readMs.push(fastOut.timings.readMs);
      parts.computeMs.push(fastOut.timings.computeMs);
      parts.storeMs.push(fastOut.timings.storeMs);
      t = performance.now();
      naiveOut = await naiveChain();
      naiveMs.push(performance.now() - t);
    }
    const ok = fastOut.edges.filter((e) => e.ok);
    if (ok.length !== edgeRows.length) throw new Error(`${edgeRows.length - ok.length} listed edges could not be analysed`);
    let worstDb = 0;
    edgeRows.forEach((e, i) => {
      const o = fastOut.edges.find((x) => x.edgeId === e.id);
      if (!o?.ok) throw new Error(`edge ${e.source}→${e.target} missing`);
      const base = naiveOut[i]!;
      o.result.lags.forEach((l, j) => (worstDb = Math.max(worstDb, Math.abs(l.rho - (base.rhos[j] as number)))));
      if (o.result.leadTimeDays !== base.lead) throw new Error(`${e.source}→${e.target}: lead ${o.result.leadTimeDays} vs naive ${base.lead}`);
    });
    if (worstDb > 1e-9) throw new Error(`on the database, fast and naive disagree by ${worstDb}`);
    const fm = median(fastMs);
    const nm = median(naiveMs);
    log(`database: ${ok.length} analysable edges of the demo chain (${fastOut.edges.length} in all), 5-year window as of ${asOf}, K = ${K}, ${runs} runs each; agreement within ${worstDb.toExponential(1)}`);
    log(
      `recomputeChain (one read, batch, one transaction): median ${fm.toFixed(1)} ms (read ${median(parts.readMs).toFixed(1)}, compute ${median(parts.computeMs).toFixed(1)}, store ${median(parts.storeMs).toFixed(1)})`,
    );
    log(`naive (per edge: two reads, per-lag correlations, own transaction): median ${nm.toFixed(1)} ms`);
    log(`ratio naive / recomputeChain: ${(nm / fm).toFixed(1)}×; target under 300 ms: ${fm < 300 ? "met" : "MISSED"}`);
  });
}

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) await databaseBench(databaseUrl);
else log("DATABASE_URL is not set: the database part (read + compute + store on the demo chain) is skipped");
