import { expect, test } from "@playwright/test";
import { DEMO, signIn, signUp } from "../support/auth";

// Roles (issue 9): market data is shared, so only admins load or import it and manage accounts.
// The demo account is the installation's first account, hence its admin; a new sign-up is an analyst.

test("an analyst reads charts but is not offered imports, backfills or the users page", async ({ page }) => {
  await signUp(page, "analyst-role");
  await page.goto("/charts/HPG");
  await expect(page.getByTestId("chart")).toHaveAttribute("data-drawn", "true", { timeout: 15_000 });
  await expect(page.getByTestId("shared-data-note")).toHaveText(/kept by this installation's admins/);
  await expect(page.getByRole("button", { name: "Import CSV" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Load history from DNSE" })).toBeHidden();
  // The route refuses too, whatever the page shows.
  const backfill = await page.request.post("/api/market/backfill", {
    data: { symbol: "HPG", resolution: "D", from: "2024-01-01", to: "2024-01-05" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(backfill.status()).toBe(403);
  await page.goto("/settings/users");
  await expect(page.getByTestId("users-forbidden")).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
});

test("an admin sees every account, makes an invitation link, and withdraws it", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password, "/settings");
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/settings\/users$/);
  const demoRow = page.getByTestId("account-row").filter({ hasText: DEMO.email });
  await expect(demoRow).toContainText("admin");
  await expect(demoRow).toContainText("(you)");
  // The only admin cannot step down: someone must keep the market data.
  await demoRow.getByRole("button", { name: /Make .* an analyst/ }).click();
  await expect(demoRow.getByRole("alert")).toHaveText(/last admin/);
  await expect(page.getByTestId("signup-mode")).toContainText("Open");

  await page.getByLabel("For this email only (optional)").fill("invitee@example.com");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  await expect(page.getByTestId("invitation-message")).toContainText("Copy the link now");
  await expect(page.getByTestId("invitation-link")).toHaveValue(/\/signup\?invite=[A-Za-z0-9_-]{32}$/);
  const row = page.getByTestId("invitations").getByRole("row").filter({ hasText: "invitee@example.com" });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Withdraw" }).click();
  await expect(page.getByTestId("invitations").getByRole("row").filter({ hasText: "invitee@example.com" })).toHaveCount(0);
});
