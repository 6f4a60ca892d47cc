/**
 * The app's notification wiring: the sender configuration from the environment, this instance's
 * delivery worker (started by instrumentation-node.ts), and the hook a finished run calls.
 */
import { secretsCipher } from "@/lib/crypto/secrets-cipher";
import { env } from "@/lib/env";
import type { JobPool } from "@/lib/jobs/queue";
import { recordRunNotifications, DeliveryWorker, type RunEnded } from "./delivery";
import { AllowList, type GuardOptions } from "./net-guard";
import type { SenderConfig } from "./senders";

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

const g = globalThis as { __quantflowDeliveries?: Promise<DeliveryWorker> };

export function startAppDeliveries(pool: JobPool): Promise<DeliveryWorker> {
  g.__quantflowDeliveries ??= (async () => {
    const worker = new DeliveryWorker({ pool, cipher: () => secretsCipher(), senders: senderConfig });
    await worker.start();
    process.once("SIGTERM", () => void worker.stop().catch(() => {}));
    return worker;
  })();
  g.__quantflowDeliveries.catch(() => {
    g.__quantflowDeliveries = undefined;
  });
  return g.__quantflowDeliveries;
}

/**
 * A run ended: record its notifications and hand the deliveries to this instance's worker (without one,
 * any instance's sweep picks them up). Never throws: a run's result does not depend on its notifications.
 */
export async function notifyRunEnded(pool: JobPool, ended: RunEnded): Promise<void> {
  try {
    const { deliveries } = await recordRunNotifications(pool, ended, publicUrl());
    const worker = await g.__quantflowDeliveries?.catch(() => undefined);
    if (worker) for (const id of deliveries) await worker.enqueue(id);
  } catch (e) {
    console.error(`[notifications] run ${ended.runId}: ${(e as Error).message}`);
  }
}
