import { expect, test, type Page } from "@playwright/test";
import { signUp } from "../support/auth";

// Issue 13, item 3: the workbench on a 390×844 phone.
test.use({ viewport: { width: 390, height: 844 } });

/** Nothing on the page scrolls sideways: the document is no wider than the phone. */
async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

test("on a phone the symbol search has room to type a code, and Enter opens its chart", async ({ page }) => {
  await signUp(page, "phone-search");
  await page.goto("/charts");
  const search = page.getByLabel("Search symbol");
  const box = (await search.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(150);
  await search.fill("HPG");
  await search.press("Enter");
  await expect(page).toHaveURL(/\/charts\/HPG$/);
  await expect(page.getByRole("heading", { level: 1, name: "HPG" })).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test("on a phone the builder's canvas fills the screen, the palette opens as a drawer, and Run and the lists stay in reach", async ({ page }) => {
  test.setTimeout(90_000);
  await signUp(page, "phone-builder");
  await page.goto("/workflows");
  await page.getByLabel("New workflow name").fill("Phone e2e");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  const workflowPath = new URL(page.url()).pathname;

  const canvas = page.getByTestId("workflow-canvas");
  expect((await canvas.boundingBox())!.width).toBeGreaterThanOrEqual(300);
  // The palette is a closed drawer until asked for; adding a node closes it again, uncovering the canvas.
  const palette = page.getByRole("complementary", { name: "Node palette" });
  await expect(palette).toBeHidden();
  await page.getByRole("button", { name: "Nodes", exact: true }).click();
  await expect(palette).toBeVisible();
  await page.getByTestId("palette-trigger.manual").click();
  await expect(palette).toBeHidden();
  await expect(page.getByTestId("wf-node-manual-1")).toBeVisible();

  // The node's settings open as the other drawer.
  const settings = page.getByRole("complementary", { name: "Node settings" });
  await expect(settings).toBeHidden();
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  await expect(settings).toBeVisible();
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  await expect(settings).toBeHidden();

  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeInViewport();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeInViewport();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("builder-status")).toHaveText("Saved.");
  await expectNoSidewaysScroll(page);

  // The lists are cards, not tables wider than the phone.
  await page.goto("/workflows");
  await expect(page.getByRole("link", { name: "Phone e2e" }).first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.goto(`${workflowPath}/runs`);
  await expectNoSidewaysScroll(page);
});

test.describe("on a touch phone", () => {
  test.use({ hasTouch: true, isMobile: true });

  test("tapping a node on the builder's canvas opens its settings drawer", async ({ page }) => {
    test.setTimeout(90_000);
    await signUp(page, "phone-tap");
    await page.goto("/workflows");
    await page.getByLabel("New workflow name").fill("Phone tap e2e");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: "Nodes", exact: true }).click();
    await page.getByTestId("palette-trigger.manual").click();
    const settings = page.getByRole("complementary", { name: "Node settings" });
    await expect(settings).toBeHidden();

    await page.getByTestId("wf-node-manual-1").tap();
    await expect(settings).toBeVisible();
    await expect(settings.getByRole("heading", { level: 2, name: "Manual trigger" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Settings", exact: true })).toHaveAttribute("aria-expanded", "true");
    // The Settings button closes it again, uncovering the canvas.
    await page.getByRole("button", { name: "Settings", exact: true }).tap();
    await expect(settings).toBeHidden();
    await page.screenshot({ path: test.info().outputPath("phone-node-tap.png") });
  });
});
