import { expect, test } from "@playwright/test";
import { signUp } from "../support/auth";

test("the workflows list: start from a template, a taken name refused, schedule, run, read the run", async ({ page }) => {
  test.setTimeout(90_000);
  await signUp(page, "wf-list");
  await page.goto("/workflows");
  await expect(page.getByRole("heading", { level: 1, name: "Workflows", exact: true })).toBeVisible();

  // The empty state offers the starter templates.
  await expect(page.getByText("No workflows yet")).toBeVisible();
  await page.locator("div", { has: page.getByRole("heading", { name: "RSI oversold steel stocks" }) }).last().getByRole("button", { name: "Use this template" }).click();
  await expect(page.getByTestId("workflows-message")).toHaveText('Created "RSI oversold steel stocks".');
  await page.getByLabel("Starter template").selectOption({ label: "Golden cross on VN30" });
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("link", { name: "Golden cross on VN30", exact: true })).toBeVisible();

  // A name this user already has is refused, in words.
  await page.getByLabel("New workflow name").fill("Golden cross on VN30");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByTestId("workflows-message")).toHaveText('You already have a workflow named "Golden cross on VN30".');

  // Activating the scheduled template shows its next run in GMT+7.
  const golden = page.getByRole("row", { name: /Golden cross on VN30/ });
  await golden.getByRole("switch", { name: "Active: Golden cross on VN30" }).click();
  await expect(golden).toContainText(/\d{2}\/\d{2}\/\d{4} 15:15 GMT\+7/);

  // Its runs page, a run, and the run's nodes.
  await page.getByRole("row", { name: /RSI oversold steel stocks/ }).getByRole("link", { name: "Runs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Runs of “RSI oversold steel stocks”" })).toBeVisible();
  await expect(page.getByText("No runs yet")).toBeVisible();
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("run-facts")).toContainText("success", { timeout: 30_000 });
  const rsi = page.getByTestId("run-node-rsi");
  await rsi.locator("summary").click();
  await expect(rsi.getByRole("table").last()).toContainText("HPG");

  // The run opened in the builder pins every node's state and output on the canvas.
  const runUrl = page.url();
  await page.getByTestId("open-run-in-builder").click();
  await expect(page.getByTestId("pinned-run-banner")).toContainText(/Showing run of \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(GMT\+7\)/);
  await page.getByTestId("wf-node-rsi").click();
  await expect(page.getByTestId("pinned-output")).toContainText("HPG");
  await page.screenshot({ path: test.info().outputPath("builder-pinned-run.png") });
  await page.getByTestId("pinned-run-banner").getByRole("button", { name: "Unpin" }).click();
  await expect(page.getByTestId("pinned-run-banner")).toHaveCount(0);
  await page.goto(runUrl);

  await page.getByRole("link", { name: "Runs", exact: true }).click();
  await expect(page.getByText("1 run, newest first.")).toBeVisible();
  await expect(page.getByRole("table")).toContainText("success");
});
