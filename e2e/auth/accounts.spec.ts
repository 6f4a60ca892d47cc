import { expect, test } from "@playwright/test";
import { DEMO, expectSignInError, fillSignIn, freshEmail, PASSWORD, signIn, signUp, testAddress } from "../support/auth";

test("sign up, reload, sign out, and sign in again", async ({ page }) => {
  const { email, password } = await signUp(page, "cycle");
  await page.reload();
  await expect(page.getByTestId("user-email")).toContainText(email); // the session survives a reload

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?signedOut=1$/);
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await page.goto("/charts");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fcharts$/);

  await fillSignIn(page, email.toUpperCase(), password); // emails are not case-sensitive
  await expect(page).toHaveURL(/\/charts$/);
  await expect(page.getByTestId("user-email")).toContainText(email);
});

test("a signed-out visit to any app page lands on sign-in and returns to the page after it", async ({ page }) => {
  for (const path of ["/charts/HPG", "/workflows", "/value-chain", "/portfolio", "/memory", "/settings", "/settings/broker", "/settings/account"]) {
    await page.goto(path);
    await expect(page).toHaveURL(`/login?callbackUrl=${encodeURIComponent(path)}`);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  }
  await page.goto("/settings/broker?from=mail");
  await fillSignIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(/\/settings\/broker\?from=mail$/);
  await expect(page.getByRole("heading", { level: 1, name: "Broker (DNSE)" })).toBeVisible();
});

test("public pages stay open, and signed-out API requests get 401 JSON instead of a redirect", async ({ page, request }) => {
  for (const path of ["/", "/login", "/signup", "/api/health"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBeLessThan(500);
    expect(response.status(), path).not.toBe(307);
  }
  for (const [method, path] of [["GET", "/api/account"], ["GET", "/api/broker"], ["POST", "/api/broker/test"]] as const) {
    const response = await request.fetch(path, { method, maxRedirects: 0 });
    expect(response.status(), path).toBe(401);
    expect(await response.json()).toEqual({ error: "Sign in first." });
  }
  await page.goto("/");
  await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/signup/);
});

test("sign-up refuses a malformed email, a short password, differing passwords and a common password; a taken email is not told apart", async ({ page, context }) => {
  await context.setExtraHTTPHeaders({ "x-forwarded-for": testAddress() });
  await page.goto("/signup");
  const email = page.getByLabel("Email");
  const password = page.getByLabel("Password", { exact: true });
  const repeat = page.getByLabel("Repeat the password");
  const submit = page.getByRole("button", { name: "Create account" });

  await email.fill("not-an-email");
  await password.fill("short");
  await repeat.fill("short");
  await submit.click();
  await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(email).toHaveAttribute("aria-invalid", "true");

  await email.fill(freshEmail("differ"));
  await password.fill(PASSWORD);
  await repeat.fill(`${PASSWORD}!`);
  await submit.click();
  await expect(page.getByText("The two passwords differ.")).toBeVisible();

  await email.fill(freshEmail("common"));
  await password.fill("password1234");
  await repeat.fill("password1234");
  await submit.click();
  await expect(page.getByText(/on the lists of common and leaked passwords/)).toBeVisible();

  // A taken email gets the answer of a new one; the sign-in that follows fails like any wrong password.
  await email.fill(DEMO.email);
  await password.fill(PASSWORD);
  await repeat.fill(PASSWORD);
  await submit.click();
  await expect(page).toHaveURL(/\/login\?signUp=1/);
  await expect(page.getByText("Sign in with your email and password to continue.")).toBeVisible();
  await expect(page.getByText(/taken/i)).toHaveCount(0);
});

