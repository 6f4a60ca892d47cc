import { expect, test, type Page } from "@playwright/test";
import { signIn } from "../support/auth";

// The workbench is for signed-in analysts: every test here starts as the seed's demo account.
test.beforeEach(async ({ page }) => {
  await signIn(page);
});

/** The areas of the rail, with the heading each page shows. */
const AREAS = [
  { label: "Charts", path: "/charts", heading: "Charts" },
  { label: "Workflows", path: "/workflows", heading: "Workflows" },
  { label: "Value chain", path: "/value-chain", heading: "Value chain" },
  { label: "Portfolio", path: "/portfolio", heading: "Portfolio" },
  { label: "Memory", path: "/memory", heading: "Memory" },
  { label: "Settings", path: "/settings", heading: "Settings" },
] as const;

const rail = (page: Page) => page.getByRole("navigation", { name: "Main" });

async function expectOnlyCurrent(page: Page, label: string) {
  await expect(rail(page).getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
  await expect(rail(page).locator('[aria-current="page"]')).toHaveCount(1);
}

test("the landing page says what QuantFlow is and leads into the workbench", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/QuantFlow/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/workbench for analysts of the Vietnamese stock market/i);
  await expect(page.getByText("HOSE · HNX · UPCOM")).toBeVisible();
  for (const area of ["Charts", "Workflows", "Value chain", "Portfolio", "Memory"]) {
    await expect(page.getByRole("heading", { level: 3, name: area })).toBeVisible();
  }

  await page.getByRole("main").getByRole("link", { name: "Open the workbench" }).click();
  await expect(page).toHaveURL(/\/charts$/);
  await expect(page.getByRole("heading", { level: 1, name: "Charts" })).toBeVisible();
  await expectOnlyCurrent(page, "Charts");
});

test("the rail reaches every area, marks it current, and every area is built", async ({ page }) => {
  await page.goto("/charts");
  for (const area of AREAS) {
    await rail(page).getByRole("link", { name: area.label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${area.path}$`));
    await expect(page.getByRole("heading", { level: 1, name: area.heading, exact: true })).toBeVisible();
    await expectOnlyCurrent(page, area.label);
    await expect(page.getByTestId("not-built-yet")).toHaveCount(0);
  }
});

test("the top bar names the time zone once and shows the market snapshot from the database", async ({ page }) => {
  await page.goto("/workflows");
  await expect(page.getByText("Times in GMT+7")).toHaveCount(1);
  const snapshot = page.getByRole("region", { name: "Market snapshot" });
  // Real figures now (the demo data's VN-Index and liquidity, e2e/charts/snapshot.spec.ts checks them);
  // what the source lacks is a dash with its reason, never a made-up number.
  await expect(snapshot).toContainText(/VN-Index\s*[\d,]+\.\d{2}/);
  await expect(snapshot).toContainText(/as of \d{2}:\d{2} \d{2}\/\d{2}/);
  await expect(snapshot).not.toContainText("arrives with live data");
});

test("a sub-page of an area keeps its area current in the rail", async ({ page }) => {
  await page.goto("/settings/broker");
  await expect(page.getByRole("heading", { level: 1, name: "Broker (DNSE)" })).toBeVisible();
  await expectOnlyCurrent(page, "Settings");
});

test("pressing / focuses the symbol search and Enter opens the symbol's chart", async ({ page }) => {
  await page.goto("/portfolio");
  const search = page.getByLabel("Search symbol");
  await expect(search).not.toBeFocused();
  await page.locator("body").press("/");
  await expect(search).toBeFocused();
  await expect(search).toHaveValue(""); // the slash itself is not typed

  await search.fill("hpg");
  await search.press("Enter");
  await expect(page).toHaveURL(/\/charts\/HPG$/);
  await expect(page.getByRole("heading", { level: 1, name: "HPG" })).toBeVisible();
  await expectOnlyCurrent(page, "Charts");
});

test("the symbol search refuses what cannot be a symbol and says why", async ({ page }) => {
  await page.goto("/charts");
  const search = page.getByLabel("Search symbol");
  await search.fill("VN-INDEX");
  await search.press("Enter");
  // (Scoped to the search form: Next.js has its own, empty route-announcer alert.)
  const error = page.getByRole("search").getByRole("alert");
  await expect(error).toContainText("is not a symbol");
  await expect(search).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/charts$/);

  await search.fill("vnindex");
  await expect(error).toHaveCount(0);
  await search.press("Enter");
  await expect(page).toHaveURL(/\/charts\/VNINDEX$/);
});

test("a chart address in lower case lands on the upper-case symbol", async ({ page }) => {
  await page.goto("/charts/fpt");
  await expect(page).toHaveURL(/\/charts\/FPT$/);
  await expect(page.getByRole("heading", { level: 1, name: "FPT" })).toBeVisible();
});

test("the rail works with the keyboard alone", async ({ page }) => {
  await page.goto("/charts");
  // Tab from the top of the page: a skip link first, then the rail.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to page content" })).toBeFocused();

  const workflows = rail(page).getByRole("link", { name: "Workflows", exact: true });
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    if (await workflows.evaluate((el) => el === document.activeElement)) break;
  }
  await expect(workflows).toBeFocused();
  // The focus is visible.
  await expect(workflows).not.toHaveCSS("outline-style", "none");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/workflows$/);
  await expect(page.getByRole("heading", { level: 1, name: "Workflows" })).toBeVisible();
  await expectOnlyCurrent(page, "Workflows");

  // Arrow keys move along the rail; End reaches Settings.
  await rail(page).getByRole("link", { name: "Workflows", exact: true }).focus();
  // Workflows' own sub-item (Executions) comes next, then the next area.
  await page.keyboard.press("ArrowDown");
  await expect(rail(page).getByRole("link", { name: "Executions", exact: true })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(rail(page).getByRole("link", { name: "Value chain", exact: true })).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(rail(page).getByRole("link", { name: "Executions", exact: true })).toBeFocused();
  await page.keyboard.press("End");
  const settings = rail(page).getByRole("link", { name: "Settings", exact: true });
  await expect(settings).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings$/);
  await expectOnlyCurrent(page, "Settings");
});

test("an unknown address gets a 404 page that says what happened and where to go", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByText("/no-such-page")).toBeVisible();
  await page.getByRole("link", { name: "Open the workbench" }).click();
  await expect(page).toHaveURL(/\/charts$/);
});

test("a chart address that cannot be a symbol says so", async ({ page }) => {
  const response = await page.goto("/charts/NOT-A-SYMBOL");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Not a symbol" })).toBeVisible();
  await expect(page.getByText("“NOT-A-SYMBOL” cannot be a symbol")).toBeVisible();
  // Still inside the workbench: the rail is there.
  await expect(rail(page)).toBeVisible();
});

test("the theme switch changes the theme and is remembered", async ({ page }) => {
  await page.goto("/memory");
  const html = page.locator("html");
  await expect(html).not.toHaveAttribute("data-theme", "light"); // dark by default
  await page.getByRole("button", { name: "Switch to light theme" }).click();
  await expect(html).toHaveAttribute("data-theme", "light");
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "light");
  await expect(page.getByRole("button", { name: "Switch to dark theme" })).toBeVisible();
  // Pages outside the shell keep it too.
  await page.goto("/no-such-page");
  await expect(html).toHaveAttribute("data-theme", "light");
  await page.goto("/charts/NOT-A-SYMBOL");
  await expect(html).toHaveAttribute("data-theme", "light");
  await page.getByRole("button", { name: "Switch to dark theme" }).click();
  await expect(html).toHaveAttribute("data-theme", "dark");
});
