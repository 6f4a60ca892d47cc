"use client";

import { useActionState } from "react";
import type { ActionState } from "@/app/_lib/action";
import { disconnectBrokerAction, saveBrokerAction, testBrokerAction } from "@/app/(app)/settings/broker/actions";
import { Field, FormMessage } from "@/components/forms/Field";
import form from "@/components/forms/form.module.css";

const errorsOf = (s: ActionState) => (s.ok ? undefined : s.fieldErrors);

type SaveState = ActionState & { clientId?: string };

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
  // The typed client id survives a refused save (React resets the form to its defaults); the token does not.
  const [state, action, pending] = useActionState(
    async (previous: SaveState, data: FormData): Promise<SaveState> => ({
      ...(await saveBrokerAction(previous, data)),
      clientId: String(data.get("clientId") ?? ""),
    }),
    {} as SaveState,
  );
  const errors = errorsOf(state);
  return (
    <form action={action} className={form.form} noValidate>
      <FormMessage error={state.ok ? undefined : state.error} success={state.ok ? state.message : undefined} testId="broker-save-message" />
      <Field
        id="clientId"
        name="clientId"
        label="DNSE client id"
        hint="The investor id, custody code, email or phone number you sign in to DNSE with."
        defaultValue={state.clientId ?? clientId ?? ""}
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

/**
 * "Test connection" and "Disconnect" side by side, their answers below the row: what DNSE said (the
 * investor's name, or the error in words), or why disconnecting failed.
 */
export function ConnectionActions() {
  const [tested, testAction, testing] = useActionState(testBrokerAction, {});
  const [disconnected, disconnectAction, disconnecting] = useActionState(disconnectBrokerAction, {});
  return (
    <>
      <div className={form.buttonRow}>
        <form action={testAction}>
          <button type="submit" className="btn" disabled={testing}>
            {testing ? "Testing…" : "Test connection"}
          </button>
        </form>
        <form
          action={disconnectAction}
          onSubmit={(event) => {
            if (!window.confirm("Disconnect DNSE? The client id and the token will be erased.")) event.preventDefault();
          }}
        >
          <button type="submit" className={`btn ${form.dangerButton}`} disabled={disconnecting}>
            {disconnecting ? "Disconnecting…" : "Disconnect"}
          </button>
        </form>
      </div>
      <div className={form.messages} aria-live="polite">
        <FormMessage error={tested.ok ? undefined : tested.error} success={tested.ok ? tested.message : undefined} testId="broker-test-result" />
        <FormMessage error={disconnected.ok ? undefined : disconnected.error} testId="broker-disconnect-message" />
      </div>
    </>
  );
}
