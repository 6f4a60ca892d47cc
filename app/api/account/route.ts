/** GET /api/account: the signed-in user's own account (email, member since, in Vietnam time). */
import { json, withSessionUser } from "@/app/_lib/route";
import { toVnIso } from "@/lib/time";

export const dynamic = "force-dynamic";

export const GET = withSessionUser(async (_request, user) =>
  json({ email: user.email, createdAt: user.createdAt ? toVnIso(user.createdAt) : null }),
);
