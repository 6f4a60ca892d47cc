import { expect, test, type Page } from "@playwright/test";
import { signUp } from "../support/auth";

// Issue 13, item 1: results where the eye goes (n8n's habit).

/**
 * Selects a node by keyboard (focus, Enter), as React Flow allows: the template's later nodes may lie
 * beyond the canvas's legible fit on a laptop screen, where a click cannot reach them.
 */
async function selectNode(page: Page, id: string) {
  const node = page.locator(".react-flow__node", { has: page.getByTestId(`wf-node-${id}`) });
  const selected = page.locator(".react-flow__node.selected", { has: page.getByTestId(`wf-node-${id}`) });
  // Again until it takes: a key pressed before the canvas has hydrated selects nothing.
  await expect(async () => {
    await node.focus();
    await page.keyboard.press("Enter");
    await expect(selected).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

/** A fresh user's copy of the "RSI oversold steel stocks" template, opened in the builder; its path. */
async function templateInBuilder(page: Page): Promise<string> {
  await page.goto("/workflows");
  await page.locator("div", { has: page.getByRole("heading", { name: "RSI oversold steel stocks" }) }).last().getByRole("button", { name: "Use this template" }).click();
  await page.getByRole("link", { name: "RSI oversold steel stocks", exact: true }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}

test("after a run in the builder: a node's input and output in the side panel; the run page starts with the outcome", async ({ page }) => {
  test.setTimeout(240_000); // two cores shared with other runs: single steps take seconds
  await signUp(page, "wf-results");
  await templateInBuilder(page);

  // RSI < 101 holds for every steel stock, so the run has signals to show.
  const settings = page.getByRole("complementary", { name: "Node settings" });
  await selectNode(page, "oversold");
  await settings.getByLabel("Level").fill("101");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toHaveText("Saved.");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toContainText("Run succeeded", { timeout: 45_000 });

  // The RSI node: its input (the closes from the bars) and its output (RSI), as tables with the first and
  // last rows of each symbol's 120 points, a sparkline each; then as JSON.
  await selectNode(page, "rsi");
  const results = settings.getByTestId("node-results");
  await expect(results).toContainText(/Run of \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(GMT\+7\): succeeded/);
  const input = results.getByTestId("node-result-input");
  await expect(input).toContainText("Series ← Daily bars · Close");
  await expect(input.getByTestId("result-series-HPG")).toContainText("120 points");
  await expect(input.getByTestId("result-series-HPG")).toContainText("… 114 rows …");
  const output = results.getByTestId("node-result-output");
  await expect(output.getByTestId("result-series-HPG")).toContainText("… 114 rows …");
  await expect(output.getByTestId("result-series-HPG").locator("svg polyline")).toHaveCount(1);
  await results.getByRole("tab", { name: "JSON" }).click();
  await expect(results.getByRole("tab", { name: "JSON" })).toHaveAttribute("aria-selected", "true");
  await expect(output.getByTestId("result-json")).toContainText('"HPG"');
  await expect(output.getByTestId("result-json")).toContainText('"truncated": true');
  // Keyboard: the arrow key goes back to the table.
  await results.getByRole("tab", { name: "JSON" }).press("ArrowLeft");
  await expect(results.getByRole("tab", { name: "Table" })).toHaveAttribute("aria-selected", "true");
  await page.screenshot({ path: test.info().outputPath("builder-node-results.png") });

  // The signal list's input is the condition; its output the signals table.
  await selectNode(page, "signals");
  await expect(results.getByTestId("node-result-output")).toContainText("HPG");

  // The run page starts with the outcome: each signal with the RSI that triggered and the Vietnamese date.
  await page.getByRole("link", { name: "Open this run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const outcome = page.getByTestId("run-outcome");
  await expect(page.getByTestId("run-outcome-summary")).toHaveText(/^\d+ signals?: HPG/);
  await expect(page.getByTestId("run-signals").getByRole("listitem").filter({ hasText: /^HPG/ })).toHaveText(/^HPG · RSI 14 \d+(\.\d+)? · \d{2}\/\d{2}\/\d{4} — RSI\(14\) below 30$/);
  // Outcome first: above the facts and the node-by-node detail.
  const outcomeTop = (await outcome.boundingBox())!.y;
  expect(outcomeTop).toBeLessThan((await page.getByTestId("run-facts").boundingBox())!.y);
  expect(outcomeTop).toBeLessThan((await page.getByRole("heading", { name: "Node by node" }).boundingBox())!.y);
  await expect(page.getByTestId("run-mode")).toHaveText("Manual");
  await page.screenshot({ path: test.info().outputPath("run-outcome.png"), fullPage: true });

});

test("the runs list shows mode and outcome and filters by status; the executions page lists every workflow's runs, never another user's", async ({ page, browser }) => {
  test.setTimeout(360_000); // two cores shared with other runs: single steps take seconds
  await signUp(page, "wf-executions");
  const workflowPath = await templateInBuilder(page);
  // RSI < 101 holds for every steel stock, so the run has signals to show.
  await selectNode(page, "oversold");
  await page.getByRole("complementary", { name: "Node settings" }).getByLabel("Level").fill("101");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toHaveText("Saved.");
  await page.goto(`${workflowPath}/runs`);
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("run-facts")).toContainText("success", { timeout: 45_000 });

  // The runs list: mode and outcome in a few words; the status filter by keyboard.
  await page.goto(`${workflowPath}/runs`);
  const row = page.getByTestId("run-row").first();
  await expect(row.getByTestId("run-mode")).toHaveText("Manual");
  await expect(row.getByTestId("run-outcome")).toHaveText(/^\d+ signals?: HPG/);
  await page.getByLabel("Status").focus();
  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Filter" }).press("Enter");
  await expect(page).toHaveURL(/\?status=failed$/);
  await expect(page.getByText("No failed runs.")).toBeVisible();
  await expect(page.getByTestId("run-row")).toHaveCount(0);
  await page.getByLabel("Status").selectOption("success");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/\?status=success$/);
  await expect(page.getByTestId("run-row")).toHaveCount(1);
  // A status that is none is refused in words, and the list shows every run.
  await page.goto(`${workflowPath}/runs?status=bogus`);
  await expect(page.getByRole("alert").filter({ hasText: "not filtered" })).toContainText("status is one of pending, running, success, failed");
  await expect(page.getByTestId("run-row")).toHaveCount(1);

  // The executions page, from the workflows list: every workflow's runs with name, mode, status, outcome.
  await page.goto("/workflows");
  await page.getByRole("main").getByRole("link", { name: "All executions" }).click();
  await expect(page).toHaveURL(/\/workflows\/executions$/);
  await expect(page.getByRole("heading", { level: 1, name: "Executions" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Executions" })).toHaveAttribute("aria-current", "page");
  const exec = page.getByTestId("run-row").first();
  await expect(exec).toContainText("RSI oversold steel stocks");
  await expect(exec.getByTestId("run-mode")).toHaveText("Manual");
  await expect(exec.getByTestId("run-outcome")).toHaveText(/^\d+ signals?: HPG/);
  await expect(exec).toContainText(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  await page.goto("/workflows/executions?status=failed");
  await expect(page.getByTestId("run-row")).toHaveCount(0);

  // Another user sees none of these runs, and cannot open this one.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, "wf-results-other");
  await otherPage.goto("/workflows/executions");
  await expect(otherPage.getByText("No runs yet.")).toBeVisible();
  await expect(otherPage.getByTestId("run-row")).toHaveCount(0);
  const response = await otherPage.goto(`${workflowPath}/runs`);
  expect(response!.status()).toBe(404);
  await other.close();
});
