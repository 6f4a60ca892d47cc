/**
 * The portfolio page in Chromium on the demo market: a maximum-Sharpe portfolio of the steel and bank
 * stocks, its metrics and frontier, saved; orders for 1,000,000,000 VND and their CSV; two saved
 * allocations side by side; a refused request names its cause; delete with confirmation.
 */
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { signUp } from "../support/auth";

async function addSector(page: Page, sector: string) {
  await page.getByLabel("Add a sector").selectOption(sector);
  await page.getByRole("button", { name: "Add sector" }).click();
}

async function pickSteelAndBanks(page: Page) {
  await page.goto("/portfolio");
  await expect(page.getByRole("heading", { name: "No allocation yet" })).toBeVisible();
  await addSector(page, "Steel");
  await addSector(page, "Banks");
  await expect(page.getByTestId("universe").getByText("HPG")).toBeVisible();
  await expect(page.getByTestId("universe").getByText("VCB")).toBeVisible();
}

const percent = /^-?\d+\.\d{2} %$/;

test("a maximum-Sharpe portfolio of steel and bank stocks: metrics, frontier, save, orders for 1,000,000,000 VND and their CSV", async ({ page }) => {
  await signUp(page, "pf-max-sharpe");
  await pickSteelAndBanks(page);
  await expect(page.getByLabel("Method")).toHaveValue("max_sharpe");
  await page.getByRole("button", { name: "Generate" }).click();

  const result = page.getByTestId("allocation-result");
  await expect(result.getByRole("heading", { name: "Maximum Sharpe" })).toBeVisible();
  await expect(page.getByTestId("metric-return")).toHaveText(percent);
  await expect(page.getByTestId("metric-volatility")).toHaveText(percent);
  await expect(page.getByTestId("metric-sharpe")).toHaveText(/^-?\d+\.\d{2}$/);
  // The weights add up to 100 % (to the table's rounding).
  const weights = (await page.getByTestId("weights-table").locator("tbody tr td:nth-child(2)").allTextContents()).map((t) => Number.parseFloat(t));
  expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 100)).toBeLessThan(0.05 * weights.length);
  // The frontier: a line, every symbol of the universe as a dot, the portfolio marked.
  const universeSize = await page.getByTestId("universe").locator("li").count() - 1;
  await expect(page.getByTestId("frontier-line")).toBeVisible();
  await expect(page.getByTestId("frontier-asset")).toHaveCount(universeSize);
  await expect(page.getByTestId("frontier-portfolio")).toBeVisible();
  await expect(page.getByTestId("correlation-heatmap")).toBeVisible();

  await page.getByLabel("Name (optional)").fill("Steel and banks, max Sharpe");
  await page.getByRole("button", { name: "Save allocation" }).click();
  await expect(page.getByText("Saved as “Steel and banks, max Sharpe”.")).toBeVisible();
  await expect(page.getByTestId("saved-table").getByRole("rowheader", { name: "Steel and banks, max Sharpe" })).toBeVisible();

  // The method's backtest: three curves, their metrics.
  await page.getByRole("button", { name: "Run backtest" }).click();
  const backtest = page.getByTestId("backtest-table");
  await expect(backtest.getByRole("rowheader", { name: /Maximum Sharpe/ })).toBeVisible({ timeout: 30_000 });
  await expect(backtest.getByRole("rowheader", { name: /Equal weight/ })).toBeVisible();
  await expect(backtest.getByRole("rowheader", { name: /VNINDEX/ })).toBeVisible();
  await expect(page.getByTestId("backtest-chart")).toBeVisible();

  await expect(page.getByLabel("Capital (VND)")).toHaveValue("1,000,000,000");
  await page.getByRole("button", { name: "Size orders" }).click();
  const orders = page.getByTestId("orders-table");
  await expect(orders).toBeVisible();
  await expect(page.getByTestId("orders-totals")).toContainText("1,000,000,000 ₫");
  await expect(page.getByTestId("orders-leftover")).toHaveText(/^[\d,]+ ₫$/);

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).click();
  const file = await (await download).path();
  const bytes = await readFile(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").trim().split("\r\n");
  expect(lines[0]).toBe("Symbol,Exchange,Price (VND),Lots,Shares,Value (VND),Fee (VND),Target weight (%),Realised weight (%)");
  const orderRows = lines.slice(1, lines.indexOf(""));
  expect(orderRows.length).toBeGreaterThan(0);
  let invested = 0n;
  let fees = 0n;
  for (const row of orderRows) {
    const [symbol, exchange, price, lots, shares, value, fee] = row.split(",");
    expect(symbol).toMatch(/^[A-Z0-9]+$/);
    expect(["HOSE", "HNX", "UPCOM"]).toContain(exchange);
    for (const whole of [price, lots, shares, value, fee]) expect(whole).toMatch(/^\d+$/);
    expect(Number(shares)).toBe(Number(lots) * 100);
    expect(BigInt(value as string)).toBe(BigInt(price as string) * BigInt(shares as string));
    invested += BigInt(value as string);
    fees += BigInt(fee as string);
  }
  const total = (label: string) => BigInt(lines.find((l) => l.startsWith(`${label},`))!.split(",")[1]!);
  expect(total("Capital (VND)")).toBe(1_000_000_000n);
  expect(total("Invested (VND)")).toBe(invested);
  expect(total("Fees (VND)")).toBe(fees);
  expect(invested + fees + total("Leftover (VND)")).toBe(1_000_000_000n);
});

