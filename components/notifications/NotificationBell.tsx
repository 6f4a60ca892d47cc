"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { BellIcon } from "@/components/shell/icons";
import styles from "@/components/shell/shell.module.css";
import { fetchNotifications, NOTIFICATIONS_KEY, NOTIFICATIONS_REFRESH_MS } from "./api";

/** The top bar's bell: the unread count, kept current by polling; opens the notification centre. */
export function NotificationBell() {
  const q = useQuery({ queryKey: NOTIFICATIONS_KEY, queryFn: ({ signal }) => fetchNotifications(signal), refetchInterval: NOTIFICATIONS_REFRESH_MS, staleTime: 5_000 });
  const unread = q.data?.unread ?? 0;
  const label = unread === 0 ? "Notifications: none unread" : `Notifications: ${unread} unread`;
  return (
    <Link href="/notifications" className={`${styles.iconButton} ${styles.bell}`} aria-label={label} title={label} data-testid="notification-bell">
      <BellIcon />
      {unread > 0 ? (
        <span className={styles.bellCount} data-testid="notification-count" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
