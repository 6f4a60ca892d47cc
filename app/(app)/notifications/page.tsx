import type { Metadata } from "next";
import { notificationJson } from "@/app/_lib/notifications-json";
import { requirePageUser } from "@/app/_lib/page-user";
import { NotificationList } from "@/components/notifications/NotificationList";
import { PageHeader } from "@/components/ui/PageHeader";
import { getPool } from "@/db/client";
import { listNotifications } from "@/lib/notifications/centre";

export const metadata: Metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

export default async function NotificationsPage() {
  const user = await requirePageUser();
  const { notifications, unread } = await listNotifications(getPool(), user.id);
  return (
    <>
      <PageHeader title="Notifications" description="Alerts of your scheduled workflows, newest first, in Vietnam time." />
      <NotificationList initial={{ unread, notifications: notifications.map(notificationJson) }} />
    </>
  );
}
