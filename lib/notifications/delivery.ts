/**
 * From a finished run to the analyst: the centre's rows and one delivery per (run, channel), sent through
 * pg-boss.
 *
 * - When a run ends (lib/workflows/run.ts), each Alert node (and Signal list, if asked) whose notify
 *   parameter says so adds a notification to the owner's centre and a notification_deliveries row per named
 *   channel, in one transaction. The row is unique per (run, channel): a second writer of the same run
 *   inserts nothing. "changed" compares the symbols with those the node last notified about
 *   (notification_alert_states). A manual run notifies only with notifyManualRuns.
 * - Each delivery attempt is one pg-boss job whose id is derived from (delivery, attempt): two instances
 *   sending it create one job; pg-boss hands it to one worker; the worker claims the attempt with a guarded
 *   UPDATE (attempts = n - 1), so an attempt runs once even if a job were delivered twice.
 * - Timeouts, 429 and 5xx retry with exponential backoff (Retry-After / retry_after when given) up to
 *   maxAttempts; a final failure counts against the channel, which pauses after PAUSE_AFTER_FAILURES in a row
 *   (a notice goes to the centre). Everything is recorded on the row: the run page shows it.
 */
import { createHash } from "node:crypto";
import type PgBoss from "pg-boss";
import { bossOnPool, ensureQueue } from "@/lib/jobs/boss";
import type { MultiFernet } from "@/lib/crypto/fernet";
import { inTransaction, type JobPool } from "@/lib/jobs/queue";
import type { Queryable } from "@/lib/market/queryable";
import { toVnIso } from "@/lib/time";
import { alertNode, signalListNode } from "@/lib/workflows/nodes/outputs";
import type { Alert, TriggerEvent } from "@/lib/workflows/types";
import { openChannel, recordChannelFailure, recordChannelSuccess, type ChannelKind } from "./channels";
import { quotesOf, type NotificationMessage, type Severity } from "./message";
import { DeliveryError } from "./net-guard";
import { deliver, type SenderConfig } from "./senders";

export const DELIVERY_QUEUE = "quantflow-notification-delivery";
export const DEFAULT_MAX_ATTEMPTS = 5;

export type DeliveryState = "queued" | "sending" | "retrying" | "sent" | "failed";

