/**
 * A user's notification channels (notification_channels): e-mail, Telegram, webhook. The Telegram bot
 * token and the webhook's signing secret are stored Fernet-encrypted (lib/crypto) and never leave the
 * server, but for the webhook secret once, in the answer that created it. Every query is scoped by the
 * user id: another user's channel reads as unknown.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { MultiFernet } from "@/lib/crypto/fernet";
import type { Queryable } from "@/lib/market/queryable";
import { plainText } from "@/lib/text";
import { urlProblem, type GuardOptions } from "./net-guard";
import type { OpenChannel } from "./senders";

export const CHANNEL_KINDS = ["email", "telegram", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const MAX_CHANNELS_PER_USER = 20;
/** Failed deliveries in a row after which a channel is paused (a test that passes resumes it). */
export const PAUSE_AFTER_FAILURES = 5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const name = plainText("name").trim().min(1, "Give the channel a name.").max(60, "Keep the name to 60 characters.");

/** A bot token as BotFather gives it: the bot's numeric id, a colon, 35 characters (core.telegram.org/bots/api#authorizing-your-bot). */
export const TELEGRAM_TOKEN = /^\d{5,15}:[A-Za-z0-9_-]{30,64}$/;
/** A chat id: a number (groups and channels are negative, -100…) or a public @channelusername. */
export const TELEGRAM_CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;

export const channelInputSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("email"), name, address: z.email("Enter an e-mail address such as analyst@example.com.").max(254) }),
  z.object({
    kind: z.literal("telegram"),
    name,
    botToken: z.string().trim().regex(TELEGRAM_TOKEN, "A bot token looks like 123456789:AA… (from @BotFather)."),
    chatId: z.string().trim().regex(TELEGRAM_CHAT_ID, "A chat id is a number (e.g. -1001234567890) or @channelname."),
  }),
  z.object({ kind: z.literal("webhook"), name, url: z.string().trim().max(2000, "Keep the URL to 2,000 characters.") }),
]);
export type ChannelInput = z.infer<typeof channelInputSchema>;

/** A channel as an answer shows it: never a secret. */
export interface ChannelView {
  id: string;
  kind: ChannelKind;
  name: string;
  /** The e-mail address, the Telegram chat id or the webhook URL. */
  target: string;
  secretStored: boolean;
  consecutiveFailures: number;
  pausedAt: Date | null;
  pausedReason: string | null;
  createdAt: Date;
}

/** A refusal with the field it is about. */
export class ChannelInputError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly status: 400 | 409 = 400,
  ) {
    super(message);
    this.name = "ChannelInputError";
  }
}

export interface ChannelEnv {
  cipher: MultiFernet | undefined;
  smtpUrl?: string;
  telegramApiUrl: string;
  guard: GuardOptions;
}

const toView = (r: Record<string, unknown>): ChannelView => ({
  id: r.id as string,
  kind: r.kind as ChannelKind,
  name: r.name as string,
  target: r.target as string,
  secretStored: r.secret !== null,
  consecutiveFailures: r.consecutive_failures as number,
  pausedAt: (r.paused_at as Date | null) ?? null,
  pausedReason: (r.paused_reason as string | null) ?? null,
  createdAt: r.created_at as Date,
});

export async function listChannels(q: Queryable, userId: string): Promise<ChannelView[]> {
  const { rows } = await q.query("SELECT * FROM notification_channels WHERE user_id = $1 ORDER BY created_at, id", [userId]);
  return rows.map(toView);
}

export async function getChannel(q: Queryable, userId: string, id: string): Promise<ChannelView | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await q.query("SELECT * FROM notification_channels WHERE id = $1 AND user_id = $2", [id, userId]);
  return rows[0] ? toView(rows[0]) : undefined;
}

/** The channel with its secret decrypted, for sending; undefined if not the user's. */
export async function openChannel(q: Queryable, userId: string, id: string, cipher: MultiFernet | undefined): Promise<(ChannelView & { open: OpenChannel }) | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await q.query("SELECT * FROM notification_channels WHERE id = $1 AND user_id = $2", [id, userId]);
  const r = rows[0];
  if (!r) return undefined;
  const view = toView(r);
  if (view.kind === "email") return { ...view, open: { kind: "email", target: view.target } };
  if (!cipher) throw new ChannelInputError("The server has no encryption key (FERNET_KEYS), so it cannot read this channel's secret.", undefined, 409);
  let secret: string;
  try {
    secret = cipher.decrypt(r.secret as string);
  } catch {
    throw new ChannelInputError("This channel's secret cannot be decrypted with the server's keys: delete the channel and add it again.", undefined, 409);
  }
  return { ...view, open: { kind: view.kind, target: view.target, secret } as OpenChannel };
}

