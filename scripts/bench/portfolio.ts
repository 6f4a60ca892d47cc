/**
 * `npm run bench:portfolio [-- --days 756 --runs 5]`
 *
 * The optimiser (lib/analytics/portfolio) on a seeded synthetic market of 50, 100 and 200 symbols
 * over 3 years of daily bars (756 trading days): minimum volatility, maximum Sharpe and HRP, each the
 * whole `optimise` call (returns, estimators, the covariance check, the solve). Then the lot sizing
 * for 50 and 200 symbols (HRP's weights, last closes on the HOSE tick grid) at 1 and 20 billion VND.
 * Each figure is the median of `runs` runs after one warm-up, as wall time and as this process's CPU
 * time (user + system: on a shared machine the wall time also counts the waits for a core); growth is
 * the ratio of wall times to the 50-symbol run of the same process. Target: each under 1 s at 200 symbols.
 */
import { roundToTick } from "../../lib/market/rules";
import { optimise, type OptimisationMethod } from "../../lib/analytics/portfolio/optimise";
import { sizeOrders } from "../../lib/analytics/portfolio/lots";
import { syntheticHistory } from "../../lib/analytics/portfolio/test-fixtures";
import { numberOption } from "./options";

const DAYS = numberOption("days", 756);
const RUNS = numberOption("runs", 5);
const SIZES = [50, 100, 200];
const TARGET_MS = 1000;

const log = (line: string) => console.log(`[bench:portfolio] ${line}`);

interface Timing {
  wall: number;
  cpu: number;
}

const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function median(run: () => unknown): Promise<Timing> {
  await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    await run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: middle(wall), cpu: middle(cpu) };
}

function row(label: string, n: number, t: Timing, baseline: Timing): string {
  const verdict = n === 200 ? (t.wall < TARGET_MS ? "  (under 1 s)" : "  (OVER 1 s)") : "";
  return `${label.padEnd(22)} ${String(n).padStart(4)} symbols  ${t.wall.toFixed(1).padStart(8)} ms (cpu ${t.cpu.toFixed(1).padStart(7)} ms)  ×${(t.wall / baseline.wall).toFixed(2)} vs 50${verdict}`;
}

async function main() {
  log(`synthetic market, ${DAYS} daily bars, median of ${RUNS} runs`);
  const histories = new Map(SIZES.map((n) => [n, syntheticHistory(n, DAYS, 42)]));
  const methods: OptimisationMethod[] = ["min_volatility", "max_sharpe", "hrp"];
  for (const method of methods) {
    let baseline: Timing = { wall: 0, cpu: 0 };
    for (const n of SIZES) {
      const history = histories.get(n)!;
      const timing = await median(() => optimise(history, { method, riskFreeRate: 0.03 }));
      if (n === SIZES[0]) baseline = timing;
      log(row(method, n, timing, baseline));
    }
  }
  for (const capital of ["1000000000", "20000000000"]) {
    let baseline: Timing = { wall: 0, cpu: 0 };
    for (const n of [50, 200]) {
      const history = histories.get(n)!;
      const allocation = optimise(history, { method: "hrp" });
      const prices = Object.fromEntries(history.symbols.map((s, i) => [s, roundToTick("HOSE", history.closes[i]!.at(-1)!)]));
      let optimal = true;
      const timing = await median(async () => {
        optimal = (await sizeOrders({ capitalVnd: capital, weights: allocation.weights, prices })).optimal;
      });
      if (n === 50) baseline = timing;
      log(`${row(`lots ${Number(capital) / 1e9} bn VND`, n, timing, baseline)}${optimal ? "" : "  (time limit: not proven optimal)"}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
