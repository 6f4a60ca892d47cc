"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTimeVn } from "@/components/ui/datetime";
import form from "@/components/forms/form.module.css";
import { quoteText } from "@/lib/notifications/format";
import { fetchNotifications, markNotificationsRead, NOTIFICATIONS_KEY, NOTIFICATIONS_REFRESH_MS, type NotificationItem, type NotificationsAnswer } from "./api";
import styles from "./notifications.module.css";

/** The centre: newest first, unread highlighted, mark one or all read; shares its query with the bell. */
export function NotificationList({ initial }: { initial: NotificationsAnswer }) {
  const client = useQueryClient();
  const q = useQuery({ queryKey: NOTIFICATIONS_KEY, queryFn: ({ signal }) => fetchNotifications(signal), initialData: initial, refetchInterval: NOTIFICATIONS_REFRESH_MS, staleTime: 5_000 });
  const mark = useMutation({
    mutationFn: markNotificationsRead,
    onSuccess: () => client.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
  const { notifications, unread } = q.data;
  return (
    <>
      <div className={styles.toolbar}>
        <span data-testid="notifications-unread">{unread === 0 ? "All read" : `${unread} unread`}</span>
        <span className={styles.spacer} />
        <Link href="/settings/notifications">Channels…</Link>
        <button type="button" className="btn" disabled={unread === 0 || mark.isPending} onClick={() => mark.mutate({ all: true })} data-testid="mark-all-read">
          Mark all read
        </button>
      </div>
      {mark.error ? (
        <p role="alert" className={`${form.alert} ${form.pageAlert}`}>
          {mark.error.message}
        </p>
      ) : null}
      {notifications.length === 0 ? (
        <p className={styles.empty}>
          No notifications yet. An Alert node of an active, scheduled workflow adds one here when its condition holds; choose where
          else it goes under <Link href="/settings/notifications">Settings → Notifications</Link>.
        </p>
      ) : (
        <ul className={styles.list} data-testid="notification-list">
          {notifications.map((n) => (
            <Item key={n.id} n={n} onRead={() => mark.mutate({ ids: [n.id] })} busy={mark.isPending} />
          ))}
        </ul>
      )}
    </>
  );
}

function Item({ n, onRead, busy }: { n: NotificationItem; onRead: () => void; busy: boolean }) {
  return (
    <li className={`${styles.item} ${n.read ? "" : styles.unread}`} data-testid="notification" data-read={n.read ? "true" : "false"}>
      <span className={`${styles.dot} ${styles[n.severity]}`} aria-hidden="true" />
      <div>
        <h2 className={styles.title}>
          {n.title}
          {n.read ? null : <span className="visually-hidden"> (unread)</span>}
        </h2>
        <p className={styles.meta}>
          {n.severity} · {n.workflow?.name ? `${n.workflow.name} · ` : ""}
          {formatDateTimeVn(new Date(n.createdAt))}
        </p>
        {n.body ? <p className={styles.body}>{n.body}</p> : null}
        {n.symbols.length > 0 ? (
          <ul className={styles.symbols} aria-label="Symbols">
            {n.symbols.map((s) => (
              <li key={s.symbol}>
                <Link href={`/charts/${encodeURIComponent(s.symbol)}`} className={s.change === null ? "" : s.change.startsWith("-") ? styles.down : styles.up}>
                  {quoteText(s)}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        <div className={styles.links}>
          {n.link ? (
            <Link href={n.link} onClick={n.read ? undefined : onRead} data-testid="notification-run-link">
              Open the run
            </Link>
          ) : null}
          {n.kind === "channel-paused" ? <Link href="/settings/notifications">Fix the channel</Link> : null}
        </div>
      </div>
      <div className={styles.side}>
        {n.read ? (
          <span className={styles.meta}>Read</span>
        ) : (
          <button type="button" className="btn" onClick={onRead} disabled={busy}>
            Mark read
          </button>
        )}
      </div>
    </li>
  );
}
