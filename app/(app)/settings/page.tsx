import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/app/_lib/page-user";
import form from "@/components/forms/form.module.css";
import { PageHeader } from "@/components/ui/PageHeader";
import { getDb } from "@/db/client";
import { dnseConnectionStatus } from "@/lib/broker/dnse-credentials";
import { secretsCipher } from "@/lib/crypto/secrets-cipher";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requirePageUser();
  const broker = await dnseConnectionStatus(getDb(), secretsCipher(), user.id);
  return (
    <>
      <PageHeader title="Settings" description="Your broker connection and your account." />
      <section className={form.card} aria-labelledby="broker-title">
        <h2 id="broker-title" className={form.cardTitle}>
          <Link href="/settings/broker">Broker (DNSE)</Link>
        </h2>
        <p className={form.cardLead}>
          {broker?.tokenStored
            ? `Connected as DNSE client ${broker.clientId ?? "(no client id)"}; the token is stored encrypted.`
            : "Not connected. Enter your DNSE client id and token to let QuantFlow read your DNSE account."}
        </p>
      </section>
      <section className={form.card} aria-labelledby="notifications-title">
        <h2 id="notifications-title" className={form.cardTitle}>
          <Link href="/settings/notifications">Notifications</Link>
        </h2>
        <p className={form.cardLead}>Send your workflows&apos; alerts by e-mail, to Telegram or to a webhook, besides the notification centre.</p>
      </section>
      <section className={form.card} aria-labelledby="account-title">
        <h2 id="account-title" className={form.cardTitle}>
          <Link href="/settings/account">Account</Link>
        </h2>
        <p className={form.cardLead}>
          Signed in as {user.email} ({user.role}). Change your password, or delete your account and everything in it.
        </p>
      </section>
      {user.role === "admin" ? (
        <section className={form.card} aria-labelledby="users-title">
          <h2 id="users-title" className={form.cardTitle}>
            <Link href="/settings/users">Users</Link>
          </h2>
          <p className={form.cardLead}>You are an admin: see the accounts of this installation, make admins, and invite people.</p>
        </section>
      ) : null}
    </>
  );
}
