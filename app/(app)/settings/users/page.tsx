import type { Metadata } from "next";
import { requirePageUser } from "@/app/_lib/page-user";
import form from "@/components/forms/form.module.css";
import { AccountsTable, InvitationForm, RevokeInvitation, type AccountView } from "@/components/settings/UsersAdmin";
import { formatDateTimeVn, formatDateVn } from "@/components/ui/datetime";
import styles from "@/components/settings/users.module.css";
import { PageHeader } from "@/components/ui/PageHeader";
import { getDb } from "@/db/client";
import { listPendingInvitations } from "@/lib/auth/invitations";
import { listAccounts } from "@/lib/auth/roles";
import { countSessionsByUser } from "@/lib/auth/sessions";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Users" };

const SIGNUP_MODE = {
  open: "Open: anyone who reaches this installation can create an analyst account.",
  invite: "By invitation: an account can be created only with a link made below.",
  closed: "Closed: nobody can create an account.",
} as const;

export default async function UsersPage() {
  const user = await requirePageUser();
  const header = <PageHeader title="Users" parent={{ href: "/settings", label: "Settings" }} description="Who may use this installation, and who keeps its shared market data." />;
  if (user.role !== "admin") {
    return (
      <>
        {header}
        <section className={form.card}>
          <p className={form.cardLead} data-testid="users-forbidden">
            Only an admin may manage the accounts of this installation. You are an analyst: you can read every chart and keep your
            own workflows; loading and correcting market data is for the admins.
          </p>
        </section>
      </>
    );
  }
  const db = getDb();
  const [accounts, invitations, sessions] = await Promise.all([listAccounts(db, user), listPendingInvitations(db, user), countSessionsByUser(db)]);
  const mode = env().QUANTFLOW_SIGNUP;
  const views: AccountView[] = accounts.map((a) => ({
    id: a.id,
    email: a.email,
    role: a.role,
    fromEnvironment: a.source === "QUANTFLOW_ADMINS",
    since: a.createdAt ? formatDateVn(a.createdAt) : null,
    isYou: a.id === user.id,
    sessions: sessions.get(a.id) ?? 0,
  }));
  return (
    <>
      {header}
      <section className={`${form.card} ${styles.wide}`} aria-labelledby="accounts-title">
        <h2 id="accounts-title" className={form.cardTitle}>
          Accounts ({accounts.length})
        </h2>
        <p className={form.cardLead}>
          Admins may import and backfill market data (shared by every user) and manage accounts; analysts read it and keep their
          own workflows. E-mails in QUANTFLOW_ADMINS are always admins.
        </p>
        <AccountsTable accounts={views} />
      </section>
      <section className={form.card} aria-labelledby="signup-title">
        <h2 id="signup-title" className={form.cardTitle}>
          Sign-up
        </h2>
        <p className={form.cardLead} data-testid="signup-mode">
          {SIGNUP_MODE[mode]} Set QUANTFLOW_SIGNUP (open, invite or closed) to change it.
        </p>
        {mode === "closed" ? null : (
          <>
            <h3 className={form.cardTitle}>Invite someone</h3>
            <InvitationForm />
            {invitations.length > 0 ? (
              <table className={`${form.facts} ${styles.afterForm}`} data-testid="invitations">
                <tbody>
                  {invitations.map((i) => (
                    <tr key={i.id}>
                      <td>{i.email ?? "anyone with the link"}</td>
                      <td>{i.role}</td>
                      <td>until {formatDateTimeVn(i.expiresAt)}</td>
                      <td>
                        <RevokeInvitation invitation={{ id: i.id, email: i.email, role: i.role, expires: formatDateTimeVn(i.expiresAt) }} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className={`${form.cardLead} ${styles.afterForm}`}>No invitation is waiting to be used.</p>
            )}
          </>
        )}
      </section>
    </>
  );
}
