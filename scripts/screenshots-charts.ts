/**
 * Screenshots of the chart page and of "Load history from DNSE" (running, then done), in both themes,
 * for people to look at (nothing is asserted). Run against a running server whose DNSE_BASE_URL is
 * the stand-in (`npx tsx test/dnse-stand-in.ts --port 3199`), signed in as the demo analyst:
 *   BASE_URL=http://localhost:3000 npx tsx scripts/screenshots-charts.ts
 * The "running" picture shows a progress answer put in place of the job's (the stand-in answers too
 * fast to catch one); then the real answers flow again and the "done" one is the job's own end.
 * Writes screenshots/<theme>-chart-*.png (git-ignored).
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { addDays, vnDateOf, weekday } from "../lib/market/calendar";
import { formatDayMonthYear } from "../components/charts/format";

const BASE_URL = (process.env.BASE_URL ?? "http://localhost:3000").replace(/\/$/, "");
const OUT = path.resolve(process.env.SCREENSHOTS_DIR ?? "screenshots");

async function drawn(page: Page) {
  await page.locator('[data-testid="chart"][data-drawn="true"]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(300);
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const today = vnDateOf(new Date());
  const monday = addDays(today, -((weekday(today) + 6) % 7));
  // Two weeks before the demo's 1-minute bars, a different pair of weeks (and symbol) per theme.
  const ranges = { dark: { symbol: "TCB", weeksBack: 18 }, light: { symbol: "MBB", weeksBack: 17 } } as const;
  try {
    for (const theme of ["dark", "light"] as const) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, timezoneId: "Asia/Ho_Chi_Minh", locale: "en-GB" });
      await context.addInitScript((t) => localStorage.setItem("quantflow-theme", t), theme);
      const page = await context.newPage();
      await page.goto(`${BASE_URL}/login?callbackUrl=%2Fcharts`);
      await page.getByLabel("Email").fill(process.env.SCREENSHOT_EMAIL ?? "demo@quantflow.local");
      await page.getByLabel("Password").fill(process.env.SCREENSHOT_PASSWORD ?? "quantflow-demo");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/charts$/);

      for (const r of ["1m", "1D"] as const) {
        await page.goto(`${BASE_URL}/charts/HPG?r=${r}`);
        await drawn(page);
        await page.screenshot({ path: path.join(OUT, `${theme}-chart-HPG-${r}.png`) });
      }

      const { symbol, weeksBack } = ranges[theme];
      const from = addDays(monday, -7 * weeksBack);
      await page.goto(`${BASE_URL}/charts/${symbol}?r=1h`);
      await drawn(page);
      await page.getByRole("button", { name: "Load history from DNSE" }).click();
      const panel = page.getByRole("complementary", { name: "Load history from DNSE" });
      await panel.getByLabel("From", { exact: true }).fill(formatDayMonthYear(from));
      await panel.getByLabel("To", { exact: true }).fill(formatDayMonthYear(addDays(from, 11)));
      await page.screenshot({ path: path.join(OUT, `${theme}-chart-backfill-form.png`) });

      await page.route("**/api/market/backfill/*", (route) =>
        route.fulfill({ json: { status: "running", fetched: 1130, stored: 1130, chunksDone: 1, chunksTotal: 2 } }),
      );
      await panel.getByRole("button", { name: "Start loading" }).click();
      await panel.getByText("Loading: 1 of 2 chunks").waitFor();
      await page.screenshot({ path: path.join(OUT, `${theme}-chart-backfill-running.png`) });
      await page.unrouteAll({ behavior: "ignoreErrors" });
      await panel.getByText(/^Done:/).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(OUT, `${theme}-chart-backfill-done.png`) });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`[screenshots] written to ${OUT}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
