/** "Send a test": one message through one of the user's channels, now, with the far end's answer. */
import type { Queryable } from "@/lib/market/queryable";
import { publicUrl, senderConfig } from "./app";
import { secretsCipher } from "@/lib/crypto/secrets-cipher";
import { openChannel, recordChannelSuccess } from "./channels";
import { testMessage } from "./message";
import { deliver, type SenderConfig } from "./senders";

export async function sendChannelTest(
  q: Queryable,
  userId: string,
  channelId: string,
  config: SenderConfig = senderConfig(),
  link = publicUrl(),
): Promise<{ ok: true; answer: string } | { ok: false; error: string } | undefined> {
  const channel = await openChannel(q, userId, channelId, secretsCipher());
  if (!channel) return undefined;
  try {
    const answer = await deliver(channel.open, testMessage(link), config, true);
    await recordChannelSuccess(q, channel.id);
    return { ok: true, answer };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
