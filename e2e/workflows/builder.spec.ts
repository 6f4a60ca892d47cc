import { expect, test, type Page } from "@playwright/test";
import { signUp } from "../support/auth";

/** Drags from one node's output handle to another node's input handle, as a person wires them. */
async function wire(page: Page, from: string, fromHandle: string, to: string, toHandle: string) {
  const a = page.getByTestId(`wf-node-${from}`).locator(`.react-flow__handle.source[data-handleid="${fromHandle}"]`);
  const b = page.getByTestId(`wf-node-${to}`).locator(`.react-flow__handle.target[data-handleid="${toHandle}"]`);
  const ab = (await a.boundingBox())!;
  const bb = (await b.boundingBox())!;
  await page.mouse.move(ab.x + ab.width / 2, ab.y + ab.height / 2);
  await page.mouse.down();
  await page.mouse.move(bb.x + bb.width / 2, bb.y + bb.height / 2, { steps: 8 });
  await page.mouse.up();
}

test("build a workflow from the palette, see a wrong connection refused, save, run and watch node states", async ({ page }) => {
  test.setTimeout(90_000);
  await signUp(page, "wf-builder");
  await page.goto("/workflows");
  await page.getByLabel("New workflow name").fill("Builder e2e");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);

  const canvas = page.getByTestId("workflow-canvas");
  const drop = (type: string, x: number, y: number) => page.getByTestId(`palette-${type}`).dragTo(canvas, { targetPosition: { x, y } });
  await drop("trigger.manual", 110, 60);
  await drop("data.candles", 110, 200);
  await drop("indicator.rsi", 330, 360);
  await drop("logic.threshold", 110, 480);
  await drop("output.signals", 360, 560);
  await expect(page.getByTestId("dirty-indicator")).toBeVisible();
  await page.getByRole("button", { name: "Fit View" }).click();

  // Problems show on the nodes before running.
  await expect(page.getByTestId("wf-node-rsi-1")).toHaveAttribute("data-invalid", "true");

  await wire(page, "manual-1", "trigger", "candles-1", "trigger");
  await wire(page, "candles-1", "close", "rsi-1", "series");
  await wire(page, "rsi-1", "series", "signals-1", "condition");
  await expect(page.getByTestId("builder-status")).toContainText("Connection refused");
  await expect(page.getByTestId("builder-status")).toContainText("a series of numbers is not a true/false condition");
  await wire(page, "rsi-1", "series", "threshold-1", "series");
  await wire(page, "threshold-1", "condition", "signals-1", "condition");
  await expect(page.getByTestId("wf-node-rsi-1")).not.toHaveAttribute("data-invalid", "true");

  await page.getByTestId("wf-node-candles-1").click();
  const settings = page.getByRole("complementary", { name: "Node settings" });
  await settings.getByLabel("Symbols").fill("ACB, GAS");
  await page.getByTestId("wf-node-threshold-1").click();
  await expect(settings.getByLabel("Level")).toHaveValue("30");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toHaveText("Saved.");
  await expect(page.getByTestId("dirty-indicator")).toHaveCount(0);

  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toContainText(/Run (succeeded|failed)/, { timeout: 30_000 });
  for (const id of ["manual-1", "candles-1", "rsi-1", "threshold-1", "signals-1"]) {
    await expect(page.getByTestId(`wf-node-${id}`)).toHaveAttribute("data-status", /success|failed|skipped/);
  }
  await expect(page.getByTestId("wf-node-manual-1")).toHaveAttribute("data-status", "success");
  await expect(page.getByRole("link", { name: "Open this run" })).toBeVisible();

  // Undo takes the last change back (the graph differs from the saved one again); redo restores it.
  await canvas.click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("dirty-indicator")).toBeVisible();
  await page.keyboard.press("Control+Shift+z");
  await expect(page.getByTestId("dirty-indicator")).toHaveCount(0);
});

test("a schedule trigger lists its next five run times in GMT+7", async ({ page }) => {
  await signUp(page, "wf-schedule");
  await page.goto("/workflows");
  await page.getByLabel("New workflow name").fill("Schedule e2e");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  // The palette's search: type to filter, Enter adds the first match at the centre.
  await page.getByLabel("Search nodes").fill("schedule");
  await page.getByLabel("Search nodes").press("Enter");
  await expect(page.getByTestId("wf-node-schedule-1")).toBeVisible();
  const settings = page.getByRole("complementary", { name: "Node settings" });
  await expect(settings.getByTestId("next-runs").locator("li")).toHaveCount(5);
  await expect(settings.getByTestId("next-runs").locator("li").first()).toHaveText(/^\d{2}\/\d{2}\/\d{4} 15:30$/);
  await settings.getByLabel(/^Cron/).fill("* * * * * *");
  await expect(settings.getByText(/^cron: 6 fields: a seconds field would run more often than every minute/)).toBeVisible();
  await expect(settings.getByText("None until the cron expression above is fixed.")).toBeVisible();
  await expect(page.getByTestId("wf-node-schedule-1")).toHaveAttribute("data-invalid", "true");
});

test("the refused empty run: no trigger or no output disables Run with what to add, and the run route refuses it, storing nothing", async ({ page }) => {
  await signUp(page, "wf-empty");
  await page.goto("/workflows");
  await page.getByLabel("New workflow name").fill("Empty e2e");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  const workflowId = new URL(page.url()).pathname.split("/").at(-1)!;

  const run = page.getByRole("button", { name: "Run", exact: true });
  const readiness = page.getByTestId("run-readiness");
  await expect(run).toBeDisabled();
  await expect(readiness.locator("li")).toHaveText([/^Add a trigger \(Manual trigger or Schedule\)/, /^Add an output \(Signal list, Alert, Allocate or Save finding\)/]);
  await expect(page.getByTestId("builder-status")).toContainText("Not ready to run. Add a trigger");

  // The route says the same and stores nothing, whatever the page shows.
  const refused = await page.request.post(`/api/workflows/${workflowId}/runs`, { headers: { origin: new URL(page.url()).origin } });
  expect(refused.status()).toBe(400);
  const body = (await refused.json()) as { error: string; missing: string[] };
  expect(body.error).toMatch(/^Not ready to run\. Add a trigger .* Add an output /);
  expect(body.missing).toHaveLength(2);
  await page.goto(`/workflows/${workflowId}/runs`);
  await expect(page.getByText(/^No runs yet\./)).toBeVisible();
  await expect(page.getByRole("button", { name: "Run now" })).toBeDisabled();
  await page.goto(`/workflows/${workflowId}`);

  // A trigger alone is not enough; a trigger and an output are.
  await page.getByLabel("Search nodes").fill("manual trigger");
  await page.getByLabel("Search nodes").press("Enter");
  await page.getByTestId("workflow-canvas").click({ position: { x: 5, y: 5 } });
  await expect(readiness.locator("li")).toHaveText([/^Add an output/]);
  await expect(run).toBeDisabled();
  await page.getByLabel("Search nodes").fill("signal list");
  await page.getByLabel("Search nodes").press("Enter");
  await page.getByTestId("workflow-canvas").click({ position: { x: 5, y: 5 } });
  await expect(readiness).toHaveCount(0);
  await expect(run).toBeEnabled();
});
