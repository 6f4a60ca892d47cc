/**
 * `npm run bench:alerts`: 1,000 alerts to 3 channels each (e-mail to a local SMTP server, a webhook receiver
 * that verifies the signature, a Telegram Bot API stand-in), delivered through pg-boss by two app instances
 * (two pools, two DeliveryWorkers on one schema), in a scratch database of its own. Reports deliveries per
 * second, p50/p95 from the run's end (the delivery row's creation) to the receiver, and the duplicates (same
 * run and channel received twice: must be 0). Baseline in the same process: the same load with one instance;
 * printed as a ratio. Options: --alerts 1000, --concurrency 4 (workers per instance).
 */
import pg from "pg";
import { parseEnv } from "../../lib/env";
import { Fernet, MultiFernet } from "../../lib/crypto/fernet";
import { createChannel } from "../../lib/notifications/channels";
import { DeliveryWorker, recordRunNotifications } from "../../lib/notifications/delivery";
import { AllowList } from "../../lib/notifications/net-guard";
import type { SenderConfig } from "../../lib/notifications/senders";
import { startSmtpReceiver, startTelegramStandIn, startWebhookReceiver } from "../../test/notification-receivers";
import { numberOption } from "./options";
import { withScratchDatabase } from "./scratch-database";

const log = (line: string) => console.log(`[bench:alerts] ${line}`);
const ALERTS = numberOption("alerts", 1000);
const CONCURRENCY = numberOption("concurrency", 4);

