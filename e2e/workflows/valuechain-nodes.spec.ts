import { expect, test } from "@playwright/test";
import { signUp } from "../support/auth";

/**
 * "Propagate along the chain" from the builder (issue 10, item 6): the starter template, a signal set in the
 * node's panel, a run, and the expected moves on the run's page. The demo chain is analysed when the demo
 * data is seeded, so iron ore's planted lead of 3 trading days on the steel makers is on its links.
 */
test("a workflow propagating 'iron ore +8 %' along the chain runs from the builder and its moves show on the run page", async ({ page }) => {
  test.setTimeout(90_000);
  await signUp(page, "wf-chain");
  await page.goto("/workflows");
  // A new account's empty list offers the starter templates.
  await page.locator("div", { has: page.getByRole("heading", { name: "Iron ore shock → steel and builders" }) }).last().getByRole("button", { name: "Use this template" }).click();
  await expect(page.getByTestId("workflows-message")).toHaveText('Created "Iron ore shock → steel and builders".');
  await page.getByRole("link", { name: "Iron ore shock → steel and builders", exact: true }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);

  // The palette offers both value-chain nodes.
  await expect(page.getByTestId("palette-valuechain.propagate")).toBeVisible();
  await expect(page.getByTestId("palette-valuechain.links")).toBeVisible();

  // A click before the canvas has settled (fit view) may not select the node: click until it is selected.
  const settings = page.getByRole("complementary", { name: "Node settings" });
  await expect(async () => {
    await page.getByTestId("wf-node-propagate").click();
    await expect(settings.getByLabel("Signals")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await settings.getByLabel("Signals").fill("IRON_ORE +8");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toHaveText("Saved.");

  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toContainText("Run succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("wf-node-propagate")).toHaveAttribute("data-status", "success");
  await page.getByRole("link", { name: "Open this run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);

  const propagate = page.getByTestId("run-node-propagate");
  await propagate.locator("summary").click();
  await expect(propagate).toContainText(/HPG may follow in ~3 trading days \(\+\d+\.\d %, via IRON_ORE → HPG\)/);
  const links = page.getByTestId("run-node-links");
  await links.locator("summary").click();
  await expect(links.getByRole("table").last()).toContainText("downstream");
  await page.screenshot({ path: test.info().outputPath("propagate-run.png"), fullPage: true });
});
