/** GET /api/account: the signed-in user's own account (email, member since). */
import { json, withSessionUser } from "@/app/_lib/route";

export const dynamic = "force-dynamic";

export const GET = withSessionUser(async (_request, user) =>
  json({ email: user.email, createdAt: user.createdAt?.toISOString() ?? null }),
);
