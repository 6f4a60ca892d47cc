import { expect, test, type Page } from "@playwright/test";
import { signIn, signUp } from "../support/auth";

/**
 * Issue 9, item 7 in Chromium: security headers on every answer, a Content-Security-Policy that the
 * main pages (charts, the workflow builder, settings) run under without a single violation, a foreign
 * or missing Origin refused with 403, and a personal API token that works from a script without the
 * cookie, until revoked.
 */

/** Violations as the page itself reports them, plus Chromium's console lines about the policy. */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy|CSP violation|Refused to (execute|load|apply|connect|evaluate)/i.test(m.text())) seen.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => seen.push(`${page.url()}: page error ${e.message}`));
  return seen;
}

test("every page and API answer carries the security headers", async ({ request }) => {
  for (const path of ["/", "/login", "/charts", "/api/health", "/api/candles?symbol=HPG"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    const h = res.headers();
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(h["permissions-policy"], path).toContain("camera=()");
    expect(h["content-security-policy"], path).toMatch(/frame-ancestors 'none'/);
    expect(h["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    // Plain http here: no HSTS (it is sent when the app is reached over https).
    expect(h["strict-transport-security"], path).toBeUndefined();
  }
  // The nonce is fresh per request and is the one on the page's scripts.
  const [a, b] = [await request.get("/login"), await request.get("/login")];
  const nonce = /'nonce-([^']+)'/.exec(a.headers()["content-security-policy"]!)![1]!;
  expect(nonce).not.toBe(/'nonce-([^']+)'/.exec(b.headers()["content-security-policy"]!)![1]);
  expect(await a.text()).toContain(`nonce="${nonce}"`);
});

test("charts, the workflow builder and settings run under the policy without a violation", async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await watchCsp(page);
  await page.goto("/login");
  await signIn(page);
  await page.goto("/charts/HPG?r=1D");
  await expect(page.getByTestId("chart")).toHaveAttribute("data-drawn", "true", { timeout: 15_000 });
  await page.goto("/charts/HPG?r=1m");
  await expect(page.getByTestId("chart")).toHaveAttribute("data-drawn", "true", { timeout: 15_000 });
  await page.goto("/workflows");
  await page.getByLabel("New workflow name").fill(`CSP e2e ${Date.now()}`);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  const canvas = page.getByTestId("workflow-canvas");
  await page.getByTestId("palette-data.candles").dragTo(canvas, { targetPosition: { x: 160, y: 120 } });
  await expect(page.getByTestId("dirty-indicator")).toBeVisible();
  for (const path of ["/settings", "/settings/account", "/settings/broker"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  // The theme script (inline, with the nonce) ran: the saved theme is applied before paint.
  expect(await page.evaluate(() => document.documentElement.dataset.theme ?? "dark")).toMatch(/dark|light/);
  expect(violations).toEqual([]);
});

test("a state-changing request with the session cookie from another origin, or none, is refused with 403", async ({ page }) => {
  await signIn(page);
  const path = "/api/workflows/00000000-0000-4000-8000-000000000000/runs";
  const foreign = await page.request.post(path, { headers: { origin: "https://evil.example" } });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error).toMatch(/another site/);
  for (const method of ["put", "patch", "delete"] as const) {
    expect((await page.request[method](path, { headers: { origin: "https://evil.example" } })).status(), method).toBe(403);
  }
  // Playwright's request context sends no Origin by itself: a script holding a cookie.
  const missing = await page.request.post(path);
  expect(missing.status()).toBe(403);
  expect((await missing.json()).error).toMatch(/no Origin header/);
  // From the app's own origin the route itself answers (an unknown workflow).
  const own = await page.request.post(path, { headers: { origin: new URL(page.url()).origin } });
  expect(own.status()).toBe(404);
  // A server action posted from another site: a clear 403, not Next's 500.
  const action = await page.request.post("/settings/account", { headers: { origin: "https://evil.example", "next-action": "0".repeat(42) }, data: "[]" });
  expect(action.status()).toBe(403);
});

test("a personal API token from the account page works without a cookie, until revoked", async ({ page, playwright, baseURL }) => {
  const { email } = await signUp(page, "api-token");
  await page.goto("/settings/account");
  await expect(page.getByTestId("no-tokens")).toBeVisible();
  await page.getByLabel("Name").fill("research notebook");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("token-message")).toContainText("not shown again");
  const token = await page.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^qf_[A-Za-z0-9_-]{43}$/);
  const row = page.getByTestId("api-token-row").filter({ hasText: "research notebook" });
  await expect(row).toContainText(token.slice(0, 7));
  await expect(row).not.toContainText(token.slice(7, 20));

  // A script: a fresh request context, no cookie, no Origin.
  const script = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const me = await script.get("/api/account");
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ email });
  // State-changing without Origin: the route answers (an unknown workflow), the origin check does not apply.
  expect((await script.post("/api/workflows/00000000-0000-4000-8000-000000000000/runs")).status()).toBe(404);
  const listed = (await (await script.get("/api/account/tokens")).json()) as { tokens: { name: string; lastUsedAt: string | null }[] };
  expect(listed.tokens).toEqual([expect.objectContaining({ name: "research notebook", lastUsedAt: expect.stringMatching(/\+07:00$/) })]);
  // An analyst's token may not import shared market data.
  expect((await script.post("/api/candles/import")).status()).toBe(403);

  await page.reload();
  await expect(row).not.toContainText("Never");
  await page.getByRole("region", { name: "API tokens" }).screenshot({ path: "test-results/account-api-tokens.png" });
  await row.getByRole("button", { name: "Revoke research notebook" }).click();
  await expect(row).toContainText("Revoked");
  const after = await script.get("/api/account");
  expect(after.status()).toBe(401);
  expect((await after.json()).error).toMatch(/API token is not valid/);
  await script.dispose();
});
