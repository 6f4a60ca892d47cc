import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/app/_lib/session";
import form from "@/components/forms/form.module.css";
import { ChangePasswordForm, DeleteAccountForm } from "@/components/settings/AccountForms";
import { formatDateVn } from "@/components/ui/datetime";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  // The layout redirects too, but renders beside this page: an ended session must not reach `user.email`.
  const user = await getSessionUser();
  if (!user) redirect("/login?callbackUrl=%2Fsettings%2Faccount");
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
