/**
 * `npm run bench:valuechain-page [-- --base http://localhost:3000 --runs 7 --nodes 200 --edges 400]`
 *
 * How soon the value-chain page draws a large chain in Chromium (/usr/bin/chromium, headless), by
 * bench:chart's method: full navigations to /value-chain in fresh pages of one signed-in context (the
 * demo account), one warm-up then `--runs`, timed from navigation start (performance.timeOrigin) to the
 * `qf:value-chain-drawn` mark the page sets once every node of the layout is in the DOM with its size
 * (components/value-chain/ValueChainView.tsx); the count of drawn nodes and links is checked too.
 *
 * Three chains in the same run: the demo chain as the server answers it; the same JSON served by the
 * browser's route interception (the baseline); and a generated chain of `--nodes` nodes and `--edges`
 * links (a third of them with a 41-lag analysis) served the same way, so the ratio compares drawing
 * alone. Target (issue 10): 200 nodes and 400 links drawn within 1 s of navigation.
 *
 * It measures a server that is already running (`npm start`), with the demo data seeded.
 */
import { chromium, type BrowserContext } from "@playwright/test";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const BASE = arg("base", process.env.BENCH_BASE_URL ?? "http://localhost:3000").replace(/\/$/, "");
const RUNS = Number(arg("runs", "7"));
const NODES = Number(arg("nodes", "200"));
const EDGES = Number(arg("edges", "400"));
const EMAIL = process.env.BENCH_EMAIL ?? "demo@quantflow.local";
const PASSWORD = process.env.BENCH_PASSWORD ?? "quantflow-demo";
const TARGET_MS = 1000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (ms: number) => `${Math.round(ms).toLocaleString("en-US")} ms`;

/** A deterministic chain: lanes 20/40/40 %, eight sectors, links mostly to the next lane, no duplicates. */
export function syntheticChain(nodeCount: number, edgeCount: number) {
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const lanes = ["Upstream", "Midstream", "Downstream"] as const;
  const sectors = ["Steel", "Construction", "Energy", "Retail", "Real estate", "Banks", "Commodities", "Chemicals"];
  const hex = (i: number) => i.toString(16).padStart(12, "0");
  const nodes = Array.from({ length: nodeCount }, (_, i) => {
    const lane = i < nodeCount * 0.2 ? 0 : i < nodeCount * 0.6 ? 1 : 2;
    const change = Math.round((rand() - 0.5) * 1400) / 100;
    return {
      id: `00000000-0000-4000-8000-${hex(i + 1)}`,
      symbol: i % 4 === 3 ? null : `S${String(i).padStart(3, "0")}`,
      name: `Company ${i} ${sectors[i % sectors.length]}`,
      sector: sectors[i % sectors.length]!,
      nodeType: lanes[lane]!,
      description: null,
      createdAt: "2026-01-02T09:00:00+07:00",
      market: i % 4 === 3 ? null : { close: 25_000, previousClose: 25_000, changePct: change, asOf: "2026-01-02T14:45:00+07:00" },
    };
  });
  const byLane = lanes.map((l) => nodes.filter((n) => n.nodeType === l));
  const seen = new Set<string>();
  const edges: Record<string, unknown>[] = [];
  while (edges.length < edgeCount) {
    const from = rand() < 0.45 ? 0 : 1;
    const to = rand() < 0.9 ? from + 1 : from;
    const s = byLane[from]![Math.floor(rand() * byLane[from]!.length)]!;
    const t = byLane[to]![Math.floor(rand() * byLane[to]!.length)]!;
    if (s.id === t.id || seen.has(`${s.id}>${t.id}`)) continue;
    seen.add(`${s.id}>${t.id}`);
    const i = edges.length;
    const analysed = i % 3 === 0;
    const rho = Math.round((rand() * 1.2 - 0.4) * 100) / 100;
    const lead = Math.floor(rand() * 11) - 3;
    edges.push({
      id: `10000000-0000-4000-8000-${hex(i + 1)}`,
      sourceId: s.id,
      targetId: t.id,
      relationship: "supplies",
      correlationCoeff: analysed ? rho : null,
      leadTimeDays: analysed ? lead : null,
      weight: analysed ? Math.abs(rho) : null,
      createdAt: "2026-01-02T09:00:00+07:00",
      updatedAt: "2026-01-02T09:00:00+07:00",
      latestAnalysis: analysed
        ? {
            id: i + 1, computedAt: "2026-01-02T18:00:00+07:00", computedBy: null, windowYears: 3, asOf: "2026-01-02", maxLag: 20, n: 740,
            leadTimeDays: lead, correlation: rho, significant: Math.abs(rho) > 0.12, band: 0.119, plainBand: 0.072, weight: Math.abs(rho),
            lags: Array.from({ length: 41 }, (_, k) => ({ k: k - 20, rho: k - 20 === lead ? rho : Math.round((rand() - 0.5) * 10) / 100 })),
          }
        : null,
    });
  }
  return { nodes, edges };
}

