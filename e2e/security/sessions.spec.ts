import { expect, test, type Browser, type BrowserContext, type Cookie } from "@playwright/test";
import { DEMO, signIn, signUp, testAddress } from "../support/auth";

// Issue 9, item 5: a session cookie copied before a sign-out or a password change stops working at once,
// and an admin can end an account's sessions. The copy lives in a second browser context (another
// "browser"), as an attacker holding a stolen cookie would use it.

// Three browser contexts signing in on a shared, busy machine: more than the default 30 s.
test.describe.configure({ timeout: 90_000 });

async function sessionCookie(context: BrowserContext): Promise<Cookie> {
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(cookie, "signed in").toBeDefined();
  return cookie!;
}

/** A second context holding a copy of `from`'s session cookie. */
async function copyInto(browser: Browser, from: BrowserContext): Promise<BrowserContext> {
  const thief = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": testAddress() } });
  await thief.addCookies([await sessionCookie(from)]);
  return thief;
}

async function expectSignedIn(context: BrowserContext, email: string) {
  const res = await context.request.get("/api/account", { maxRedirects: 0 });
  expect(res.status()).toBe(200);
  expect((await res.json()).email).toBe(email);
}

async function expectSignedOut(context: BrowserContext) {
  expect((await context.request.get("/api/account", { maxRedirects: 0 })).status()).toBe(401);
  const page = await context.newPage();
  await page.goto("/settings/account");
  // A well-formed cookie passes proxy.ts; the app's layout finds the session ended and sends it to sign-in.
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.close();
}

test("a cookie copied before sign-out no longer signs anyone in", async ({ page, context, browser }) => {
  const { email } = await signUp(page, "signout-copy");
  const thief = await copyInto(browser, context);
  await expectSignedIn(thief, email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?signedOut=1$/);
  await expectSignedOut(thief);
  await thief.close();
});

test("a password change ends every session, a copied cookie included; this browser signs in again with the new password", async ({ page, context, browser }) => {
  const { email, password } = await signUp(page, "password-copy");
  const thief = await copyInto(browser, context);
  await expectSignedIn(thief, email);

  await page.goto("/settings/account");
  const newPassword = "a brand new passphrase";
  await page.getByLabel("Current password").fill(password);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("password-message")).toContainText("every session of this account signed out");

  await expectSignedOut(thief);
  // The account page signed this browser in again (a new session, whose cookie the copy does not have).
  await expect.poll(async () => (await context.request.get("/api/account", { maxRedirects: 0 })).status()).toBe(200);
  await expectSignedIn(context, email);
  await thief.close();
});

test("an admin ends every session of an account from the users page", async ({ page, context, browser }) => {
  const { email } = await signUp(page, "admin-ends");
  const thief = await copyInto(browser, context);
  await expectSignedIn(thief, email);

  const admin = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": testAddress() } });
  const adminPage = await admin.newPage();
  await signIn(adminPage, DEMO.email, DEMO.password, "/settings/users");
  const row = adminPage.getByTestId("account-row").filter({ hasText: email });
  await expect(row.getByTestId("session-count")).toHaveText("1");
  await row.getByRole("button", { name: `End every session of ${email}` }).click();
  await expect(row.getByRole("status")).toHaveText("Ended 1 session.");
  await expect(row.getByTestId("session-count")).toHaveText("0");
  await adminPage.screenshot({ path: test.info().outputPath("users-end-sessions.png"), fullPage: true });

  // The account's own browser and the copy are both signed out; the admin is not.
  await expectSignedOut(thief);
  await expectSignedOut(context);
  await expectSignedIn(admin, DEMO.email);
  await Promise.all([thief.close(), admin.close()]);
});
