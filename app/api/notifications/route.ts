/**
 * GET /api/notifications: the caller's notifications, newest first (at most 50), with the unread count:
 * 200 { unread, notifications: [{ id, kind, title, severity, body, symbols, workflow, runId, link, read, readAt, createdAt }] }.
 */
import { json, withSessionUser } from "@/app/_lib/route";
import { notificationJson } from "@/app/_lib/notifications-json";
import { getPool } from "@/db/client";
import { listNotifications } from "@/lib/notifications/centre";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withSessionUser(async (_request, user) => {
  const { notifications, unread } = await listNotifications(getPool(), user.id);
  return json({ unread, notifications: notifications.map(notificationJson) });
});
