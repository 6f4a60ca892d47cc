import { expect, type Page } from "@playwright/test";

/** The demo analyst the seed creates (README). */
export const DEMO = { email: "demo@quantflow.local", password: "quantflow-demo" } as const;

export const PASSWORD = "e2e password 123";

export function freshEmail(label: string): string {
  return `e2e-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

/** A documentation address (RFC 5737) per call, so the per-address throttle counts of tests stay apart. */
export function testAddress(): string {
  return `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
}

export async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * The form's answer to a failed attempt. React resets a form after its action; waiting for the
 * emptied password field keeps the next fill from racing that reset.
 */
export async function expectSignInError(page: Page, text: string) {
  await expect(page.getByTestId("signin-error")).toHaveText(text);
  await expect(page.getByLabel("Password")).toHaveValue("");
}

/** Signs in through the form and waits for the page it leads to. */
export async function signIn(page: Page, email: string = DEMO.email, password: string = DEMO.password, path = "/charts") {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(path)}`);
  await fillSignIn(page, email, password);
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, "\\$&")}$`));
}

/** Creates a fresh account through the sign-up form; it ends signed in on /charts. */
export async function signUp(page: Page, label: string): Promise<{ email: string; password: string }> {
  const email = freshEmail(label);
  // From an address of its own: sign-ups are limited per address (playwright.config.ts trusts one proxy).
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": testAddress() });
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Repeat the password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/charts$/);
  await expect(page.getByTestId("user-email")).toContainText(email);
  return { email, password: PASSWORD };
}
