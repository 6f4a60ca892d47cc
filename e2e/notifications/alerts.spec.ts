import { expect, test } from "@playwright/test";
import { signUp } from "../support/auth";

const RECEIVER = `http://127.0.0.1:${Number(process.env.E2E_RECEIVER_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 4)}`;

const node = (id: string, type: string, x: number, y: number, params: Record<string, unknown> = {}) => ({ id, type, position: { x, y }, data: { params } });
const edge = (source: string, sourceHandle: string | null, target: string, targetHandle: string | null) => ({ id: `${source}-${target}`, source, sourceHandle, target, targetHandle });

/** Every minute, every day: HPG's close above 0 holds, so the Alert fires on the first tick. */
const graph = (channels: string) => ({
  schemaVersion: 1,
  nodes: [
    node("t", "trigger.schedule", 0, 0, { cron: "* * * * *", tradingDaysOnly: false }),
    node("daily", "data.candles", 300, 0, { symbols: ["HPG"], resolution: "1D", lookback: 30 }),
    node("up", "logic.threshold", 600, 0, { operator: ">", level: 0 }),
    node("alert", "output.alert", 900, 0, { title: "HPG above zero", severity: "warning", channels, notify: "every" }),
  ],
  edges: [edge("t", null, "daily", "trigger"), edge("daily", "close", "up", null), edge("up", null, "alert", null)],
});

test("channels, tests, a scheduled alert in the centre, the e-mail and the signed webhook, a failing channel's error on the run page", async ({ page, request }) => {
  test.setTimeout(240_000);
  await signUp(page, "alerts");
  const email = `desk-${Date.now()}@quantflow.test`;

  // E-mail channel + its test, which arrives at the SMTP server.
  await page.goto("/settings/notifications");
  await page.getByRole("radio", { name: "E-mail" }).click();
  await page.getByLabel("Name").fill("Desk mail");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByRole("button", { name: "Add e-mail channel" }).click();
  await expect(page.getByTestId("channel-created")).toContainText("Desk mail");

  // Webhook channel: the secret is shown once; the receiver gets it to verify signatures.
  await page.getByRole("radio", { name: "Webhook" }).click();
  await page.getByLabel("Name").fill("Hook");
  await page.getByLabel("Webhook URL").fill(`${RECEIVER}/hook`);
  await page.getByRole("button", { name: "Add webhook channel" }).click();
  const secret = (await page.getByTestId("signing-secret").textContent())!.trim();
  expect(secret).toMatch(/^qfwh_/);
  await request.post(`${RECEIVER}/control/secret`, { data: { secret } });

  // A webhook at a receiver that refuses everything.
  await page.getByRole("radio", { name: "Webhook" }).click();
  await page.getByLabel("Name").fill("Broken");
  await page.getByLabel("Webhook URL").fill(`${RECEIVER}/failing`);
  await page.getByRole("button", { name: "Add webhook channel" }).click();
  await expect(page.getByTestId("channel-created")).toContainText("Broken");

  // By the channel's heading ("Hook · Webhook"): its text alone would match the kind of every webhook.
  const channel = (name: string) => page.getByTestId("channel").filter({ has: page.getByRole("heading", { name: new RegExp(`^${name} ·`) }) });
  await channel("Desk mail").getByRole("button", { name: "Send a test" }).click();
  await expect(channel("Desk mail").getByTestId("channel-test-result")).toContainText("Test sent");
  await channel("Hook").getByRole("button", { name: "Send a test" }).click();
  await expect(channel("Hook").getByTestId("channel-test-result")).toContainText("Test sent: the receiver answered 200");
  await channel("Broken").getByRole("button", { name: "Send a test" }).click();
  await expect(channel("Broken").getByTestId("channel-test-result")).toContainText("Test failed: The receiver answered 400");

  // A scheduled workflow with an Alert node to all three.
  await page.goto("/workflows");
  const name = `Alerts ${Date.now()}`;
  await page.getByLabel("Import a workflow (JSON)").setInputFiles({ name: "alerts.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ quantflowWorkflow: 1, name, graph: graph("desk mail, hook, broken") })) });
  await expect(page.getByTestId("workflows-message")).toHaveText(`Imported "${name}".`);
  // An import arrives switched off: activate it.
  await page.getByRole("switch", { name: `Active: ${name}` }).click(); // a controlled switch: it turns on once the action answers
  await expect(page.getByRole("switch", { name: `Active: ${name}` })).toBeChecked();

  // The bell rises after the next tick (no reload: it polls).
  await page.goto("/charts");
  await expect(page.getByTestId("notification-count")).toHaveText(/^[1-9]/, { timeout: 150_000 });
  await page.getByTestId("notification-bell").click();
  await expect(page).toHaveURL(/\/notifications$/);
  const item = page.getByTestId("notification").filter({ hasText: "HPG above zero" }).first();
  await expect(item).toContainText(name);
  await expect(item).toContainText(/GMT\+7/);
  await expect(item.getByRole("link", { name: /^HPG: [\d,]+ VND/ })).toHaveAttribute("href", "/charts/HPG");
  await item.getByTestId("notification-run-link").click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]+\/runs\/[0-9a-f-]+$/);

  // The run page's delivery log: the e-mail and the webhook sent, the broken channel's error.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("run-delivery").filter({ hasText: "Desk mail" })).toHaveAttribute("data-state", "sent");
    await expect(page.getByTestId("run-delivery").filter({ hasText: /^Hook \(/ })).toHaveAttribute("data-state", "sent");
    await expect(page.getByTestId("run-delivery").filter({ hasText: "Broken" })).toContainText("The receiver answered 400");
  }).toPass({ timeout: 60_000 });

  // The e-mail arrived with the Vietnamese time; the webhook's signature verified.
  const state = (await (await request.get(`${RECEIVER}/control/state`)).json()) as { mails: { to: string[]; raw: string }[]; hits: { verified: boolean; body: { type: string; title: string } }[] };
  const mail = state.mails.filter((m) => m.to.includes(email) && m.raw.includes("HPG above zero"));
  expect(mail.length).toBeGreaterThanOrEqual(1);
  expect(mail[0]!.raw).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} GMT\+7/);
  const alerts = state.hits.filter((h) => h.body.type === "alert" && h.body.title === "HPG above zero");
  expect(alerts.length).toBeGreaterThanOrEqual(1);
  expect(alerts.every((h) => h.verified)).toBe(true);

  // Mark all read: the bell clears.
  await page.goto("/notifications");
  await page.getByTestId("mark-all-read").click();
  await expect(page.getByTestId("notifications-unread")).toHaveText("All read");
  await expect(page.getByTestId("notification-count")).toHaveCount(0);
});
