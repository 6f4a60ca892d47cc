import { expect, test } from "@playwright/test";
import { signUp } from "../support/auth";

const node = (id: string, type: string, x: number, y: number, params: Record<string, unknown> = {}) => ({ id, type, position: { x, y }, data: { params } });
const edge = (source: string, sourceHandle: string | null, target: string, targetHandle: string | null) => ({ id: `${source}-${target}`, source, sourceHandle, target, targetHandle });

/** Hourly bars → volatility (its factor named); daily bars → rank (at one bar time) and a signal list (dates). */
const graph = {
  schemaVersion: 1,
  nodes: [
    node("t", "trigger.manual", 0, 0),
    node("hourly", "data.candles", 300, 0, { symbols: ["HPG"], resolution: "1h", lookback: 100 }),
    node("vol", "indicator.volatility", 600, 0, { window: 20 }),
    node("daily", "data.candles", 300, 220, { symbols: ["HPG", "VCB", "VNINDEX"], resolution: "1D", lookback: 30 }),
    node("rank", "logic.rank", 600, 220, { n: 3 }),
    node("up", "logic.threshold", 600, 420, { operator: ">", level: 0 }),
    node("signals", "output.signals", 900, 420, { reason: "close above 0", latestOnly: true }),
  ],
  edges: [
    edge("t", null, "hourly", "trigger"),
    edge("t", null, "daily", "trigger"),
    edge("hourly", "close", "vol", null),
    edge("daily", "close", "rank", null),
    edge("daily", "close", "up", null),
    edge("up", null, "signals", null),
  ],
};

test("a run's page shows Vietnam times, the volatility factor used and the bar time a ranking compared at", async ({ page }) => {
  test.setTimeout(90_000);
  await signUp(page, "wf-times");
  await page.goto("/workflows");
  await page.getByLabel("Import a workflow (JSON)").setInputFiles({ name: "Times.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ quantflowWorkflow: 1, name: "Times", graph })) });
  await expect(page.getByTestId("workflows-message")).toHaveText('Imported "Times".');
  await page.getByRole("row", { name: /Times/ }).getByRole("link", { name: "Runs" }).click();
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("run-facts")).toContainText("success", { timeout: 30_000 });

  const vol = page.getByTestId("run-node-vol");
  await vol.locator("summary").click();
  await expect(vol).toContainText("Annualised by");
  await expect(vol).toContainText("√1260 (5 bars a trading day on HOSE × 252 trading days)");
  // Hourly bars keep their hour, in GMT+7.
  await expect(vol.getByRole("table").last()).toContainText(/\d{2}\/\d{2}\/\d{4} (09|10|11|13|14):00 GMT\+7/);

  const rank = page.getByTestId("run-node-rank");
  await rank.locator("summary").click();
  await expect(rank).toContainText("Bar time");
  await expect(rank).toContainText("Left out (no bar then)");
  // A daily bar is its date, no time of day.
  await expect(rank.getByRole("table").last()).toContainText(/\d{2}\/\d{2}\/\d{4}(?! \d)/);

  const signals = page.getByTestId("run-node-signals");
  await signals.locator("summary").click();
  await page.screenshot({ path: test.info().outputPath("run-page-times.png"), fullPage: true });
  await expect(signals.getByRole("table").last()).not.toContainText("GMT+7");
});