const serverUrl = parseEnv(process.env).DATABASE_URL;
if (!serverUrl) throw new Error("bench:alerts needs DATABASE_URL (a PostgreSQL server it may create a scratch database on)");

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function round(url: string, instances: number, label: string) {
  const smtp = await startSmtpReceiver();
  const hook = await startWebhookReceiver();
  const telegram = await startTelegramStandIn();
  const received = new Map<string, number[]>(); // "run|channel" → receive times
  const mark = (key: string) => received.set(key, [...(received.get(key) ?? []), Date.now()]);
  const cipher = new MultiFernet([Fernet.generateKey()]);
  const guard = { allow: new AllowList(["127.0.0.1"]) };
  const senders: SenderConfig = { smtpUrl: smtp.url, smtpFrom: "QuantFlow <alerts@quantflow.local>", telegramApiUrl: telegram.url, guard };
  const pools = Array.from({ length: instances }, () => new pg.Pool({ connectionString: url, max: CONCURRENCY + 4 }));
  for (const p of pools) p.on("error", () => undefined);
  const pool = pools[0]!;
  const schema = `pgboss_bench_${label}`;
  try {
    const { rows: u } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [`bench-${label}@alerts.example`]);
    const userId = u[0]!.id;
    const env = { cipher, smtpUrl: smtp.url, telegramApiUrl: telegram.url, guard };
    const web = await createChannel(pool, userId, { kind: "webhook", name: "Hook", url: hook.url }, env);
    hook.state.secret = web.signingSecret!;
    await createChannel(pool, userId, { kind: "email", name: "Mail", address: "desk@quantflow.test" }, env);
    await createChannel(pool, userId, { kind: "telegram", name: "TG", botToken: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", chatId: "42" }, env);
    // Receivers note each arrival by run id (the body names it) and channel.
    const hookRespond = hook.state.respond;
    hook.state.respond = (n) => {
      const hit = hook.state.hits[n - 1]!;
      if (!hit.verified) throw new Error(`a webhook failed verification: ${hit.why}`);
      mark(`${(hit.body as { runId: string }).runId}|webhook`);
      return hookRespond(n);
    };
    const graph = { schemaVersion: 1, nodes: [{ id: "alert", type: "output.alert", position: { x: 0, y: 0 }, data: { params: { title: "Bench alert", channels: "all", notify: "every" } } }], edges: [] };
    const { rows: w } = await pool.query<{ id: string }>("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, 'Bench', $2) RETURNING id", [userId, JSON.stringify(graph)]);
    const workflowId = w[0]!.id;
    const workers: DeliveryWorker[] = [];
    for (const p of pools) {
      const worker = new DeliveryWorker({ pool: p, cipher: () => cipher, senders: () => senders, schema, supervise: false, pollingIntervalSeconds: 0.5, concurrency: CONCURRENCY, backoffBaseMs: 200, log: () => {} });
      await worker.start();
      workers.push(worker);
    }
    const t0 = Date.now();
    const deliveryIds: string[] = [];
    for (let i = 0; i < ALERTS; i++) {
      const { rows: r } = await pool.query<{ id: string }>("INSERT INTO workflow_execution_logs (workflow_id, status) VALUES ($1, 'success') RETURNING id", [workflowId]);
      const rec = await recordRunNotifications(pool, { workflow: { id: workflowId, name: "Bench", userId, jsonGraph: graph }, runId: r[0]!.id, outputs: { alert: { alert: { symbols: ["HPG"] } } }, trigger: { kind: "schedule", at: "" } }, "http://127.0.0.1");
      deliveryIds.push(...rec.deliveries);
      // Every instance enqueues every delivery, as two instances ending the same run would: pg-boss keeps one job.
      await Promise.all(workers.map((wk) => Promise.all(rec.deliveries.map((id) => wk.enqueue(id)))));
    }
    const total = deliveryIds.length;
    for (;;) {
      const { rows } = await pool.query<{ n: number; f: number }>("SELECT count(*) FILTER (WHERE state IN ('sent', 'failed'))::int AS n, count(*) FILTER (WHERE state = 'failed')::int AS f FROM notification_deliveries");
      if (rows[0]!.n >= total) {
        if (rows[0]!.f > 0) log(`${rows[0]!.f} deliveries failed`);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - t0) / 1000;
    for (const wk of workers) await wk.stop();
    // Telegram and mail: one per run, matched by the link in the text (quoted-printable soft breaks undone).
    for (const m of telegram.state.messages) {
      const run = /runs\/([0-9a-f-]{36})/.exec(m.text)?.[1];
      if (run) mark(`${run}|telegram`);
    }
    for (const m of smtp.mails) {
      const run = /runs\/([0-9a-f-]{36})/.exec(m.raw.replace(/=\r?\n/g, ""))?.[1];
      if (run) received.set(`${run}|email`, [...(received.get(`${run}|email`) ?? []), Date.now()]);
    }
    const { rows: created } = await pool.query<{ run_id: string; channel_kind: string; created: string; sent: string }>(
      "SELECT run_id, channel_kind, extract(epoch FROM created_at) * 1000 AS created, extract(epoch FROM sent_at) * 1000 AS sent FROM notification_deliveries",
    );
    const latencies = created.map((r) => Number(r.sent) - Number(r.created));
    const duplicates = [...received.values()].filter((v) => v.length > 1).length;
    const missing = created.filter((r) => !received.has(`${r.run_id}|${r.channel_kind}`)).length;
    return { instances, total, seconds, perSecond: total / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), duplicates, missing };
  } finally {
    for (const p of pools) await p.end().catch(() => {});
    await Promise.all([smtp.close(), hook.close(), telegram.close()]);
  }
}

await withScratchDatabase(serverUrl, { label: "alerts", log, pool: { max: 2 } }, async (db) => {
  log(`${ALERTS} alerts × 3 channels, ${CONCURRENCY} workers per instance`);
  const one = await round(db.url, 1, "one");
  log(`1 instance : ${one.total} deliveries in ${one.seconds.toFixed(1)} s = ${one.perSecond.toFixed(1)}/s; run end → delivered p50 ${one.p50.toFixed(0)} ms, p95 ${one.p95.toFixed(0)} ms; duplicates ${one.duplicates}, missing ${one.missing}`);
  await db.pool.query("TRUNCATE notification_deliveries, notifications, notification_alert_states, notification_channels, workflow_execution_logs, workflows CASCADE");
  const two = await round(db.url, 2, "two");
  log(`2 instances: ${two.total} deliveries in ${two.seconds.toFixed(1)} s = ${two.perSecond.toFixed(1)}/s; run end → delivered p50 ${two.p50.toFixed(0)} ms, p95 ${two.p95.toFixed(0)} ms; duplicates ${two.duplicates}, missing ${two.missing}`);
  log(`ratio (2 instances / 1 instance): throughput ×${(two.perSecond / one.perSecond).toFixed(2)}, p95 ×${(two.p95 / one.p95).toFixed(2)}`);
  if (one.duplicates + two.duplicates > 0 || one.missing + two.missing > 0) process.exitCode = 1;
});
