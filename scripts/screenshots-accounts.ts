/**
 * Screenshots of the accounts pages in their states, for people to look at (nothing is asserted):
 * sign-in (empty, error, throttled), sign-up (errors), account, and Settings → DNSE (not connected,
 * connected, test success, test error, and with no encryption key). Needs a running server whose
 * DNSE_BASE_URL is the stand-in (test/dnse-stand-in.ts), and for the no-key state a second server
 * without FERNET_KEYS:
 *   BASE_URL=http://localhost:3000 NO_KEY_BASE_URL=http://localhost:3001 npx tsx scripts/screenshots-accounts.ts
 * Writes screenshots/<theme>-accounts-<name>.png (git-ignored).
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { standInToken } from "../test/stand-in-token";

const BASE_URL = process.env.BASE_URL ?? "http://localhost:3000";
const NO_KEY_BASE_URL = process.env.NO_KEY_BASE_URL;
const OUT = path.resolve(process.env.SCREENSHOTS_DIR ?? "screenshots");
const PASSWORD = "screenshot password";

async function newPage(browser: Browser, theme: string, base: string, address: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1366, height: 820 },
    timezoneId: "Asia/Ho_Chi_Minh",
    locale: "en-GB",
    extraHTTPHeaders: { "x-forwarded-for": address },
  });
  await context.addInitScript((t) => localStorage.setItem("quantflow-theme", t), theme);
  return context.newPage();
}

async function shot(page: Page, theme: string, name: string) {
  await page.waitForLoadState("networkidle");
  const file = path.join(OUT, `${theme}-accounts-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}

async function signUp(page: Page, label: string) {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(`shot-${label}-${Date.now().toString(36)}@example.com`);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Repeat the password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/charts$/);
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  for (const theme of ["dark", "light"] as const) {
    const page = await newPage(browser, theme, BASE_URL, `192.0.2.${theme === "dark" ? 10 : 20}`);
    await page.goto("/login?callbackUrl=%2Fsettings%2Fbroker");
    await shot(page, theme, "login");
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("signin-error").waitFor();
    await shot(page, theme, "login-wrong");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Email").fill("nobody@example.com");
      await page.getByLabel("Password").fill(`wrong password ${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForTimeout(400);
    }
    await shot(page, theme, "login-throttled");

    await page.goto("/signup");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Use at least 10 characters.").waitFor();
    await shot(page, theme, "signup-errors");

    await signUp(page, theme);
    await page.goto("/settings");
    await shot(page, theme, "settings");
    await page.goto("/settings/account");
    await shot(page, theme, "account");

    await page.goto("/settings/broker");
    await shot(page, theme, "broker-not-connected");
    await page.getByLabel("DNSE client id").fill(`064C${Date.now().toString().slice(-6)}`);
    await page.getByLabel("DNSE token").fill(standInToken(`ok-shot.${Date.now().toString(36)}`, "AbCd"));
    await page.getByRole("button", { name: "Save and encrypt" }).click();
    await page.getByTestId("broker-save-message").waitFor();
    await shot(page, theme, "broker-connected");
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByTestId("broker-test-result").waitFor();
    await shot(page, theme, "broker-test-success");
    const expired = standInToken(`expired-shot.${Date.now().toString(36)}`);
    await page.getByLabel("New DNSE token").fill(expired);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByTestId("broker-token-mask").getByText(expired.slice(-4)).waitFor();
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByTestId("broker-test-result").getByText("DNSE refused the token").waitFor();
    await shot(page, theme, "broker-test-error");
    await page.context().close();

    if (NO_KEY_BASE_URL) {
      const noKey = await newPage(browser, theme, NO_KEY_BASE_URL, `192.0.2.${theme === "dark" ? 30 : 40}`);
      await signUp(noKey, `nokey-${theme}`);
      await noKey.goto("/settings/broker");
      await shot(noKey, theme, "broker-no-key");
      await noKey.context().close();
    }
  }
  await browser.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
