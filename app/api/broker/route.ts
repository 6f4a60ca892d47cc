/**
 * GET /api/broker: the signed-in user's DNSE connection: client id, whether a token is stored, when,
 * and its last four characters. Never the token.
 */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { getDb } from "@/db/client";
import { dnseConnectionStatus } from "@/lib/broker/dnse-credentials";
import { toVnIso } from "@/lib/time";
import { secretsCipher } from "@/lib/crypto/secrets-cipher";

export const dynamic = "force-dynamic";

export const GET = withSessionUser(async (_request, user) => {
  const cipher = secretsCipher();
  const status = await dnseConnectionStatus(getDb(), cipher, user.id);
  if (!status) return notFound();
  return json({ ...status, tokenUpdatedAt: status.tokenUpdatedAt ? toVnIso(status.tokenUpdatedAt) : null, encryptionConfigured: !!cipher });
});
