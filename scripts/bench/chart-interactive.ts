/**
 * `npm run bench:chart [-- --base http://localhost:3000 --runs 9 --symbol HPG]`
 *
 * How soon the chart page shows candles in Chromium (/usr/bin/chromium, headless): for each
 * resolution (1m, 1D), `--runs` full navigations to /charts/<symbol>?r=<res> after one warm-up, each
 * in a fresh page of one signed-in context (the demo account). Timed from navigation start
 * (performance.timeOrigin) to two marks of components/charts/CandleChart.tsx:
 * - `qf:first-candles`: the first candles on screen, the server-rendered SVG's (its inline script marks
 *   the frame it is painted in) or the live chart's, whichever comes first;
 * - `qf:chart-drawn`: the live chart (lightweight-charts) drawn after hydration, on the frame after
 *   its first setData;
 * next to two baselines of the same navigation: first contentful paint and DOMContentLoaded. Prints
 * the medians (and min/max), each also as a ratio to the FCP of the same runs. Target (issue 14):
 * first candles within 500 ms. Also prints the chart page's First Load JS (from the build's
 * .next/diagnostics/route-bundle-stats.json, uncompressed and gzipped), when the build is local.
 *
 * It measures a server that is already running (`npm start`), with the demo data seeded.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const BASE = arg("base", process.env.BENCH_BASE_URL ?? "http://localhost:3000").replace(/\/$/, "");
const RUNS = Number(arg("runs", "9"));
const SYMBOL = arg("symbol", "HPG");
const EMAIL = process.env.BENCH_EMAIL ?? "demo@quantflow.local";
const PASSWORD = process.env.BENCH_PASSWORD ?? "quantflow-demo";
const TARGET_MS = 500;
const BUILD_DIR = arg("next", ".next");

interface Sample {
  firstCandles: number;
  chartDrawn: number;
  fcp: number;
  dcl: number;
}

/** The First Load JS of the chart pages, as `next build` recorded it (null without a local build). */
function bundleSizes(): string[] {
  const stats = path.join(BUILD_DIR, "diagnostics", "route-bundle-stats.json");
  if (!existsSync(stats)) return [`no ${stats}: build locally to see the chart page's JS size`];
  const routes = JSON.parse(readFileSync(stats, "utf8")) as { route: string; firstLoadUncompressedJsBytes: number; firstLoadChunkPaths: string[] }[];
  const root = path.dirname(path.resolve(BUILD_DIR));
  return ["/charts/[symbol]", "/charts"].flatMap((name) => {
    const r = routes.find((x) => x.route === name);
    if (!r) return [];
    const gz = r.firstLoadChunkPaths.reduce((sum, p) => sum + gzipSync(readFileSync(path.join(root, p))).length, 0);
    return [`${name}: First Load JS ${(r.firstLoadUncompressedJsBytes / 1024).toFixed(1)} kB (${(gz / 1024).toFixed(1)} kB gzipped, ${r.firstLoadChunkPaths.length} chunks)`];
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (ms: number) => `${Math.round(ms).toLocaleString("en-US")} ms`;

async function measure(page: Page, url: string): Promise<Sample> {
  await page.goto(url, { waitUntil: "commit" });
  await page.locator('[data-testid="chart"][data-drawn="true"]').waitFor({ timeout: 30_000 });
  return page.evaluate(() => {
    const mark = performance.getEntriesByName("qf:first-candles")[0];
    const drawn = performance.getEntriesByName("qf:chart-drawn")[0];
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    return { firstCandles: mark?.startTime ?? NaN, chartDrawn: drawn?.startTime ?? NaN, fcp: fcp?.startTime ?? NaN, dcl: nav?.domContentLoadedEventEnd ?? NaN };
  });
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, timezoneId: "Asia/Ho_Chi_Minh", locale: "en-GB" });
    const login = await context.newPage();
    await login.goto(`${BASE}/login?callbackUrl=%2Fcharts`);
    await login.getByLabel("Email").fill(EMAIL);
    await login.getByLabel("Password").fill(PASSWORD);
    await login.getByRole("button", { name: "Sign in" }).click();
    await login.waitForURL(/\/charts$/, { timeout: 60_000 });
    await login.close();

    console.log(`[bench:chart] ${BASE}, ${SYMBOL}, ${RUNS} runs per resolution after one warm-up, Chromium headless`);
    for (const line of bundleSizes()) console.log(`[bench:chart] ${line}`);
    let worst = 0;
    for (const resolution of ["1m", "1D"] as const) {
      const url = `${BASE}/charts/${SYMBOL}?r=${resolution}`;
      const samples: Sample[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const page = await context.newPage();
        const s = await measure(page, url);
        await page.close();
        if (i > 0) samples.push(s); // the first run warms the server and the browser's caches
      }
      const pick = (k: keyof Sample) => samples.map((s) => s[k]);
      const fc = pick("firstCandles");
      const cd = pick("chartDrawn");
      const fcp = median(pick("fcp"));
      worst = Math.max(worst, median(fc));
      const ratio = (ms: number) => `${(ms / fcp).toFixed(2)}× FCP`;
      console.log(
        `[bench:chart] ${resolution.padEnd(3)} first candles: median ${fmt(median(fc))} (${ratio(median(fc))}; min ${fmt(Math.min(...fc))}, max ${fmt(Math.max(...fc))})` +
          ` | live chart drawn: median ${fmt(median(cd))} (${ratio(median(cd))})` +
          ` | baseline: first contentful paint ${fmt(fcp)}, DOMContentLoaded ${fmt(median(pick("dcl")))}`,
      );
    }
    console.log(`[bench:chart] target: first candles within ${fmt(TARGET_MS)} of navigation — ${worst <= TARGET_MS ? "met" : "NOT met"} (worst median ${fmt(worst)})`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(`[bench:chart] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
