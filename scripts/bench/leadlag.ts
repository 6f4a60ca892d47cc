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
 */
import { analyseLeadLagBatch, DEFAULT_MAX_LAG, type DailyClose, type LeadLagOptions, windowStart } from "../../lib/analytics/leadlag";
import { closesFrom, laggedReturns, noiseReturns, normalDraws, tradingDays, uniformDraws, withGaps } from "../../test/synthetic-daily-series";
import { numberOption } from "./options";

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

/** The baseline: every edge on its own, plain arrays, one correlation per lag. */
function naive(series: Map<string, DailyClose[]>, edges: { source: string; target: string }[]) {
  const from = windowStart(ASOF, 5);
  return edges.map(({ source, target }) => {
    const s = (series.get(source) ?? []).filter((p) => p.date >= from && p.date <= ASOF);
    const byDate = new Map((series.get(target) ?? []).map((p) => [p.date, p.close]));
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
    return { rhos, lead: best - K };
  });
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
