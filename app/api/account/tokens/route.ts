/**
 * GET /api/account/tokens: the caller's personal API tokens (never the tokens themselves), newest
 * first, revoked ones marked. Times in Asia/Ho_Chi_Minh. Tokens are made and revoked on /settings/account.
 */
import { json, withSessionUser } from "@/app/_lib/route";
import { getDb } from "@/db/client";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { toVnIso } from "@/lib/time";

export const dynamic = "force-dynamic";

export const GET = withSessionUser(async (_request, user) =>
  json({
    tokens: (await listApiTokens(getDb(), user.id)).map((t) => ({
      id: t.id,
      name: t.name,
      hint: t.hint,
      createdAt: toVnIso(t.createdAt),
      lastUsedAt: t.lastUsedAt ? toVnIso(t.lastUsedAt) : null,
      revokedAt: t.revokedAt ? toVnIso(t.revokedAt) : null,
    })),
  }),
);
