"use client";

import { useActionState } from "react";
import type { ActionState } from "@/app/_lib/action";
import { createInvitationAction, endSessionsAction, revokeInvitationAction, setRoleAction } from "@/app/(app)/settings/users/actions";
import { Field, FormMessage } from "@/components/forms/Field";
import form from "@/components/forms/form.module.css";
import { RowError, ShownOnce } from "./RowForm";
import styles from "./users.module.css";

export interface AccountView {
  id: string;
  email: string;
  role: "admin" | "analyst";
  fromEnvironment: boolean;
  since: string | null;
  isYou: boolean;
  /** Sessions not ended (signed-in browsers; some may have expired unused). */
  sessions: number;
}

export interface InvitationView {
  id: string;
  email: string | null;
  role: "admin" | "analyst";
  expires: string;
}

function RoleButton({ account }: { account: AccountView }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(setRoleAction, {});
  const next = account.role === "admin" ? "analyst" : "admin";
  return (
    <form action={action} className={styles.inlineForm}>
      <input type="hidden" name="userId" value={account.id} />
      <input type="hidden" name="role" value={next} />
      <button type="submit" className="btn" disabled={pending || account.fromEnvironment} aria-label={`Make ${account.email} ${next === "admin" ? "an admin" : "an analyst"}`}>
        {pending ? "Saving…" : next === "admin" ? "Make admin" : "Make analyst"}
      </button>
      <RowError state={state} />
    </form>
  );
}

function EndSessionsButton({ account }: { account: AccountView }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(endSessionsAction, {});
  const label = account.isYou ? "Sign out everywhere" : "End sessions";
  return (
    <form action={action} className={styles.inlineForm}>
      <input type="hidden" name="userId" value={account.id} />
      <button
        type="submit"
        className="btn"
        disabled={pending}
        data-testid="end-sessions"
        aria-label={account.isYou ? "End every session of yours, this one too" : `End every session of ${account.email}`}
      >
        {pending ? "Ending…" : label}
      </button>
      {state.ok ? (
        <span className={styles.muted} role="status">
          {" "}
          {state.message}
        </span>
      ) : (
        <RowError state={state} />
      )}
    </form>
  );
}

export function AccountsTable({ accounts }: { accounts: AccountView[] }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="accounts">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Member since</th>
            <th scope="col">Sessions</th>
            <th scope="col">
              <span className="visually-hidden">Change</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} data-testid="account-row">
              <td>
                {a.email}
                {a.isYou ? <span className={styles.you}> (you)</span> : null}
              </td>
              <td>
                <span className={a.role === "admin" ? `${form.pill} ${form.pillOn}` : form.pill}>{a.role}</span>
                {a.fromEnvironment ? <span className={styles.muted} title="Listed in QUANTFLOW_ADMINS"> · QUANTFLOW_ADMINS</span> : null}
              </td>
              <td>{a.since ?? "—"}</td>
              <td data-testid="session-count">{a.sessions}</td>
              <td>
                <div className={styles.rowActions}>
                  <RoleButton account={a} />
                  <EndSessionsButton account={a} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function InvitationForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(createInvitationAction, {});
  const token = state.ok ? state.data?.token : undefined;
  // Only after an action has answered, so always in the browser: the link names the address the admin uses.
  const link = token ? `${window.location.origin}/signup?invite=${token}` : undefined;
  return (
    <form action={action} className={form.form} noValidate>
      <FormMessage error={state.ok ? undefined : state.error} success={state.ok ? state.message : undefined} testId="invitation-message" />
      {link ? (
        <ShownOnce value={link} label="Invitation link" testId="invitation-link" />
      ) : null}
      <Field
        id="inviteEmail"
        name="email"
        type="email"
        label="For this email only (optional)"
        hint="Leave empty for a link anyone can use once."
        error={state.ok ? undefined : state.fieldErrors?.email}
      />
      <label className={form.label} htmlFor="inviteRole">
        Role
      </label>
      <select id="inviteRole" name="role" className={form.input} defaultValue="analyst">
        <option value="analyst">Analyst</option>
        <option value="admin">Admin</option>
      </select>
      <div className={form.actions}>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Creating…" : "Create invitation link"}
        </button>
      </div>
    </form>
  );
}

export function RevokeInvitation({ invitation }: { invitation: InvitationView }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(revokeInvitationAction, {});
  return (
    <form action={action} className={styles.inlineForm}>
      <input type="hidden" name="invitationId" value={invitation.id} />
      <button type="submit" className="btn" disabled={pending}>
        {pending ? "Withdrawing…" : "Withdraw"}
      </button>
      <RowError state={state} />
    </form>
  );
}