test.describe("sign-in errors", () => {
  // Each test from its own (forwarded) address, so their failures do not add up in the per-address throttle.
  test.use({ extraHTTPHeaders: { "x-forwarded-for": testAddress() } });

  test("a wrong password and an unknown email get the same answer", async ({ page }) => {
    await page.goto("/login");
    await fillSignIn(page, DEMO.email, "not the password");
    await expectSignInError(page, "Wrong email or password.");
    await fillSignIn(page, freshEmail("nobody"), "not the password");
    await expectSignInError(page, "Wrong email or password.");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("repeated failures lock the email for a while, even with the right password", async ({ page }) => {
    const { email, password } = await signUp(page, "throttle");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    for (let i = 0; i < 5; i++) {
      await fillSignIn(page, email, `wrong password ${i}`);
      await expectSignInError(page, "Wrong email or password.");
    }
    await fillSignIn(page, email, password);
    await expectSignInError(page, "Too many failed attempts; try again in 15 minutes.");
    await expect(page).toHaveURL(/\/login/);
  });
});

test("a tampered or truncated session cookie counts as signed out", async ({ page, context }) => {
  await signIn(page);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toBeDefined();
  const v = session!.value;
  const flipped = `${v.slice(0, 40)}${v[40] === "x" ? "y" : "x"}${v.slice(41)}`;
  for (const value of [v.slice(0, -10), flipped]) {
    await context.addCookies([{ ...session!, value }]);
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings$/);
    const api = await page.request.get("/api/account", { maxRedirects: 0 });
    expect(api.status()).toBe(401);
  }
});

test("the account page changes the password only with the old one, and deletes the account", async ({ page }) => {
  const { email, password } = await signUp(page, "account");
  await page.getByTestId("user-email").click();
  await expect(page).toHaveURL(/\/settings\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(email);

  const newPassword = "a brand new password";
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("This is not your current password.")).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveValue(""); // the form reset after its action

  await page.getByLabel("Current password").fill(password);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("password-message")).toHaveText(
    "Password changed, and every session of this account signed out; this browser signed in again with the new password.",
  );

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await fillSignIn(page, email, password);
  await expectSignInError(page, "Wrong email or password.");
  await fillSignIn(page, email, newPassword);
  await expect(page).toHaveURL(/\/charts$/);

  await page.goto("/settings/account");
  await page.getByLabel("Your password").fill(newPassword);
  await page.getByLabel("Type DELETE to confirm").fill("delete");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByText("Type DELETE to confirm.", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Your password")).toHaveValue("");
  await page.getByLabel("Your password").fill(newPassword);
  await page.getByLabel("Type DELETE to confirm").fill("DELETE");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/login\?deleted=1$/);
  await expect(page.getByText("Your account and everything in it have been deleted.")).toBeVisible();
  await fillSignIn(page, email, newPassword);
  await expectSignInError(page, "Wrong email or password.");
});

// Issue 9, item 1: a callback that normalises to "//host" must not take a signed-in (or signing-in) analyst off the app.
test("sign-in never ends on another site, whatever the callback", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const callbacks = ["/..//evil.example", "/.//evil.example", "/charts/../..//evil.example", "/..\\/evil.example", "/%2e%2e//evil.example"];
  await page.goto(`/login?callbackUrl=${encodeURIComponent(callbacks[0]!)}`);
  await fillSignIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(/\/charts$/);
  for (const page_ of ["login", "signup"]) {
    for (const callback of callbacks) {
      // Already signed in: the page redirects at once; follow it as the browser does.
      await page.goto(`/${page_}?callbackUrl=${encodeURIComponent(callback)}`);
      expect(new URL(page.url()).origin, `${page_} ${callback}`).toBe(origin);
      const response = await page.request.get(`/${page_}?callbackUrl=${encodeURIComponent(callback)}`, { maxRedirects: 0 });
      const location = response.headers()["location"] ?? "";
      expect(new URL(location, origin).origin, `${page_} ${callback} → ${location}`).toBe(origin);
    }
  }
});

test("the sign-in page offers the demo account while it has its published password, and the landing page knows who is signed in", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "x-forwarded-for": testAddress() });
  await page.goto("/");
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("landing-user")).toHaveCount(0);

  await page.goto("/login");
  const offer = page.getByTestId("demo-offer");
  await expect(offer).toContainText(`${DEMO.email} / ${DEMO.password}`);
  await offer.getByRole("button", { name: "Use the demo account" }).click();
  await expect(page).toHaveURL(/\/charts$/);

  await page.goto("/");
  const header = page.getByRole("banner");
  await expect(page.getByTestId("landing-user")).toHaveText(`Signed in as ${DEMO.email}`);
  await expect(header.getByRole("link", { name: "Open the workbench" })).toBeVisible();
  await expect(header.getByRole("link", { name: "Sign in" })).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("link", { name: "Create an account" })).toHaveCount(0);
});
