import { expect, test } from "@playwright/test";
import { addDays, sessionMinutes, tradingDaysBetween, vnDateOf, weekday } from "../../lib/market/calendar";
import { formatDayMonthYear, formatExact, formatLongDate } from "../../components/charts/format";
import { signIn } from "../support/auth";

// "Load history from DNSE" end to end: the app's DNSE_BASE_URL is the stand-in Playwright starts
// (test/dnse-stand-in.ts), which answers DNSE's chart history with made-up bars for any symbol.
// PLX has the last 60 trading days of 1-minute demo bars (lib/demo/market.ts, ≈ 12 weeks), which its 1h
// chart shows whole (5 bars a day, one page of 500). Two weeks (Monday to the next Friday) that
// begin 16 weeks before this one are older than those and still inside that page: they come from
// DNSE here, in two of its week-long 1-minute chunks. DNSE serves about 90 days of minutes; the stand-in
// and the app are told of 200 here (playwright.config.ts E2E_MINUTE_HISTORY_DAYS) so that such a range exists.
const today = vnDateOf(new Date());
const monday = addDays(addDays(today, -((weekday(today) + 6) % 7)), -16 * 7);
const friday = addDays(monday, 11);
const days = tradingDaysBetween(monday, friday);
const MINUTE_BARS = days.reduce((n, day) => n + sessionMinutes("HOSE", day).length, 0);
const FIRST_BAR = `${days[0]}T09:00:00+07:00`;

test("history loaded from DNSE shows progress, ends done, and appears on the chart", async ({ page }) => {
  await signIn(page);
  await page.goto("/charts/PLX?r=1h");
  const chart = page.getByTestId("chart");
  await expect(chart).toHaveAttribute("data-drawn", "true", { timeout: 15_000 });
  const countBefore = Number(await chart.getAttribute("data-bars-count"));
  const firstBefore = (await chart.getAttribute("data-first-time")) ?? "";

  await page.getByRole("button", { name: "Load history from DNSE" }).click();
  const panel = page.getByRole("complementary", { name: "Load history from DNSE" });
  // Before starting, the panel says how far back DNSE serves the minutes 1h bars are built from.
  await expect(panel.getByTestId("backfill-depth")).toHaveText(
    `DNSE serves 1-minute bars, which 1h bars are built from, for about the last 90 days: start on ${formatDayMonthYear(addDays(today, -90))} or later. For older history, load 1D.`,
  );
  // Dates are typed day/month/year and read back with the month named: never month/day.
  await panel.getByLabel("From", { exact: true }).fill("28/02/2026x");
  await expect(panel.getByTestId("backfill-range")).toContainText("day/month/year");
  await expect(panel.getByRole("button", { name: "Start loading" })).toBeDisabled();
  await panel.getByLabel("From", { exact: true }).fill(formatDayMonthYear(friday));
  await panel.getByLabel("To", { exact: true }).fill(formatDayMonthYear(monday));
  await expect(panel.getByTestId("backfill-range")).toHaveText("From is after To: swap them.");
  await panel.getByLabel("From", { exact: true }).fill(formatDayMonthYear(monday));
  await panel.getByLabel("To", { exact: true }).fill(formatDayMonthYear(friday));
  await expect(panel.getByTestId("backfill-range")).toHaveText(`${formatLongDate(monday)} → ${formatLongDate(friday)}`);
  expect(formatLongDate(monday)).toMatch(/^Mon /);

  // The stand-in's made-up prices follow neither the demo's close before the range nor its official
  // daily bars of those days (which give each next day's reference): its bars would leave HOSE's ±7 % and
  // be refused (lib/market/bar-bounds.ts), as history adjusted for a corporate action would. Reviewed
  // overrides for the range's days let them through.
  for (const day of days) {
    const override = await page.request.post("/api/market/bar-overrides", {
      headers: { origin: new URL(page.url()).origin },
      data: { symbol: "PLX", tradeDate: day, reason: "e2e: the DNSE stand-in's prices are made up" },
    });
    expect(override.status()).toBe(200);
  }
  await panel.getByRole("button", { name: "Start loading" }).click();
  const progress = panel.getByTestId("backfill-progress");
  // HOSE's 226 one-minute bars a trading day (09:15–11:29, 13:00–14:29 and the 14:45 closing auction).
  await expect(progress).toContainText("Done: 2 of 2 chunks", { timeout: 30_000 });
  await expect(progress.locator("progress")).toHaveAttribute("value", "2");
  const n = formatExact(MINUTE_BARS);
  await expect(progress).toContainText(`${n} bars fetched, ${n} stored. The chart has been reloaded.`);
  await expect(panel.getByRole("button", { name: "Load again" })).toBeEnabled();

  // The chart was reloaded and now starts with the first hour loaded (GMT+7).
  await expect(chart).toHaveAttribute("data-first-time", FIRST_BAR);
  const countAfter = Number(await chart.getAttribute("data-bars-count"));
  if (Date.parse(firstBefore) > Date.parse(FIRST_BAR)) {
    // A first run on this database: the two weeks were not there before (5 hourly bars a day).
    expect(countAfter - countBefore).toBe(5 * days.length);
  } else {
    expect(countAfter).toBe(countBefore);
  }
  // Every 1-minute bar of the range is stored, stamped in GMT+7.
  const bars = await page.request.get(`/api/candles?symbol=PLX&resolution=1m&from=${monday}&to=${addDays(friday, 1)}&limit=5000`);
  expect(bars.ok()).toBe(true);
  const body = (await bars.json()) as { candles: { time: string }[] };
  expect(body.candles).toHaveLength(MINUTE_BARS);
  expect(body.candles[0]?.time).toBe(`${days[0]}T09:15:00+07:00`);
  expect(body.candles.at(-1)?.time).toBe(`${days.at(-1)}T14:45:00+07:00`);
});