interface Sample {
  drawn: number;
  /** When the chain's JSON had arrived (the resource's responseEnd): what follows is the page's own work. */
  data: number;
}

async function measure(context: BrowserContext, body: string | null, expectNodes: number, expectEdges: number): Promise<Sample> {
  const page = await context.newPage();
  if (body !== null) await page.route("**/api/value-chain", (route) => route.fulfill({ status: 200, contentType: "application/json", body }));
  await page.goto(`${BASE}/value-chain`, { waitUntil: "commit" });
  await page.locator('[data-testid="chain-canvas"][data-drawn="true"]').waitFor({ timeout: 60_000 });
  const got = await page.evaluate(() => ({
    at: performance.getEntriesByName("qf:value-chain-drawn")[0]?.startTime ?? NaN,
    data: (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).find((r) => r.name.endsWith("/api/value-chain"))?.responseEnd ?? NaN,
    nodes: document.querySelectorAll(".react-flow__node-chain").length,
    edges: document.querySelectorAll(".react-flow__edge-chain").length,
  }));
  await page.close();
  if (got.nodes !== expectNodes || got.edges !== expectEdges) throw new Error(`drawn ${got.nodes} nodes and ${got.edges} links, expected ${expectNodes} and ${expectEdges}`);
  return { drawn: got.at, data: got.data };
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: "Asia/Ho_Chi_Minh", locale: "en-GB" });
    const login = await context.newPage();
    await login.goto(`${BASE}/login?callbackUrl=%2Fvalue-chain`);
    await login.getByLabel("Email").fill(EMAIL);
    await login.getByLabel("Password").fill(PASSWORD);
    await login.getByRole("button", { name: "Sign in" }).click();
    await login.waitForURL(/\/value-chain$/, { timeout: 60_000 });
    const demo = (await (await login.request.get(`${BASE}/api/value-chain`)).json()) as { nodes: unknown[]; edges: unknown[] };
    await login.close();
    const big = syntheticChain(NODES, EDGES);

    console.log(`[bench:valuechain-page] ${BASE}, ${RUNS} runs per chain after one warm-up, Chromium headless, 1440×900`);
    const cases = [
      { label: `demo chain, from the server (${demo.nodes.length} nodes, ${demo.edges.length} links)`, body: null, n: demo.nodes.length, e: demo.edges.length },
      { label: `demo chain, served by the browser (${demo.nodes.length} nodes, ${demo.edges.length} links)`, body: JSON.stringify(demo), n: demo.nodes.length, e: demo.edges.length },
      { label: `generated chain (${NODES} nodes, ${EDGES} links)`, body: JSON.stringify(big), n: NODES, e: EDGES },
    ];
    const medians: number[] = [];
    for (const c of cases) {
      const runs: Sample[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const t = await measure(context, c.body, c.n, c.e);
        if (i > 0) runs.push(t); // the first run warms the server and the browser's caches
      }
      const samples = runs.map((r) => r.drawn);
      medians.push(median(samples));
      console.log(
        `[bench:valuechain-page] ${c.label}: drawn at median ${fmt(median(samples))} (min ${fmt(Math.min(...samples))}, max ${fmt(Math.max(...samples))})` +
          ` | data in the browser at ${fmt(median(runs.map((r) => r.data)))}, layout and drawing after it ${fmt(median(runs.map((r) => r.drawn - r.data)))}`,
      );
    }
    const [, baseline, large] = medians as [number, number, number];
    console.log(`[bench:valuechain-page] ${NODES} nodes / ${EDGES} links vs the demo chain, both served by the browser: ${(large / baseline).toFixed(2)}× the time for ${(NODES / demo.nodes.length).toFixed(1)}× the nodes and ${(EDGES / demo.edges.length).toFixed(1)}× the links`);
    console.log(`[bench:valuechain-page] target: ${NODES} nodes and ${EDGES} links drawn within ${fmt(TARGET_MS)} of navigation — ${large <= TARGET_MS ? "met" : "NOT met"} (median ${fmt(large)})`);
  } finally {
    await browser.close();
  }
}

// Run only as the script (syntheticChain is also imported to time the layout alone).
if (process.argv[1]?.endsWith("value-chain-page.ts")) {
  main().catch((error: unknown) => {
    console.error(`[bench:valuechain-page] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
