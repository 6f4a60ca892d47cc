import { expect, test } from "@playwright/test";
import { signUp } from "../support/auth";

const FINDING = "Hòa Phát: tồn kho cao khi giá thép giảm";

test("a finding saved by a workflow run is found on the memory page without diacritics, edited and deleted; another user never sees it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signUp(page, "mem-finding");

  // Empty: the page says what to do.
  await page.goto("/memory");
  await expect(page.getByText("No memories yet")).toBeVisible();
  await expect(page.getByText(/times in GMT\+7/)).toBeVisible();

  // A workflow with Save finding, run from the builder.
  await page.goto("/workflows");
  await page.getByLabel("New workflow name").fill("Steel audit");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  // Without a chat endpoint the AI analyst is listed as unavailable, with the reason.
  await expect(page.getByTestId("palette-memory.analyst")).toContainText("unavailable");
  await expect(page.getByText("No chat endpoint is configured")).toBeVisible();
  // A run starts from a trigger (a workflow without one is not ready to run).
  await page.getByLabel("Search nodes").fill("manual trigger");
  await page.getByLabel("Search nodes").press("Enter");
  await page.getByLabel("Search nodes").fill("save finding");
  await page.getByLabel("Search nodes").press("Enter");
  await expect(page.getByTestId("wf-node-save-1")).toBeVisible();
  await page.getByTestId("wf-node-save-1").click();
  const settings = page.getByRole("complementary", { name: "Node settings" });
  await settings.getByLabel("Note").fill(FINDING);
  await settings.getByLabel("Memory type").selectOption("audit_finding");
  await settings.getByLabel("Company").fill("HPG");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toHaveText("Saved.");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toContainText("Run succeeded", { timeout: 30_000 });

  // Found by the company's name without diacritics, with its similarity and why it matched.
  await page.goto("/memory");
  await page.getByLabel("Search memories").fill("Hoa Phat");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const card = page.getByTestId("memory-card").filter({ hasText: FINDING });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("Audit finding");
  await expect(card).toContainText("HPG");
  await expect(card).toContainText(/similarity 0\.\d\d/);
  await expect(card).toContainText("Why: shares “hoa”, “phat”");
  await expect(page.getByTestId("memory-summary")).toContainText("lexical matching");
  await expect(card.getByRole("link", { name: "the workflow run" })).toHaveAttribute("href", /^\/workflows\/[0-9a-f-]{36}\/runs\/[0-9a-f-]{36}$/);

  // Another user never sees it.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, "mem-other");
  await otherPage.goto("/memory");
  await otherPage.getByLabel("Search memories").fill("Hoa Phat");
  await otherPage.getByRole("button", { name: "Search", exact: true }).click();
  await expect(otherPage.getByText("Nothing matches")).toBeVisible();
  await other.close();

  // Edit in place.
  await card.getByRole("button", { name: /^Edit/ }).click();
  await card.getByLabel("Content").fill(`${FINDING}. Checked again: still true.`);
  await card.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Memory updated." })).toBeVisible();
  const edited = page.getByTestId("memory-card").filter({ hasText: "Checked again: still true." });
  await expect(edited).toHaveCount(1);

  // Delete, after the in-place confirmation.
  await edited.getByRole("button", { name: /^Delete/ }).click();
  await edited.getByRole("button", { name: "Yes, delete" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Memory deleted." })).toBeVisible();
  await expect(page.getByTestId("memory-card")).toHaveCount(0);
  await expect(page.getByText("Nothing matches")).toBeVisible();
});
