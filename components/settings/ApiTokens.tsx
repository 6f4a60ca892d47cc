"use client";

import { useActionState } from "react";
import type { ActionState } from "@/app/_lib/action";
import { createApiTokenAction, revokeApiTokenAction } from "@/app/(app)/settings/account/actions";
import { Field, FormMessage } from "@/components/forms/Field";
import form from "@/components/forms/form.module.css";
import own from "./api-tokens.module.css";
import { RowError, ShownOnce } from "./RowForm";
import styles from "./users.module.css";

export interface ApiTokenView {
  id: string;
  name: string;
  hint: string;
  created: string;
  lastUsed: string | null;
  revoked: string | null;
}

export function CreateApiTokenForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(createApiTokenAction, {});
  const token = state.ok ? state.data?.token : undefined;
  return (
    <form action={action} className={form.form} noValidate>
      <FormMessage error={state.ok ? undefined : state.error} success={state.ok ? state.message : undefined} testId="token-message" />
      {token ? (
        <ShownOnce value={token} label="New API token" testId="new-token" />
      ) : null}
      <Field id="tokenName" name="name" type="text" label="Name" hint="Where it is used, e.g. “research notebook”." autoComplete="off" error={state.ok ? undefined : state.fieldErrors?.name} required />
      <div className={form.actions}>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}

function RevokeApiToken({ token }: { token: ApiTokenView }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(revokeApiTokenAction, {});
  return (
    <form action={action} className={styles.inlineForm}>
      <input type="hidden" name="tokenId" value={token.id} />
      <button type="submit" className="btn" disabled={pending} aria-label={`Revoke ${token.name}`}>
        {pending ? "Revoking…" : "Revoke"}
      </button>
      <RowError state={state} />
    </form>
  );
}

export function ApiTokensTable({ tokens }: { tokens: ApiTokenView[] }) {
  if (tokens.length === 0)
    return (
      <p className={`${form.cardLead} ${own.list}`} data-testid="no-tokens">
        No tokens yet.
      </p>
    );
  return (
    <div className={`${styles.tableWrap} ${own.list}`}>
      <table className={styles.table} data-testid="api-tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Revoke</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-testid="api-token-row">
              <td>{t.name}</td>
              <td className={form.mono}>{t.hint}</td>
              <td>{t.created}</td>
              <td>{t.lastUsed ?? "Never"}</td>
              <td>{t.revoked ? <span className={styles.muted}>Revoked {t.revoked}</span> : <RevokeApiToken token={t} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