test("two saved allocations side by side; a refused request names its cause; delete asks first", async ({ page }) => {
  await signUp(page, "pf-compare");
  await pickSteelAndBanks(page);
  await page.getByRole("button", { name: "Generate" }).click();
  await expect(page.getByTestId("metric-sharpe")).toBeVisible();
  await page.getByLabel("Name (optional)").fill("A: max Sharpe");
  await page.getByRole("button", { name: "Save allocation" }).click();
  await expect(page.getByText("Saved as “A: max Sharpe”.")).toBeVisible();

  await page.getByLabel("Method").selectOption("hrp");
  await page.getByRole("button", { name: "Generate" }).click();
  await expect(page.getByTestId("allocation-result").getByRole("heading", { name: "Hierarchical risk parity" })).toBeVisible();
  await page.getByLabel("Name (optional)").fill("B: HRP");
  await page.getByRole("button", { name: "Save allocation" }).click();
  await expect(page.getByText("Saved as “B: HRP”.")).toBeVisible();

  await page.getByLabel("Pick A: max Sharpe to compare").check();
  await page.getByLabel("Pick B: HRP to compare").check();
  await page.getByRole("button", { name: "Compare the two picked" }).click();
  const compare = page.getByTestId("compare-view");
  await expect(compare.getByRole("columnheader", { name: /A: max Sharpe/ })).toBeVisible();
  await expect(compare.getByRole("columnheader", { name: /B: HRP/ })).toBeVisible();
  await expect(compare.getByRole("row", { name: /Method Maximum Sharpe Hierarchical risk parity/ })).toBeVisible();
  await expect(compare.getByRole("rowheader", { name: "HPG" })).toBeVisible();

  // Open one: its stored percentages and metrics.
  await page.getByRole("button", { name: "Open B: HRP" }).click();
  await expect(page.getByTestId("allocation-result").getByRole("heading", { name: "B: HRP" })).toBeVisible();

  // Limits that cannot add up to 100 %: the cause, in words, next to the form; nothing shown as a result.
  await page.getByLabel("Maximum weight (%)").fill("5");
  await page.getByRole("button", { name: "Generate" }).click();
  await expect(page.getByTestId("generate-error")).toContainText("The weight limits cannot be met.");
  await expect(page.getByTestId("generate-error")).toContainText("at most");

  await page.getByRole("button", { name: "Delete A: max Sharpe" }).click();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await expect(page.getByTestId("saved-table").getByRole("rowheader", { name: "A: max Sharpe" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("saved-table").getByRole("rowheader", { name: "B: HRP" })).toBeVisible();
  await expect(page.getByTestId("saved-table").getByRole("rowheader", { name: "A: max Sharpe" })).toHaveCount(0);
});

test("the portfolio page's inputs have labels and the empty states say what to do", async ({ page }) => {
  await signUp(page, "pf-empty");
  await page.goto("/portfolio");
  await expect(page.getByText("Nothing saved yet.")).toBeVisible();
  for (const label of ["Add a symbol", "Add a sector", "Method", "Lookback (trading days)", "Risk-free rate (%/year)", "Minimum weight (%)", "Maximum weight (%)"]) {
    await expect(page.getByLabel(label, { exact: true })).toBeVisible();
  }
  await page.getByRole("button", { name: "Generate" }).click();
  await expect(page.getByTestId("generate-error")).toContainText("Add at least two symbols");
  // The keyboard: the search field, Enter adds the first match.
  await page.getByLabel("Add a symbol").fill("HPG");
  await expect(page.getByRole("button", { name: /HPG Hoa Phat/ })).toBeVisible();
  await page.getByLabel("Add a symbol").press("Enter");
  await expect(page.getByRole("button", { name: "Remove HPG" })).toBeVisible();
});
