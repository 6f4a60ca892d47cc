/** The browser's side of the notification routes (react-query keys and fetchers). */
import type { SymbolQuote } from "@/lib/notifications/format";

export const NOTIFICATIONS_KEY = ["notifications"] as const;
/** The bell keeps its count current by polling (a minute-granular schedule needs no socket). */
export const NOTIFICATIONS_REFRESH_MS = 15_000;

export interface NotificationItem {
  id: string;
  kind: "alert" | "signals" | "channel-paused";
  title: string;
  severity: "info" | "warning" | "critical";
  body: string;
  symbols: SymbolQuote[];
  workflow: { id: string; name: string | null } | null;
  runId: string | null;
  link: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

export interface NotificationsAnswer {
  unread: number;
  notifications: NotificationItem[];
}

async function answerOf<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `The server answered ${res.status}.`);
  return body;
}

export async function fetchNotifications(signal?: AbortSignal): Promise<NotificationsAnswer> {
  return answerOf(await fetch("/api/notifications", { signal, cache: "no-store" }));
}

export async function markNotificationsRead(which: { ids: string[] } | { all: true }): Promise<{ marked: number; unread: number }> {
  return answerOf(await fetch("/api/notifications/read", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(which) }));
}
