"use client";

import { useActionState } from "react";
import type { ActionState } from "@/app/_lib/action";
import { disconnectBrokerAction, saveBrokerAction, testBrokerAction } from "@/app/(app)/settings/broker/actions";
import { Field, FormMessage } from "@/components/forms/Field";
import form from "@/components/forms/form.module.css";

const errorsOf = (s: ActionState) => (s.ok ? undefined : s.fieldErrors);

/** Client id and token. The token field is always empty: the stored token never comes back to the browser. */
export function BrokerCredentialsForm({
  clientId,
  tokenStored,
  disabled,
}: {
  clientId: string | null;
  tokenStored: boolean;
  disabled: boolean;
}) {
  const [state, action, pending] = useActionState(saveBrokerAction, {});
  const errors = errorsOf(state);
  return (
    <form action={action} className={form.form} noValidate>
      <FormMessage error={state.ok ? undefined : state.error} success={state.ok ? state.message : undefined} testId="broker-save-message" />
      <Field
        id="clientId"
        name="clientId"
        label="DNSE client id"
        hint="The investor id, custody code, email or phone number you sign in to DNSE with."
        defaultValue={clientId ?? ""}
        autoComplete="off"
        spellCheck={false}
        error={errors?.clientId}
        disabled={disabled}
        required
      />
      <Field
        id="token"
        name="token"
        type="password"
        label={tokenStored ? "New DNSE token" : "DNSE token"}
        hint={
          tokenStored
            ? "Leave empty to keep the stored token. A new one replaces it."
            : "The JWT DNSE gave you (it lasts about 8 hours). It is stored encrypted and never shown again."
        }
        autoComplete="off"
        spellCheck={false}
        mono
        error={errors?.token}
        disabled={disabled}
        required={!tokenStored}
      />
      <div className={form.actions}>
        <button type="submit" className="btn btn-primary" disabled={pending || disabled}>
          {pending ? "Saving…" : tokenStored ? "Save changes" : "Save and encrypt"}
        </button>
      </div>
    </form>
  );
}

export function TestConnectionButton() {
  const [state, action, pending] = useActionState(testBrokerAction, {});
  return (
    <form action={action} className={form.form}>
      <div className={form.actions}>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Testing…" : "Test connection"}
        </button>
      </div>
      <div aria-live="polite">
        <FormMessage error={state.ok ? undefined : state.error} success={state.ok ? state.message : undefined} testId="broker-test-result" />
      </div>
    </form>
  );
}

export function DisconnectButton() {
  const [state, action, pending] = useActionState(disconnectBrokerAction, {});
  return (
    <form
      action={action}
      className={form.form}
      onSubmit={(event) => {
        if (!window.confirm("Disconnect DNSE? The client id and the token will be erased.")) event.preventDefault();
      }}
    >
      <FormMessage error={state.ok ? undefined : state.error} testId="broker-disconnect-message" />
      <div className={form.actions}>
        <button type="submit" className={`btn ${form.dangerButton}`} disabled={pending}>
          {pending ? "Disconnecting…" : "Disconnect"}
        </button>
      </div>
    </form>
  );
}
