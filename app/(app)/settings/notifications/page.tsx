import type { Metadata } from "next";
import { channelJson } from "@/app/_lib/notifications-json";
import { requirePageUser } from "@/app/_lib/page-user";
import { ChannelsManager } from "@/components/notifications/ChannelsManager";
import { PageHeader } from "@/components/ui/PageHeader";
import { getPool } from "@/db/client";
import { channelEnv } from "@/lib/notifications/app";
import { listChannels } from "@/lib/notifications/channels";

export const metadata: Metadata = { title: "Notifications · Settings" };
export const dynamic = "force-dynamic";

export default async function NotificationSettingsPage() {
  const user = await requirePageUser();
  const e = channelEnv();
  const channels = (await listChannels(getPool(), user.id)).map(channelJson);
  return (
    <>
      <PageHeader
        title="Notifications"
        parent={{ href: "/settings", label: "Settings" }}
        description="Where your workflows' alerts go besides the notification centre: e-mail, Telegram or a webhook. Name them in an Alert node's Channels."
      />
      <ChannelsManager
        initial={{ emailAvailable: !!e.smtpUrl, emailUnavailableReason: e.smtpUrl ? null : "The server has no SMTP server configured (SMTP_URL).", encryptionConfigured: !!e.cipher, channels }}
      />
    </>
  );
}
