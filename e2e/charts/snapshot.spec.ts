import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth";

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test("the snapshot strip shows VN-Index with its change, liquidity and the as-of time in GMT+7", async ({ page }) => {
  await page.goto("/workflows");
  const strip = page.getByRole("region", { name: "Market snapshot" });
  await expect(strip).toContainText(/VN-Index\s*[\d,]+\.\d{2}/);
  await expect(strip).toContainText(/[+-]?\d+\.\d{2}%/);
  await expect(strip).toContainText(/as of \d{2}:\d{2} \d{2}\/\d{2}/);
  const liquidity = strip.getByText(/^[\d.]+[KMBT]? ₫$/).first();
  await expect(liquidity).toHaveAttribute("title", /^[\d,]+ VND/);
  // What the source does not give is a dash that says why, not a made-up number.
  for (const dash of await strip.getByText("—", { exact: true }).all()) {
    await expect(dash).toHaveAttribute("title", "not available from our data source yet");
  }
});

test("the snapshot strip refreshes itself", async ({ page }) => {
  let calls = 0;
  page.on("request", (r) => {
    if (r.url().includes("/api/market/snapshot")) calls++;
  });
  await page.clock.install();
  await page.goto("/portfolio");
  await expect(page.getByRole("region", { name: "Market snapshot" })).toContainText("as of");
  const before = calls;
  await page.clock.runFor(31_000);
  await expect.poll(() => calls).toBeGreaterThan(before);
});
