/**
 * POST /api/notification-channels/{id}/test: sends a test message through one of the caller's channels
 * now (a paused channel too: a test that passes resumes it). 200 { ok: true, answer }; 502 { ok: false, error }
 * when the channel's far end failed; 404 another user's or an unknown id.
 */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { channelErrorResponse } from "@/app/_lib/notifications-json";
import { getPool } from "@/db/client";
import { sendChannelTest } from "@/lib/notifications/test-send";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const POST = withSessionUser<Ctx>(async (_request, user, { params }) => {
  try {
    const result = await sendChannelTest(getPool(), user.id, (await params).id);
    if (!result) return notFound();
    return result.ok ? json(result) : json(result, 502);
  } catch (error) {
    return channelErrorResponse(error);
  }
});
