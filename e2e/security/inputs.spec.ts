/**
 * Issue 9, item 8 in the browser: malformed input gets the app's own answer (a 400/413 with its message,
 * shown on the page), never a 500; a deleted account's copied cookie ends on the sign-in page.
 */
import { expect, test } from "@playwright/test";
import { PASSWORD, signUp } from "../support/auth";

const CONTROL = /contains a control character \(such as NUL, \\u0000\): remove it and try again/;

test("a NUL byte in a symbol or a query answers 400 with the app's message", async ({ page }) => {
  await signUp(page, "nul-api");
  for (const [url, field] of [
    ["/api/symbols?q=HP%00G", "q"],
    ["/api/candles?symbol=HPG%00&resolution=1D", "symbol"],
  ] as const) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(400);
    expect((await response.json()).error).toMatch(new RegExp(`^${field} ${CONTROL.source}`));
  }
});

test("the workflows page answers a NUL in a name and a 200,000-deep import in words", async ({ page }) => {
  await signUp(page, "nul-ui");
  await page.goto("/workflows");
  await page.getByLabel("New workflow name").fill("Steel\u0000RSI");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByTestId("workflows-message")).toHaveText(CONTROL);
  await expect(page.getByText("No workflows yet")).toBeVisible();

  const deep = "[".repeat(200_000) + "]".repeat(200_000);
  await page.getByLabel("Import a workflow (JSON)").setInputFiles({ name: "deep.json", mimeType: "application/json", buffer: Buffer.from(deep) });
  await expect(page.getByTestId("workflows-message")).toHaveText(/nested more than 64 levels deep/);
  await page.screenshot({ path: test.info().outputPath("workflows-deep-import.png") });
  await expect(page.getByText("No workflows yet")).toBeVisible();
});

test("a server action body over the 1 MB limit gets a 413 with the app's message", async ({ page }) => {
  await signUp(page, "big-body");
  const response = await page.request.post("/workflows", {
    headers: { "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8", origin: new URL(page.url()).origin },
    data: "x".repeat(1_300_000),
  });
  expect(response.status()).toBe(413);
  expect(await response.json()).toEqual({
    error: "The request is 1.3 MB; at most 1 MB can be sent (a workflow graph, saved or imported, is limited to 1 MB). Remove some nodes, or split the workflow in two.",
  });
});

test("a deleted account's copied cookie ends on the sign-in page", async ({ page, browser }) => {
  await signUp(page, "deleted-cookie");
  const cookies = await page.context().cookies();
  await page.goto("/settings/account");
  await page.getByLabel("Your password").fill(PASSWORD);
  await page.getByLabel("Type DELETE to confirm").fill("DELETE");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/login\?deleted=1$/);

  const copy = await browser.newContext();
  try {
    await copy.addCookies(cookies);
    const other = await copy.newPage();
    for (const path of ["/workflows", "/settings", "/settings/broker"]) {
      const response = await other.goto(path);
      expect(response?.status(), path).toBeLessThan(400);
      await expect(other, path).toHaveURL(/\/login/);
    }
  } finally {
    await copy.close();
  }
});