/**
 * Validates and stores a channel; answers it and, for a webhook, its signing secret (shown this once).
 * Refused input stores nothing.
 */
export async function createChannel(q: Queryable, userId: string, raw: unknown, e: ChannelEnv): Promise<{ channel: ChannelView; signingSecret?: string }> {
  const parsed = channelInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ChannelInputError(issue.code === "invalid_union" ? 'kind must be "email", "telegram" or "webhook".' : issue.message, issue.path.join(".") || undefined);
  }
  const input = parsed.data;
  let target: string;
  let secret: string | null = null;
  let signingSecret: string | undefined;
  if (input.kind === "email") {
    if (!e.smtpUrl) throw new ChannelInputError("E-mail is unavailable: the server has no SMTP server configured (SMTP_URL).", "kind", 409);
    target = input.address;
  } else {
    if (!e.cipher) throw new ChannelInputError("The server has no encryption key (FERNET_KEYS), so it will not store a bot token or signing secret.", undefined, 409);
    if (input.kind === "telegram") {
      const problem = await urlProblem(`${e.telegramApiUrl}/`, e.guard);
      if (problem) throw new ChannelInputError(`Telegram's API address (TELEGRAM_API_URL) ${problem}.`, "botToken", 409);
      target = input.chatId;
      secret = e.cipher.encrypt(input.botToken);
    } else {
      const problem = await urlProblem(input.url, e.guard);
      if (problem) throw new ChannelInputError(`The webhook URL ${problem}.`, "url");
      target = input.url;
      signingSecret = `qfwh_${randomBytes(24).toString("base64url")}`;
      secret = e.cipher.encrypt(signingSecret);
    }
  }
  const { rows: counted } = await q.query("SELECT count(*)::int AS n FROM notification_channels WHERE user_id = $1", [userId]);
  if ((counted[0]!.n as number) >= MAX_CHANNELS_PER_USER) throw new ChannelInputError(`You already have ${MAX_CHANNELS_PER_USER} channels, the most one account may have; delete one first.`, undefined, 409);
  try {
    const { rows } = await q.query(
      "INSERT INTO notification_channels (user_id, kind, name, target, secret) VALUES ($1, $2, $3, $4, $5) RETURNING *",
      [userId, input.kind, input.name, target, secret],
    );
    return { channel: toView(rows[0]!), ...(signingSecret ? { signingSecret } : {}) };
  } catch (err) {
    if ((err as { code?: string }).code === "23505") throw new ChannelInputError(`You already have a channel named "${input.name}".`, "name", 409);
    throw err;
  }
}

export async function deleteChannel(q: Queryable, userId: string, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const { rows } = await q.query("DELETE FROM notification_channels WHERE id = $1 AND user_id = $2 RETURNING id", [id, userId]);
  return rows.length > 0;
}

/** A delivery went through: the failure streak ends (and a paused channel resumes). */
export async function recordChannelSuccess(q: Queryable, channelId: string): Promise<void> {
  await q.query("UPDATE notification_channels SET consecutive_failures = 0, paused_at = NULL, paused_reason = NULL WHERE id = $1", [channelId]);
}

/**
 * A delivery failed for good: one more in the streak; at PAUSE_AFTER_FAILURES the channel is paused and
 * the owner gets a notice in the centre (once, by the update that paused it).
 */
export async function recordChannelFailure(q: Queryable, channelId: string, reason: string): Promise<{ paused: boolean }> {
  const { rows } = await q.query(
    `UPDATE notification_channels
        SET consecutive_failures = consecutive_failures + 1,
            paused_at = CASE WHEN paused_at IS NULL AND consecutive_failures + 1 >= $2 THEN now() ELSE paused_at END,
            paused_reason = CASE WHEN paused_at IS NULL AND consecutive_failures + 1 >= $2 THEN $3 ELSE paused_reason END
      WHERE id = $1
      RETURNING user_id, name, kind, (paused_at IS NOT NULL AND paused_reason = $3 AND consecutive_failures = $2) AS just_paused`,
    [channelId, PAUSE_AFTER_FAILURES, reason],
  );
  const r = rows[0];
  if (!r?.just_paused) return { paused: false };
  await q.query(
    "INSERT INTO notifications (user_id, kind, title, severity, body) VALUES ($1, 'channel-paused', $2, 'warning', $3)",
    [r.user_id, `Channel "${r.name as string}" paused`, `${PAUSE_AFTER_FAILURES} deliveries in a row failed, so QuantFlow stopped sending to this ${r.kind as string} channel. The last error: ${reason} Fix it under Settings → Notifications and send a test to resume it.`],
  );
  return { paused: true };
}
