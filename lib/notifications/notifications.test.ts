/**
 * Notifications against real parts: this run's PostgreSQL (channels, centre, deliveries, pg-boss in a
 * schema of this file's own), a real SMTP server (smtp-server), a webhook receiver that verifies the
 * signature, and a stand-in of Telegram's Bot API (its JSON, with 429 and retry_after).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fernet, MultiFernet } from "@/lib/crypto/fernet";
import { rotateChannelSecrets } from "@/lib/crypto/rotate-stored-secrets";
import { testPool } from "@/test/db";
import { startSmtpReceiver, startTelegramStandIn, startWebhookReceiver } from "@/test/notification-receivers";
import { markRead, listNotifications, markReadSchema } from "./centre";
import { createChannel, listChannels, openChannel, PAUSE_AFTER_FAILURES, type ChannelEnv } from "./channels";
import { backoffMs, deliveriesOfRun, DeliveryWorker, recordRunNotifications, type RunEnded } from "./delivery";
import { escapeMarkdownV2, telegramText, testMessage, type NotificationMessage } from "./message";
import { AllowList, guardedPost, urlProblem, type GuardOptions } from "./net-guard";
import { deliver, sendTelegram, type SenderConfig } from "./senders";

const pool = testPool();
const KEY = Fernet.generateKey();
const cipher = new MultiFernet([KEY]);
const allowLocal: GuardOptions = { allow: new AllowList(["127.0.0.1"]) };
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let telegram: Awaited<ReturnType<typeof startTelegramStandIn>>;
let senders: SenderConfig;
let channelEnv: ChannelEnv;
const BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

async function newUser(label: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [`${label}-${randomUUID()}@notify.example`]);
  return rows[0]!.id;
}

async function newRun(userId: string, graph: unknown, name = "Golden cross on VN30"): Promise<{ workflowId: string; runId: string; graph: unknown; name: string }> {
  const w = await pool.query<{ id: string }>("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, $2, $3) RETURNING id", [userId, `${name} ${randomUUID().slice(0, 6)}`, JSON.stringify(graph)]);
  const r = await pool.query<{ id: string }>("INSERT INTO workflow_execution_logs (workflow_id, status) VALUES ($1, 'success') RETURNING id", [w.rows[0]!.id]);
  return { workflowId: w.rows[0]!.id, runId: r.rows[0]!.id, graph, name };
}

const alertGraph = (params: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  nodes: [{ id: "alert", type: "output.alert", position: { x: 0, y: 0 }, data: { params: { title: "Golden cross", severity: "warning", ...params } } }],
  edges: [],
});
const alertOutput = (symbols: string[]) => ({ alert: { alert: { title: "Golden cross", severity: "warning", message: "", symbols, at: "", barTime: null, leftOut: [] } } });

function ended(userId: string, run: { workflowId: string; runId: string; graph: unknown; name: string }, symbols: string[], trigger: "schedule" | "manual" = "schedule"): RunEnded {
  return { workflow: { id: run.workflowId, name: run.name, userId, jsonGraph: run.graph }, runId: run.runId, outputs: alertOutput(symbols), trigger: { kind: trigger, at: "2026-12-02T15:15:00+07:00" } };
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  hook = await startWebhookReceiver();
  telegram = await startTelegramStandIn();
  senders = { smtpUrl: smtp.url, smtpFrom: "QuantFlow <alerts@quantflow.local>", telegramApiUrl: telegram.url, guard: allowLocal, smtpTimeoutMs: 5_000 };
  channelEnv = { cipher, smtpUrl: smtp.url, telegramApiUrl: telegram.url, guard: allowLocal };
  await pool.query("INSERT INTO market_symbols (symbol, name, kind, exchange) VALUES ('NTFA', 'Notify A', 'stock', 'HOSE'), ('NTFB', 'Notify B', 'stock', 'HOSE') ON CONFLICT DO NOTHING");
  // Two sessions of NTFA: 25,600 then 25,950 VND (+350, +1.37 %).
  await pool.query(
    `INSERT INTO market_candles (symbol, time, open, high, low, close, volume) VALUES
     ('NTFA', '2026-12-01 07:59:00+00', 25500, 25700, 25400, 25600, 1000),
     ('NTFA', '2026-12-02 07:59:00+00', 25600, 26000, 25600, 25950, 1200)`,
  );
});
afterAll(async () => {
  await Promise.all([smtp?.close(), hook?.close(), telegram?.close()]);
});

describe("messages", () => {
  it("escapes every MarkdownV2 special character for Telegram, and the link's ) and \\", () => {
    expect(escapeMarkdownV2("_*[]()~`>#+-=|{}.!\\")).toBe("\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\");
    const m: NotificationMessage = { ...testMessage("https://qf.example"), title: "RSI(14) < 30!", link: "https://qf.example/x_(y)" };
    const text = telegramText(m);
    expect(text).toContain("*RSI\\(14\\) < 30\\!*");
    expect(text).toContain("[Open the run](https://qf.example/x_(y\\))");
    expect(text).toContain("HPG: 25,950 VND \\(\\+350, \\+1\\.37 %\\)");
    expect(text).toContain("GMT\\+7");
  });
});

describe("the SSRF guard", () => {
  const noAllow: GuardOptions = { allow: new AllowList([]) };
  it("refuses plain http, loopback, private, link-local and IPv4-mapped addresses unless allowed", async () => {
    expect(await urlProblem("http://hooks.example.com/x", noAllow)).toMatch(/must use https/);
    expect(await urlProblem("ftp://hooks.example.com/x", noAllow)).toMatch(/https:\/\//);
    expect(await urlProblem("https://127.0.0.1/x", noAllow)).toMatch(/private, loopback or link-local/);
    expect(await urlProblem("https://169.254.169.254/latest/meta-data", noAllow)).toMatch(/169\.254\.169\.254/);
    expect(await urlProblem("https://[::ffff:10.0.0.1]/x", noAllow)).toMatch(/private/);
    expect(await urlProblem("https://[fd00::1]/x", noAllow)).toMatch(/private/);
    expect(await urlProblem("https://93.184.215.14/x", noAllow)).toBeUndefined();
    // Allowed by CIDR: then http too.
    expect(await urlProblem("http://10.1.2.3/x", { allow: new AllowList(["10.0.0.0/8"]) })).toBeUndefined();
  });

  it("checks what a name resolves to (a public-looking name pointing inside is refused)", async () => {
    const lookup = ((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) => cb(null, [{ address: "192.168.1.5", family: 4 }])) as never;
    expect(await urlProblem("https://hooks.example.com/x", { allow: new AllowList([]), lookup })).toMatch(/hooks\.example\.com = 192\.168\.1\.5/);
    await expect(guardedPost("https://hooks.example.com/x", "{}", {}, { allow: new AllowList([]), lookup })).rejects.toThrow(/192\.168\.1\.5/);
  });

  it("gives up on an answer over 1 MB or slower than the timeout, with a clear message", async () => {
    hook.state.respond = () => ({ status: 200, body: "x".repeat(1024 * 1024 + 10) });
    await expect(guardedPost(hook.url, "{}", {}, allowLocal)).rejects.toThrow(/over 1024 KB/);
    hook.state.respond = () => ({ status: 200, body: "late", delayMs: 1_500 });
    await expect(guardedPost(hook.url, "{}", {}, { ...allowLocal, timeoutMs: 300 })).rejects.toMatchObject({ message: "The receiver did not answer within 0.3 s.", retryable: true });
    hook.state.respond = () => ({ status: 200, body: "ok" });
  });
});

describe("channels", () => {
  it("refuses bad input with a clear message and stores nothing", async () => {
    const user = await newUser("bad");
    const bad: [unknown, RegExp][] = [
      [{ kind: "email", name: "Me", address: "not-an-address" }, /e-mail address/],
      [{ kind: "telegram", name: "TG", botToken: "12345", chatId: "1" }, /bot token looks like/],
      [{ kind: "telegram", name: "TG", botToken: BOT_TOKEN, chatId: "chat; drop" }, /chat id is a number/],
      [{ kind: "webhook", name: "Hook", url: "http://hooks.example.com/x" }, /must use https/],
      [{ kind: "webhook", name: "Hook", url: "https://10.0.0.8/x" }, /private, loopback or link-local/],
      [{ kind: "sms", name: "x" }, /kind must be/],
      [{ kind: "email", name: "", address: "a@b.vn" }, /name/],
    ];
    for (const [input, message] of bad) await expect(createChannel(pool, user, input, { ...channelEnv, guard: { allow: new AllowList([]) } })).rejects.toThrow(message);
    await expect(createChannel(pool, user, { kind: "email", name: "Me", address: "a@b.vn" }, { ...channelEnv, smtpUrl: undefined })).rejects.toThrow(/SMTP_URL/);
    await expect(createChannel(pool, user, { kind: "webhook", name: "Hook", url: hook.url }, { ...channelEnv, cipher: undefined })).rejects.toThrow(/FERNET_KEYS/);
    expect(await listChannels(pool, user)).toEqual([]);
  });

  it("stores secrets Fernet-encrypted, shows the webhook secret once, never lists a secret", async () => {
    const user = await newUser("secrets");
    const made = await createChannel(pool, user, { kind: "webhook", name: "Hook", url: hook.url }, channelEnv);
    expect(made.signingSecret).toMatch(/^qfwh_/);
    await createChannel(pool, user, { kind: "telegram", name: "TG", botToken: BOT_TOKEN, chatId: "-1001234567890" }, channelEnv);
    const { rows } = await pool.query<{ secret: string }>("SELECT secret FROM notification_channels WHERE user_id = $1", [user]);
    for (const r of rows) {
      expect(r.secret).not.toContain(BOT_TOKEN);
      expect(r.secret).not.toContain(made.signingSecret!);
    }
    expect(cipher.decrypt(rows.map((r) => r.secret).find((s) => cipher.decrypt(s) === BOT_TOKEN)!)).toBe(BOT_TOKEN);
    const listed = JSON.stringify(await listChannels(pool, user));
    expect(listed).not.toContain(BOT_TOKEN);
    expect(listed).not.toContain(made.signingSecret!);
    // Key rotation (npm run secrets:rotate) re-encrypts them under the new first key; the old key can go.
    const newKey = Fernet.generateKey();
    await expect(rotateChannelSecrets(pool, new MultiFernet([newKey]), user)).rejects.toThrow(/cannot be decrypted/);
    expect(await rotateChannelSecrets(pool, new MultiFernet([newKey, KEY]), user)).toEqual({ total: 2, reencrypted: 2, alreadyCurrent: 0 });
    const { rows: rotated } = await pool.query<{ secret: string }>("SELECT secret FROM notification_channels WHERE user_id = $1", [user]);
    expect(rotated.map((r) => new MultiFernet([newKey]).decrypt(r.secret)).sort()).toEqual([BOT_TOKEN, made.signingSecret!].sort());
    await expect(createChannel(pool, user, { kind: "webhook", name: "hook", url: hook.url }, channelEnv)).resolves.toBeDefined();
    await expect(createChannel(pool, user, { kind: "webhook", name: "Hook", url: hook.url }, channelEnv)).rejects.toThrow(/already have a channel named/);
  });

  it("sends a test through each kind: the mail arrives, the webhook's signature verifies, Telegram gets MarkdownV2", async () => {
    const user = await newUser("tests");
    const email = await createChannel(pool, user, { kind: "email", name: "Mail", address: "analyst@quantflow.test" }, channelEnv);
    const web = await createChannel(pool, user, { kind: "webhook", name: "Hook", url: hook.url }, channelEnv);
    const tg = await createChannel(pool, user, { kind: "telegram", name: "TG", botToken: BOT_TOKEN, chatId: "-1001234567890" }, channelEnv);
    hook.state.secret = web.signingSecret!;
    const mails = smtp.mails.length;
    const hits = hook.state.hits.length;
    for (const c of [email, web, tg]) {
      const open = (await openChannel(pool, user, c.channel.id, cipher))!.open;
      await expect(deliver(open, testMessage("http://qf.test"), senders, true)).resolves.toBeTruthy();
    }
    expect(smtp.mails.length).toBe(mails + 1);
    expect(smtp.mails.at(-1)!.to).toEqual(["analyst@quantflow.test"]);
    expect(smtp.mails.at(-1)!.raw).toMatch(/GMT\+7/);
    expect(hook.state.hits.length).toBe(hits + 1);
    expect(hook.state.hits.at(-1)).toMatchObject({ verified: true, body: { type: "test", title: "Test notification" } });
    expect(telegram.state.messages.at(-1)).toMatchObject({ token: BOT_TOKEN, chat_id: "-1001234567890", parse_mode: "MarkdownV2" });
  });

  it("reads Telegram's 429 retry_after and its refusals", async () => {
    telegram.state.respond = () => ({ status: 429, body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } } });
    await expect(sendTelegram(BOT_TOKEN, "1", testMessage("http://qf.test"), senders)).rejects.toMatchObject({ retryable: true, retryAfterMs: 7_000 });
    telegram.state.respond = () => ({ status: 400, body: { ok: false, error_code: 400, description: "Bad Request: chat not found" } });
    await expect(sendTelegram(BOT_TOKEN, "1", testMessage("http://qf.test"), senders)).rejects.toMatchObject({ retryable: false, message: "Telegram refused the message: Bad Request: chat not found" });
    telegram.state.respond = () => undefined;
  });
});

describe("the centre", () => {
  it("lists newest first with the unread count; marks one or all read, only the user's own", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const ids: string[] = [];
    for (const [i, who] of [alice, alice, bob].entries()) {
      const { rows } = await pool.query<{ id: string }>("INSERT INTO notifications (user_id, title, created_at) VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING id", [who, `n${i}`, i]);
      ids.push(rows[0]!.id);
    }
    const list = await listNotifications(pool, alice);
    expect(list.notifications.map((n) => n.title)).toEqual(["n1", "n0"]);
    expect(list.unread).toBe(2);
    // Bob's id in alice's request changes nothing of his.
    expect(await markRead(pool, alice, { ids: [ids[0]!, ids[2]!] })).toEqual({ marked: 1, unread: 1 });
    expect((await listNotifications(pool, bob)).unread).toBe(1);
    expect(await markRead(pool, alice, { all: true })).toEqual({ marked: 1, unread: 0 });
    expect(markReadSchema.safeParse({ ids: ["x"] }).success).toBe(false);
    expect(markReadSchema.safeParse({ all: false }).success).toBe(false);
    // Deleted with the account.
    await pool.query("DELETE FROM users WHERE id = $1", [alice]);
    expect((await pool.query("SELECT count(*)::int AS n FROM notifications WHERE user_id = $1", [alice])).rows[0].n).toBe(0);
  });
});

describe("delivery through pg-boss", () => {
  const schema = `pgboss_notify_${randomUUID().slice(0, 8)}`;
  const workers: DeliveryWorker[] = [];
  const worker = async (overrides: Partial<ConstructorParameters<typeof DeliveryWorker>[0]> = {}) => {
    const w = new DeliveryWorker({ pool, cipher: () => cipher, senders: () => senders, schema, supervise: false, pollingIntervalSeconds: 0.5, backoffBaseMs: 200, log: () => {}, sweepIntervalMs: 60_000, ...overrides });
    await w.start();
    workers.push(w);
    return w;
  };
  afterAll(async () => {
    for (const w of workers) await w.stop().catch(() => {});
  });
  const settle = async (runId: string, userId: string, n: number) => {
    for (let i = 0; i < 200; i++) {
      const rows = await deliveriesOfRun(pool, userId, runId);
      if (rows.length === n && rows.every((r) => r.state === "sent" || r.state === "failed")) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`deliveries of ${runId} did not settle: ${JSON.stringify(await deliveriesOfRun(pool, userId, runId))}`);
  };

  it("delivers a scheduled alert once per channel with two instances, retrying Telegram's 429 after retry_after", async () => {
    const [a, b] = [await worker(), await worker()];
    const user = await newUser("deliver");
    const web = await createChannel(pool, user, { kind: "webhook", name: "Hook", url: hook.url }, channelEnv);
    hook.state.secret = web.signingSecret!;
    await createChannel(pool, user, { kind: "email", name: "Mail", address: "desk@quantflow.test" }, channelEnv);
    await createChannel(pool, user, { kind: "telegram", name: "TG", botToken: BOT_TOKEN, chatId: "42" }, channelEnv);
    const run = await newRun(user, alertGraph({ channels: "all" }));
    const hits = hook.state.hits.length;
    const mails = smtp.mails.length;
    const tgBefore = telegram.state.messages.length;
    telegram.state.respond = (n) => (n === tgBefore + 1 ? { status: 429, body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } } : undefined);
    const recorded = await recordRunNotifications(pool, ended(user, run, ["NTFA", "NTFB"]), "https://qf.example");
    expect(recorded).toMatchObject({ notifications: 1 });
    expect(recorded.deliveries).toHaveLength(3);
    // Both instances enqueue every delivery (as two instances finishing the same run would): one job each.
    const t0 = Date.now();
    for (const id of recorded.deliveries) await Promise.all([a.enqueue(id), b.enqueue(id)]);
    const rows = await settle(run.runId, user, 3);
    expect(rows.map((r) => [r.channelName, r.state, r.attempts]).sort()).toEqual([["Hook", "sent", 1], ["Mail", "sent", 1], ["TG", "sent", 2]]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000); // retry_after honoured
    expect(hook.state.hits.length - hits).toBe(1);
    expect(hook.state.hits.at(-1)).toMatchObject({ verified: true, body: { type: "alert", title: "Golden cross", symbols: [{ symbol: "NTFA", close: "25950", change: "350", changePct: "1.37" }, { symbol: "NTFB", close: null }] } });
    expect(smtp.mails.length - mails).toBe(1);
    expect(smtp.mails.at(-1)!.raw).toContain("NTFA: 25,950 VND (+350, +1.37 %)");
    expect(smtp.mails.at(-1)!.raw).toMatch(/02\/12\/2026 15:15 GMT\+7|GMT\+7/);
    expect(telegram.state.messages.length - tgBefore).toBe(2);
    telegram.state.respond = () => undefined;
    // A second record of the same run adds no delivery (unique run, channel).
    const again = await recordRunNotifications(pool, ended(user, run, ["NTFA"]), "https://qf.example");
    expect(again.deliveries).toEqual([]);
  });

  it("notifies only when the symbols changed, and not for a manual run unless asked", async () => {
    const user = await newUser("changed");
    const base = await newRun(user, alertGraph());
    // Each step is a run of its own (a row, for the foreign key) of the same workflow.
    const step = async (symbols: string[], trigger: "schedule" | "manual" = "schedule") => {
      const r = await pool.query<{ id: string }>("INSERT INTO workflow_execution_logs (workflow_id, status) VALUES ($1, 'success') RETURNING id", [base.workflowId]);
      return (await recordRunNotifications(pool, { ...ended(user, base, symbols, trigger), runId: r.rows[0]!.id }, "https://qf.example")).notifications;
    };
    expect(await step(["NTFA"])).toBe(1);
    expect(await step(["NTFA"])).toBe(0); // unchanged
    expect(await step(["NTFA", "NTFB"])).toBe(1);
    expect(await step([])).toBe(0); // nothing holds: cleared
    expect(await step(["NTFA", "NTFB"])).toBe(1); // back: notified again
    expect(await step(["NTFA"], "manual")).toBe(0); // a manual run, not asked
  });

  it("gives up after the attempts with the reason, and pauses a channel that keeps failing (a notice in the centre)", async () => {
    // The only instance now, with 2 attempts (the others would retry 5 times).
    for (const w of workers.splice(0)) await w.stop();
    await worker({ maxAttempts: 2 });
    const user = await newUser("failing");
    const web = await createChannel(pool, user, { kind: "webhook", name: "Broken", url: hook.url }, channelEnv);
    hook.state.secret = web.signingSecret!;
    hook.state.respond = () => ({ status: 503, body: "down for maintenance", headers: { "retry-after": "0" } });
    const graph = alertGraph({ channels: "broken", notify: "every" });
    const runs = [];
    for (let i = 0; i < PAUSE_AFTER_FAILURES; i++) {
      const run = await newRun(user, graph);
      runs.push(run);
      const rec = await recordRunNotifications(pool, ended(user, run, ["NTFA"]), "https://qf.example");
      for (const id of rec.deliveries) await workers.at(-1)!.enqueue(id);
      const [row] = await settle(run.runId, user, 1);
      expect(row).toMatchObject({ state: "failed", attempts: 2 });
      expect(row!.error).toBe("The receiver answered 503: down for maintenance (after 2 attempts)");
    }
    hook.state.respond = () => ({ status: 200, body: "ok" });
    const [channel] = await listChannels(pool, user);
    expect(channel).toMatchObject({ consecutiveFailures: PAUSE_AFTER_FAILURES });
    expect(channel!.pausedAt).not.toBeNull();
    const centre = await listNotifications(pool, user);
    expect(centre.notifications.filter((n) => n.kind === "channel-paused").map((n) => n.title)).toEqual(['Channel "Broken" paused']);
    // The next run records the paused channel's delivery as failed, saying so; nothing is sent.
    const hits = hook.state.hits.length;
    const run = await newRun(user, graph);
    const rec = await recordRunNotifications(pool, ended(user, run, ["NTFA"]), "https://qf.example");
    expect(rec.deliveries).toEqual([]);
    expect((await deliveriesOfRun(pool, user, run.runId))[0]).toMatchObject({ state: "failed", error: expect.stringMatching(/paused/) });
    expect(hook.state.hits.length).toBe(hits);
  });

  it("backs off exponentially, or as Retry-After says", () => {
    expect(backoffMs(1, undefined, 1000, 60_000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, undefined, 1000, 60_000, () => 0.5)).toBe(4000);
    expect(backoffMs(3, 2500, 1000, 60_000)).toBe(2500);
    expect(backoffMs(10, undefined, 1000, 60_000, () => 0.5)).toBe(60_000);
  });
});
