import { expect, test, type Page } from "@playwright/test";
import { standInToken } from "../../test/stand-in-token";
import { signUp } from "../support/auth";

/** Tokens (JWTs, as DNSE's are) the DNSE stand-in (test/dnse-stand-in.ts) answers 200, or 401 for. */
const okToken = () => standInToken(`ok-e2e.${Math.random().toString(36).slice(2, 14)}`);
const expiredToken = () => standInToken(`expired-e2e.${Math.random().toString(36).slice(2, 14)}`);
const clientId = () => `064C${Math.random().toString().slice(2, 8)}`;

async function expectNowhere(page: Page, token: string) {
  // Not in the rendered page, nor in the HTML and RSC payload the server sends, nor in the JSON API.
  expect(await page.content()).not.toContain(token);
  const html = await (await page.request.get("/settings/broker")).text();
  expect(html).toContain("Broker (DNSE)");
  expect(html).not.toContain(token);
  const api = await (await page.request.get("/api/broker")).text();
  expect(api).not.toContain(token);
}

test("store a DNSE token, see it masked, test the connection against the stand-in, and disconnect", async ({ page }) => {
  await signUp(page, "broker");
  await page.goto("/settings");
  await page.getByRole("link", { name: "Broker (DNSE)" }).click();
  await expect(page).toHaveURL(/\/settings\/broker$/);
  const status = page.getByTestId("broker-status");
  await expect(status).toContainText("Not connected");
  await expect(page.getByTestId("broker-no-key")).toHaveCount(0);

  // Bad input first: a token over 4 kB is refused and nothing is stored.
  const id = clientId();
  await page.getByLabel("DNSE client id").fill(id);
  await page.getByLabel("DNSE token").fill("x".repeat(4097));
  await page.getByRole("button", { name: "Save and encrypt" }).click();
  await expect(page.getByText("The token is longer than 4 kB. Paste only the token DNSE gave you.")).toBeVisible();
  await page.reload();
  await expect(status).toContainText("Not connected");

  // The non-JWT token refused: a password pasted by mistake is refused with the reason, and nothing is stored.
  await page.getByLabel("DNSE client id").fill(id);
  await page.getByLabel("DNSE token").fill("my-dnse-password-123");
  await page.getByRole("button", { name: "Save and encrypt" }).click();
  await expect(page.getByText(/^This is not a DNSE token: DNSE's tokens are JWTs/).first()).toBeVisible();
  await page.reload();
  await expect(status).toContainText("Not connected");
  expect(await (await page.request.get("/api/broker")).json()).toMatchObject({ clientId: null, tokenStored: false });

  const token = okToken();
  await page.getByLabel("DNSE client id").fill(id);
  await page.getByLabel("DNSE token").fill(token);
  await page.getByRole("button", { name: "Save and encrypt" }).click();
  await expect(page.getByTestId("broker-save-message")).toHaveText("Saved. The token is stored encrypted.");
  await expect(status).toContainText("Token stored");
  await expect(page.getByTestId("broker-client-id")).toHaveText(id);
  await expect(page.getByTestId("broker-token-mask")).toHaveText(`••••••••${token.slice(-4)}`);
  await expect(page.getByTestId("broker-updated-at")).toHaveText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} GMT\+7$/);
  await expect(page.getByLabel("New DNSE token")).toHaveValue("");
  await expectNowhere(page, token);

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("broker-test-result")).toHaveText(/^Connected to DNSE as Nguyễn Văn An .* \(investor id 0001000115\)\.$/);

  // An expired token: DNSE's refusal, in words, without the token.
  const expired = expiredToken();
  await page.getByLabel("New DNSE token").fill(expired);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("broker-token-mask")).toHaveText(`••••••••${expired.slice(-4)}`);
  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByTestId("broker-test-result");
  await expect(result).toContainText("DNSE refused the token (HTTP 401: Token is expired)");
  await expect(result).not.toContainText(expired);
  await expectNowhere(page, expired);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(status).toContainText("Not connected");
  await expect(page.getByTestId("broker-client-id")).toHaveText("—");
  await expect(page.getByTestId("broker-token-mask")).toHaveText("none stored");
});

test("the JSON API tells the status and never the token", async ({ page }) => {
  await signUp(page, "brokerapi");
  const token = okToken();
  await page.goto("/settings/broker");
  await page.getByLabel("DNSE client id").fill(clientId());
  await page.getByLabel("DNSE token").fill(token);
  await page.getByRole("button", { name: "Save and encrypt" }).click();
  await expect(page.getByTestId("broker-token-mask")).toHaveText(`••••••••${token.slice(-4)}`);
  const status = await (await page.request.get("/api/broker")).json();
  expect(status).toMatchObject({ tokenStored: true, tokenLast4: token.slice(-4), tokenUnreadable: false, encryptionConfigured: true });
  // A state-changing request with the cookie names the app's own origin, as the browser would (proxy.ts).
  const tested = await page.request.post("/api/broker/test", { headers: { origin: new URL(page.url()).origin } });
  expect(tested.status()).toBe(200);
  expect(await tested.json()).toMatchObject({ ok: true, investor: { investorId: "0001000115" } });
});
