import type { Metadata } from "next";
import { requirePageUser } from "@/app/_lib/page-user";
import form from "@/components/forms/form.module.css";
import { ChangePasswordForm, DeleteAccountForm } from "@/components/settings/AccountForms";
import { ApiTokensTable, CreateApiTokenForm, type ApiTokenView } from "@/components/settings/ApiTokens";
import { formatDateTimeVn, formatDateVn } from "@/components/ui/datetime";
import { PageHeader } from "@/components/ui/PageHeader";
import { getDb } from "@/db/client";
import { listApiTokens } from "@/lib/auth/api-tokens";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requirePageUser();
  const tokens: ApiTokenView[] = (await listApiTokens(getDb(), user.id)).map((t) => ({
    id: t.id,
    name: t.name,
    hint: t.hint,
    created: formatDateTimeVn(t.createdAt),
    lastUsed: t.lastUsedAt ? formatDateTimeVn(t.lastUsedAt) : null,
    revoked: t.revokedAt ? formatDateTimeVn(t.revokedAt) : null,
  }));
  return (
    <>
      <PageHeader title="Account" parent={{ href: "/settings", label: "Settings" }} description="Your sign-in and your data." />
      <section className={form.card} aria-labelledby="profile-title">
        <h2 id="profile-title" className={form.cardTitle}>
          Profile
        </h2>
        <dl className={form.facts}>
          <dt>Email</dt>
          <dd data-testid="account-email">{user.email}</dd>
          {user.createdAt ? (
            <>
              <dt>Member since</dt>
              <dd>{formatDateVn(user.createdAt)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section className={form.card} aria-labelledby="password-title">
        <h2 id="password-title" className={form.cardTitle}>
          Change password
        </h2>
        <p className={form.cardLead}>Your current password is needed to choose a new one.</p>
        <ChangePasswordForm />
      </section>
      <section className={form.card} aria-labelledby="tokens-title">
        <h2 id="tokens-title" className={form.cardTitle}>
          API tokens
        </h2>
        <p className={form.cardLead}>
          For scripts and notebooks: send a token as <code>Authorization: Bearer qf_…</code> to any /api route. It acts as you,
          with your role, until you revoke it. It is shown once, when created; QuantFlow keeps only its hash.
        </p>
        <ApiTokensTable tokens={tokens} />
        <CreateApiTokenForm />
      </section>
      <section className={form.card} aria-labelledby="delete-title">
        <h2 id="delete-title" className={form.cardTitle}>
          Delete account
        </h2>
        <p className={form.cardLead}>
          Deletes your account with its workflows and their runs, allocations, memories and broker connection. This
          cannot be undone.
        </p>
        <DeleteAccountForm />
      </section>
    </>
  );
}
