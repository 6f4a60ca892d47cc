/** DELETE /api/notification-channels/{id}: removes one of the caller's channels. 200 { deleted: true }; another user's id, like an unknown one, 404. */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { deleteChannel } from "@/lib/notifications/channels";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const DELETE = withSessionUser<Ctx>(async (_request, user, { params }) => {
  return (await deleteChannel(getPool(), user.id, (await params).id)) ? json({ deleted: true }) : notFound();
});