export interface DeliveryRow {
  id: string;
  channelId: string | null;
  channelKind: ChannelKind;
  channelName: string;
  state: DeliveryState;
  attempts: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

interface GraphNode {
  id?: unknown;
  type?: unknown;
  data?: { params?: unknown };
}

export interface RunEnded {
  workflow: { id: string; name: string; userId: string; jsonGraph: unknown };
  runId: string;
  /** Node outputs by id (RunResult.nodes[id].output). */
  outputs: Record<string, unknown>;
  trigger: TriggerEvent;
  now?: Date;
}

/** What one output node has to say, if anything. */
interface Firing {
  nodeId: string;
  title: string;
  severity: Severity;
  body: string;
  symbols: string[];
  kind: "alert" | "signals";
  channels: string;
  mode: "changed" | "every";
}

function firingsOf(ended: RunEnded): { firings: Firing[]; cleared: string[] } {
  const nodes = (ended.workflow.jsonGraph as { nodes?: unknown })?.nodes;
  const firings: Firing[] = [];
  const cleared: string[] = [];
  if (!Array.isArray(nodes)) return { firings, cleared };
  for (const node of nodes as GraphNode[]) {
    if (typeof node?.id !== "string" || (node.type !== alertNode.type && node.type !== signalListNode.type)) continue;
    const def = node.type === alertNode.type ? alertNode : signalListNode;
    const parsed = def.params.safeParse(node.data?.params ?? {});
    if (!parsed.success) continue;
    const p = parsed.data as { notify: "changed" | "every" | "never"; channels: string; notifyManualRuns: boolean; title?: string; severity?: Severity; message?: string; reason?: string };
    if (p.notify === "never" || (ended.trigger.kind === "manual" && !p.notifyManualRuns)) continue;
    const out = ended.outputs[node.id] as Record<string, unknown> | undefined;
    let symbols: string[] = [];
    if (node.type === alertNode.type) symbols = ((out?.alert as Alert | null | undefined)?.symbols ?? []).slice();
    else {
      const rows = out?.signals as unknown;
      const list = Array.isArray(rows) ? rows : ((rows as { head?: unknown[]; tail?: unknown[] } | undefined)?.head ?? []).concat((rows as { tail?: unknown[] })?.tail ?? []);
      symbols = [...new Set((list as { symbol?: unknown }[]).map((r) => r?.symbol).filter((s): s is string => typeof s === "string"))];
    }
    symbols.sort();
    if (symbols.length === 0) {
      cleared.push(node.id);
      continue;
    }
    firings.push({
      nodeId: node.id,
      kind: node.type === alertNode.type ? "alert" : "signals",
      title: p.title ?? `Signals: ${p.reason ?? ""}`.slice(0, 200),
      severity: p.severity ?? "info",
      body: p.message ?? p.reason ?? "",
      symbols,
      channels: p.channels,
      mode: p.notify,
    });
  }
  return { firings, cleared };
}

/** Channel names of a node's `channels` parameter ("all", or names separated by commas), lower-cased. */
export function channelNames(param: string): "all" | string[] {
  const names = param.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  return names.includes("all") ? "all" : names;
}

/**
 * Records what a finished run notifies (centre rows, delivery rows) in one transaction; answers the new
 * deliveries' ids (to enqueue). Called once per run; a second call for the same run adds nothing to the
 * channels (unique run, channel) but would add centre rows, so callers call it once.
 */
export async function recordRunNotifications(pool: JobPool, ended: RunEnded, publicUrl: string): Promise<{ notifications: number; deliveries: string[] }> {
  const { firings, cleared } = firingsOf(ended);
  const now = ended.now ?? new Date();
  if (firings.length === 0 && cleared.length === 0) return { notifications: 0, deliveries: [] };
  const quotes = new Map((await quotesOf(pool, [...new Set(firings.flatMap((f) => f.symbols))], now)).map((q) => [q.symbol, q]));
  return inTransaction(pool, async (tx) => {
    for (const nodeId of cleared) {
      await tx.query("UPDATE notification_alert_states SET symbols = '[]'::jsonb, updated_at = now() WHERE workflow_id = $1 AND node_id = $2", [ended.workflow.id, nodeId]);
    }
    let notifications = 0;
    const deliveries: string[] = [];
    const claimed = new Set<string>();
    const { rows: channels } = await tx.query("SELECT id, kind, name, paused_at FROM notification_channels WHERE user_id = $1 ORDER BY created_at, id", [ended.workflow.userId]);
    for (const f of firings) {
      // The previous set, locked: two writers of one workflow's runs compare in turn.
      const { rows: prev } = await tx.query("SELECT symbols FROM notification_alert_states WHERE workflow_id = $1 AND node_id = $2 FOR UPDATE", [ended.workflow.id, f.nodeId]);
      const before = prev[0] ? JSON.stringify(prev[0].symbols) : undefined;
      await tx.query(
        `INSERT INTO notification_alert_states (workflow_id, node_id, symbols) VALUES ($1, $2, $3)
         ON CONFLICT (workflow_id, node_id) DO UPDATE SET symbols = EXCLUDED.symbols, updated_at = now()`,
        [ended.workflow.id, f.nodeId, JSON.stringify(f.symbols)],
      );
      if (f.mode === "changed" && before === JSON.stringify(f.symbols)) continue;
      const message: NotificationMessage = {
        workflow: { id: ended.workflow.id, name: ended.workflow.name },
        runId: ended.runId,
        title: f.title,
        severity: f.severity,
        body: f.body,
        symbols: f.symbols.map((s) => quotes.get(s) ?? { symbol: s, close: null, change: null, changePct: null }),
        at: toVnIso(now),
        link: `${publicUrl}/workflows/${ended.workflow.id}/runs/${ended.runId}`,
      };
      await tx.query(
        "INSERT INTO notifications (user_id, kind, workflow_id, run_id, title, severity, body, symbols) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [ended.workflow.userId, f.kind, ended.workflow.id, ended.runId, f.title, f.severity, f.body, JSON.stringify(message.symbols)],
      );
      notifications++;
      const wanted = channelNames(f.channels);
      for (const c of channels) {
        if (claimed.has(c.id as string)) continue; // one delivery per (run, channel): the first node naming it
        if (wanted !== "all" && !wanted.includes(String(c.name).toLowerCase())) continue;
        claimed.add(c.id as string);
        const paused = c.paused_at ? `the channel is paused (since ${toVnIso(c.paused_at as Date)}): send a test under Settings → Notifications to resume it` : null;
        const { rows } = await tx.query(
          `INSERT INTO notification_deliveries (user_id, run_id, channel_id, channel_kind, channel_name, state, error, message)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (run_id, channel_id) DO NOTHING RETURNING id`,
          [ended.workflow.userId, ended.runId, c.id, c.kind, c.name, paused ? "failed" : "queued", paused, JSON.stringify(message)],
        );
        if (rows[0] && !paused) deliveries.push(rows[0].id as string);
      }
    }
    return { notifications, deliveries };
  });
}

/** The run's deliveries, if the run is the user's (else an empty list). */
export async function deliveriesOfRun(q: Queryable, userId: string, runId: string): Promise<DeliveryRow[]> {
  const { rows } = await q.query(
    "SELECT * FROM notification_deliveries WHERE run_id = $1 AND user_id = $2 ORDER BY created_at, channel_name",
    [runId, userId],
  );
  return rows.map((r) => ({
    id: r.id as string,
    channelId: (r.channel_id as string | null) ?? null,
    channelKind: r.channel_kind as ChannelKind,
    channelName: r.channel_name as string,
    state: r.state as DeliveryState,
    attempts: r.attempts as number,
    error: (r.error as string | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    sentAt: (r.sent_at as Date | null) ?? null,
  }));
}

/** A uuid (v5 layout) from (delivery, attempt): the same attempt has one pg-boss job id on every instance. */
export function attemptJobId(deliveryId: string, attempt: number): string {
  const h = createHash("sha1").update(`notification-delivery|${deliveryId}|${attempt}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Backoff before attempt n+1 after attempt n failed: Retry-After when given (capped), else base·2^(n-1) with ±20 % jitter. */
export function backoffMs(attempt: number, retryAfter: number | undefined, baseMs: number, maxMs: number, random = Math.random): number {
  if (retryAfter !== undefined) return Math.min(Math.max(retryAfter, 0), maxMs);
  return Math.min(baseMs * 2 ** (attempt - 1) * (0.8 + 0.4 * random()), maxMs);
}

export interface DeliveryWorkerOptions {
  pool: JobPool;
  cipher: () => MultiFernet | undefined;
  senders: () => SenderConfig;
  schema?: string;
  maxAttempts?: number;
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  pollingIntervalSeconds?: number;
  /** Local workers (deliveries at once on this instance). */
  concurrency?: number;
  /** How often queued deliveries without a job (no worker was up when they were recorded) are picked up. */
  sweepIntervalMs?: number;
  supervise?: boolean;
  log?: (line: string) => void;
}

interface AttemptJob {
  deliveryId: string;
  attempt: number;
}

export class DeliveryWorker {
  readonly boss: PgBoss;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly log: (line: string) => void;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.log = options.log ?? ((line) => console.log(`[notifications] ${line}`));
    this.boss = bossOnPool(options, this.log);
  }

  async start(): Promise<void> {
    await this.boss.start();
    await ensureQueue(this.boss, DELIVERY_QUEUE, 120);
    for (let i = 0; i < (this.options.concurrency ?? 4); i++) {
      await this.boss.work<AttemptJob>(DELIVERY_QUEUE, { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 1 }, async ([job]) => {
        if (job) await this.attempt(job.data).catch((e: Error) => this.log(`delivery ${job.data.deliveryId}: ${e.message}`));
      });
    }
    await this.sweep().catch(() => {});
    this.timer = setInterval(() => void this.sweep().catch((e: Error) => this.log(`sweep failed: ${e.message}`)), this.options.sweepIntervalMs ?? 30_000);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.boss.stop({ graceful: true, wait: true, timeout: 5_000, close: false });
  }

  /** Sends the job of a delivery's next attempt (a no-op when that job exists already). */
  async enqueue(deliveryId: string, attempt = 1, delayMs = 0): Promise<void> {
    await this.boss.send(DELIVERY_QUEUE, { deliveryId, attempt } satisfies AttemptJob, {
      id: attemptJobId(deliveryId, attempt),
      retryLimit: 0,
      ...(delayMs > 0 ? { startAfter: new Date(Date.now() + delayMs) } : {}),
    });
  }

  /** Deliveries recorded with no worker up, or whose instance died mid-send: their next attempt is (re)sent. */
  async sweep(): Promise<void> {
    const { rows } = await this.options.pool.query(
      `UPDATE notification_deliveries SET state = CASE WHEN state = 'sending' THEN 'retrying' ELSE state END, updated_at = now()
        WHERE (state = 'queued' AND updated_at < now() - interval '20 seconds')
           OR (state = 'sending' AND updated_at < now() - interval '2 minutes')
        RETURNING id, attempts`,
    );
    for (const r of rows) await this.enqueue(r.id as string, (r.attempts as number) + 1);
  }

  /** One attempt of one delivery; answers what happened (tests read it). */
  async attempt(job: AttemptJob): Promise<DeliveryState | "skipped"> {
    const { pool } = this.options;
    const { rows } = await pool.query(
      `UPDATE notification_deliveries SET state = 'sending', attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND attempts = $2 AND state IN ('queued', 'retrying') RETURNING *`,
      [job.deliveryId, job.attempt - 1],
    );
    const row = rows[0];
    if (!row) return "skipped"; // this attempt ran already (or the delivery ended)
    const fail = async (message: string, countAgainstChannel: boolean): Promise<DeliveryState> => {
      // The channel's failure count first: whoever sees the delivery failed sees the channel's count (and pause) with it.
      if (countAgainstChannel && row.channel_id) await recordChannelFailure(pool, row.channel_id as string, message);
      await pool.query("UPDATE notification_deliveries SET state = 'failed', error = $2, updated_at = now() WHERE id = $1", [job.deliveryId, message]);
      return "failed";
    };
    if (!row.channel_id) return fail("the channel was deleted before the message went out", false);
    let channel;
    try {
      channel = await openChannel(pool, row.user_id as string, row.channel_id as string, this.options.cipher());
    } catch (e) {
      return fail((e as Error).message, false);
    }
    if (!channel) return fail("the channel was deleted before the message went out", false);
    if (channel.pausedAt) return fail("the channel is paused: send a test under Settings → Notifications to resume it", false);
    try {
      await deliver(channel.open, row.message as NotificationMessage, this.options.senders());
      await pool.query("UPDATE notification_deliveries SET state = 'sent', sent_at = now(), updated_at = now() WHERE id = $1", [job.deliveryId]);
      await recordChannelSuccess(pool, channel.id);
      return "sent";
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, true);
      const attempts = row.attempts as number;
      if (err.retryable && attempts < (this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
        const wait = backoffMs(attempts, err.retryAfterMs, this.options.backoffBaseMs ?? 5_000, this.options.maxBackoffMs ?? 10 * 60_000);
        await pool.query("UPDATE notification_deliveries SET state = 'retrying', error = $2, updated_at = now() WHERE id = $1", [job.deliveryId, `${err.message} (attempt ${attempts}; next in ${Math.round(wait / 100) / 10} s)`]);
        await this.enqueue(job.deliveryId, attempts + 1, wait);
        return "retrying";
      }
      return fail(attempts > 1 ? `${err.message} (after ${attempts} attempts)` : err.message, true);
    }
  }
}
