/** POST /api/broker/test: calls DNSE's /me with the user's stored token; the investor, or the error in words. */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { getDb } from "@/db/client";
import { testDnseConnection } from "@/lib/broker/dnse-credentials";
import { secretsCipher } from "@/lib/crypto/secrets-cipher";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const POST = withSessionUser(async (_request, user) => {
  const result = await testDnseConnection(getDb(), secretsCipher(), user.id, { userServiceUrl: env().DNSE_USER_SERVICE_URL });
  if (result.ok) return json({ ok: true, investor: result.investor });
  if (result.error === "not_found") return notFound();
  // A DNSE failure is not the request's fault: 502 with the reason; missing setup is a conflict (409).
  return json({ ok: false, error: result.message }, result.error === "dnse" ? 502 : 409);
});
