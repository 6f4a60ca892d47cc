/**
 * Delivering one message to one channel: e-mail through nodemailer to SMTP_URL, Telegram through the Bot
 * API's sendMessage, a webhook as a signed JSON POST. A failure throws DeliveryError with a sentence the
 * analyst can act on; `retryable` (timeouts, 429, 5xx) lets the delivery job try again, honouring
 * Retry-After (Telegram: parameters.retry_after).
 */
import { createHmac } from "node:crypto";
import nodemailer from "nodemailer";
import { DeliveryError, guardedPost, retryAfterMs, type GuardOptions } from "./net-guard";
import { emailHtml, emailText, subjectOf, telegramText, webhookPayload, type NotificationMessage } from "./message";

export interface SenderConfig {
  smtpUrl?: string;
  smtpFrom: string;
  telegramApiUrl: string;
  guard: GuardOptions;
  /** SMTP timeouts (ms); the 10 s of the issue by default. */
  smtpTimeoutMs?: number;
}

/** A channel with its secret decrypted, only inside the server. */
export type OpenChannel =
  | { kind: "email"; target: string }
  | { kind: "telegram"; target: string; secret: string }
  | { kind: "webhook"; target: string; secret: string };

export const SIGNATURE_HEADER = "x-quantflow-signature";
export const TIMESTAMP_HEADER = "x-quantflow-timestamp";

/** The webhook signature: HMAC-SHA256 of `${timestamp}.${body}` with the channel's secret, hex. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export async function sendEmail(to: string, m: NotificationMessage, config: SenderConfig): Promise<string> {
  if (!config.smtpUrl) throw new DeliveryError("E-mail is not available: the server has no SMTP_URL.");
  const timeout = config.smtpTimeoutMs ?? 10_000;
  const transport = nodemailer.createTransport(config.smtpUrl, { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout } as never);
  try {
    const info = await transport.sendMail({ from: config.smtpFrom, to, subject: subjectOf(m), text: emailText(m), html: emailHtml(m) });
    return `accepted by the SMTP server (${String(info.response ?? "250").slice(0, 120)})`;
  } catch (e) {
    const err = e as { responseCode?: number; code?: string; message: string };
    // 4xx SMTP answers and connection trouble are temporary; 5xx are final (bad address, refused).
    const temporary = err.responseCode === undefined ? true : err.responseCode >= 400 && err.responseCode < 500;
    throw new DeliveryError(`The SMTP server ${err.responseCode ? `answered ${err.responseCode}` : `could not be reached (${err.code ?? "error"})`}: ${err.message.slice(0, 200)}`, temporary);
  } finally {
    transport.close();
  }
}

/** Telegram's answer (core.telegram.org/bots/api#making-requests): { ok, result } or { ok: false, error_code, description, parameters }. */
interface TelegramAnswer {
  ok: boolean;
  description?: string;
  error_code?: number;
  parameters?: { retry_after?: number };
}

export async function sendTelegram(token: string, chatId: string, m: NotificationMessage, config: SenderConfig): Promise<string> {
  const body = JSON.stringify({ chat_id: chatId, text: telegramText(m), parse_mode: "MarkdownV2", link_preview_options: { is_disabled: true } });
  const res = await guardedPost(`${config.telegramApiUrl}/bot${token}/sendMessage`, body, {}, config.guard);
  let answer: TelegramAnswer | undefined;
  try {
    answer = JSON.parse(res.body) as TelegramAnswer;
  } catch {
    answer = undefined;
  }
  if (res.status === 200 && answer?.ok) return "sent by Telegram";
  const why = answer?.description ?? `HTTP ${res.status}`;
  if (res.status === 429 || answer?.error_code === 429) {
    const after = answer?.parameters?.retry_after;
    throw new DeliveryError(`Telegram asks to slow down: ${why}`, true, after !== undefined ? after * 1000 : retryAfterMs(res.headers["retry-after"]));
  }
  throw new DeliveryError(`Telegram refused the message: ${why}`, res.status >= 500);
}

export async function sendWebhook(url: string, secret: string, m: NotificationMessage, config: SenderConfig, test = false, now = new Date()): Promise<string> {
  const body = JSON.stringify(webhookPayload(m, test));
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const res = await guardedPost(url, body, { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: webhookSignature(secret, timestamp, body) }, config.guard);
  if (res.status >= 200 && res.status < 300) return `the receiver answered ${res.status}`;
  const retryable = res.status === 429 || res.status >= 500 || res.status === 408;
  throw new DeliveryError(`The receiver answered ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ""}`, retryable, retryAfterMs(res.headers["retry-after"]));
}

export function deliver(channel: OpenChannel, m: NotificationMessage, config: SenderConfig, test = false): Promise<string> {
  switch (channel.kind) {
    case "email":
      return sendEmail(channel.target, m, config);
    case "telegram":
      return sendTelegram(channel.secret, channel.target, m, config);
    case "webhook":
      return sendWebhook(channel.target, channel.secret, m, config, test);
  }
}
