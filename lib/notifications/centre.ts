/**
 * The notification centre (notifications): the user's rows newest first with the unread count, and
 * marking read. Scoped by the user id in every statement.
 */
import { z } from "zod";
import type { Queryable } from "@/lib/market/queryable";
import type { Severity, SymbolQuote } from "./message";

export const NOTIFICATION_KINDS = ["alert", "signals", "channel-paused"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATIONS_PAGE_SIZE = 50;

export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  workflowId: string | null;
  workflowName: string | null;
  runId: string | null;
  title: string;
  severity: Severity;
  body: string;
  symbols: SymbolQuote[];
  readAt: Date | null;
  createdAt: Date;
}

const UUID = z.uuid();
/** POST /api/notifications/read: some ids, or all. */
export const markReadSchema = z.union([
  z.object({ ids: z.array(UUID, "ids must be notification ids").min(1, "ids must list at least one notification").max(500, "at most 500 ids at once") }).strict(),
  z.object({ all: z.literal(true, 'all must be true') }).strict(),
]);

export async function listNotifications(q: Queryable, userId: string, limit = NOTIFICATIONS_PAGE_SIZE): Promise<{ notifications: NotificationRow[]; unread: number }> {
  const { rows } = await q.query(
    `SELECT n.*, w.name AS workflow_name FROM notifications n LEFT JOIN workflows w ON w.id = n.workflow_id AND w.user_id = n.user_id
      WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2`,
    [userId, limit],
  );
  return {
    notifications: rows.map((r) => ({
      id: r.id as string,
      kind: r.kind as NotificationKind,
      workflowId: (r.workflow_id as string | null) ?? null,
      workflowName: (r.workflow_name as string | null) ?? null,
      runId: (r.run_id as string | null) ?? null,
      title: r.title as string,
      severity: r.severity as Severity,
      body: r.body as string,
      symbols: r.symbols as SymbolQuote[],
      readAt: (r.read_at as Date | null) ?? null,
      createdAt: r.created_at as Date,
    })),
    unread: await unreadCount(q, userId),
  };
}

export async function unreadCount(q: Queryable, userId: string): Promise<number> {
  const { rows } = await q.query("SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL", [userId]);
  return rows[0]!.n as number;
}

/** Marks the user's notifications read (ids of others are ignored); answers how many changed and the unread count left. */
export async function markRead(q: Queryable, userId: string, which: z.infer<typeof markReadSchema>): Promise<{ marked: number; unread: number }> {
  const { rows } =
    "all" in which
      ? await q.query("UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING id", [userId])
      : await q.query("UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND id = ANY($2::uuid[]) RETURNING id", [userId, which.ids]);
  return { marked: rows.length, unread: await unreadCount(q, userId) };
}
