import type { Metadata } from "next";
import { requirePageUser } from "@/app/_lib/page-user";
import form from "@/components/forms/form.module.css";
import { BrokerCredentialsForm, ConnectionActions } from "@/components/settings/BrokerForms";
import { formatDateTimeVn } from "@/components/ui/datetime";
import { PageHeader } from "@/components/ui/PageHeader";
import { getDb } from "@/db/client";
import { dnseConnectionStatus } from "@/lib/broker/dnse-credentials";
import { secretsCipher } from "@/lib/crypto/secrets-cipher";

export const metadata: Metadata = { title: "Broker (DNSE)" };
export const dynamic = "force-dynamic";

export default async function BrokerSettingsPage() {
  const user = await requirePageUser();
  const cipher = secretsCipher();
  const status = (await dnseConnectionStatus(getDb(), cipher, user.id))!;
  const stored = status.tokenStored;
  return (
    <>
      <PageHeader
        title="Broker (DNSE)"
        parent={{ href: "/settings", label: "Settings" }}
        description="Connect QuantFlow to your DNSE account. Your token is stored encrypted and never shown again."
      />
      {!cipher ? (
        <p role="alert" className={`${form.alert} ${form.pageAlert}`} data-testid="broker-no-key">
          The server has no encryption key (FERNET_KEYS is not set), so QuantFlow will not store a DNSE token. Ask
          whoever runs QuantFlow to set FERNET_KEYS; until then this page stores nothing.
        </p>
      ) : null}
      <section className={form.card} aria-labelledby="status-title" data-testid="broker-status">
        <h2 id="status-title" className={form.cardTitle}>
          Connection
        </h2>
        <p className={form.cardLead}>
          {stored ? (
            status.tokenUnreadable ? (
              <span className={`${form.pill} ${form.pillWarn}`}>Token stored, but unreadable</span>
            ) : (
              <span className={`${form.pill} ${form.pillOn}`}>Token stored</span>
            )
          ) : (
            <span className={form.pill}>Not connected</span>
          )}
        </p>
        <dl className={form.facts}>
          <dt>Client id</dt>
          <dd data-testid="broker-client-id">{status.clientId ?? "—"}</dd>
          <dt>Token</dt>
          <dd data-testid="broker-token-mask">
            {!stored
              ? "none stored"
              : status.tokenLast4
                ? <span className={form.mono}>••••••••{status.tokenLast4}</span>
                : "stored (cannot be decrypted with the server's keys: save it again)"}
          </dd>
          {stored && status.tokenUpdatedAt ? (
            <>
              <dt>Updated</dt>
              <dd data-testid="broker-updated-at">{formatDateTimeVn(status.tokenUpdatedAt)}</dd>
            </>
          ) : null}
        </dl>
        {stored ? <ConnectionActions /> : null}
      </section>
      <section className={form.card} aria-labelledby="credentials-title">
        <h2 id="credentials-title" className={form.cardTitle}>
          {stored ? "Change the connection" : "Connect"}
        </h2>
        <BrokerCredentialsForm clientId={status.clientId} tokenStored={stored} disabled={!cipher} />
      </section>
    </>
  );
}
