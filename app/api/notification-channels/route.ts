/**
 * The caller's notification channels (secrets never in an answer).
 * GET: 200 { emailAvailable, emailUnavailableReason, channels: [{ id, kind, name, target, secretStored, paused, … }] }.
 * POST { "kind": "email", "name", "address" } | { "kind": "telegram", "name", "botToken", "chatId" } |
 * { "kind": "webhook", "name", "url" }: 201 { channel, signingSecret? } (a webhook's secret, shown this once);
 * 400 bad input, 409 the server's setup refuses it (no SMTP_URL, no FERNET_KEYS, a name taken); nothing stored.
 */
import { json, withSessionUser } from "@/app/_lib/route";
import { channelErrorResponse, channelJson } from "@/app/_lib/notifications-json";
import { readJsonBody } from "@/app/_lib/value-chain-json";
import { getPool } from "@/db/client";
import { channelEnv } from "@/lib/notifications/app";
import { createChannel, listChannels } from "@/lib/notifications/channels";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withSessionUser(async (_request, user) => {
  const e = channelEnv();
  return json({
    emailAvailable: !!e.smtpUrl,
    emailUnavailableReason: e.smtpUrl ? null : "The server has no SMTP server configured (SMTP_URL).",
    encryptionConfigured: !!e.cipher,
    channels: (await listChannels(getPool(), user.id)).map(channelJson),
  });
});

export const POST = withSessionUser(async (request, user) => {
  const read = await readJsonBody(request, 'the channel { "kind", "name", … }');
  if ("response" in read) return read.response;
  try {
    const { channel, signingSecret } = await createChannel(getPool(), user.id, read.body, channelEnv());
    return json({ channel: channelJson(channel), ...(signingSecret ? { signingSecret } : {}) }, 201);
  } catch (error) {
    return channelErrorResponse(error);
  }
});
