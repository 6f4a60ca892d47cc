/**
 * The app's notification wiring: the sender configuration from the environment, this instance's
 * delivery worker (started by instrumentation-node.ts), and the hook a finished run calls.
 */
import { secretsCipher } from "@/lib/crypto/secrets-cipher";
import { env } from "@/lib/env";
import type { JobPool } from "@/lib/jobs/queue";
import { startedWorker, startOnce } from "@/lib/start-once";
import { recordRunNotifications, DeliveryWorker, type RunEnded } from "./delivery";
import { AllowList, type GuardOptions } from "./net-guard";
import type { SenderConfig } from "./senders";

const WORKER = "deliveries";

/** Where notification links point: QUANTFLOW_PUBLIC_URL, else NEXTAUTH_URL, else this machine. */
export function publicUrl(): string {
  const e = env();
  return (e.QUANTFLOW_PUBLIC_URL ?? e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}

export function guardOptions(): GuardOptions {
  return { allow: new AllowList(env().QUANTFLOW_WEBHOOK_ALLOW) };
}

export function senderConfig(): SenderConfig {
  const e = env();
  return { smtpUrl: e.SMTP_URL, smtpFrom: e.SMTP_FROM, telegramApiUrl: e.TELEGRAM_API_URL, guard: guardOptions() };
}

/** What the channel store needs from the environment. */
export function channelEnv() {
  const e = env();
  return { cipher: secretsCipher(), smtpUrl: e.SMTP_URL, telegramApiUrl: e.TELEGRAM_API_URL, guard: guardOptions() };
}

export function startAppDeliveries(pool: JobPool): Promise<DeliveryWorker> {
  return startOnce(WORKER, () => new DeliveryWorker({ pool, cipher: () => secretsCipher(), senders: senderConfig }));
}

/**
 * A run ended: record its notifications and hand the deliveries to this instance's worker (without one,
 * any instance's sweep picks them up). Never throws: a run's result does not depend on its notifications.
 */
export async function notifyRunEnded(pool: JobPool, ended: RunEnded): Promise<void> {
  try {
    const { deliveries } = await recordRunNotifications(pool, ended, publicUrl());
    const worker = await startedWorker<DeliveryWorker>(WORKER);
    if (worker) for (const id of deliveries) await worker.enqueue(id);
  } catch (e) {
    console.error(`[notifications] run ${ended.runId}: ${(e as Error).message}`);
  }
}
