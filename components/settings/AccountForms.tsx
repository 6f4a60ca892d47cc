"use client";

import { useRouter } from "next/navigation";
import { signIn, signOut } from "next-auth/react";
import { useActionState, useEffect } from "react";
import type { ActionState } from "@/app/_lib/action";
import { changePasswordAction, deleteAccountAction } from "@/app/(app)/settings/account/actions";
import { Field, FormMessage } from "@/components/forms/Field";
import form from "@/components/forms/form.module.css";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/credentials";

const errorsOf = (s: ActionState) => (s.ok ? undefined : s.fieldErrors);

export function ChangePasswordForm() {
  const router = useRouter();
  const [state, action, pending] = useActionState(async (previous: ActionState, data: FormData): Promise<ActionState> => {
    const result = await changePasswordAction(previous, data);
    if (!result.ok) return result;
    // The change ended every session, this one too (a copied cookie must not outlive it): sign in afresh.
    const password = String(data.get("newPassword") ?? "");
    const signedIn = await signIn("credentials", { email: result.data?.email ?? "", password, redirect: false }).catch(() => undefined);
    if (!signedIn || signedIn.error) router.push("/login?callbackUrl=%2Fsettings%2Faccount");
    return result;
  }, {});
  const errors = errorsOf(state);
  return (
    <form action={action} className={form.form} noValidate>
      <FormMessage error={state.ok ? undefined : state.error} success={state.ok ? state.message : undefined} testId="password-message" />
      <Field id="currentPassword" name="currentPassword" type="password" label="Current password" autoComplete="current-password" error={errors?.currentPassword} required />
      <Field
        id="newPassword"
        name="newPassword"
        type="password"
        label="New password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        error={errors?.newPassword}
        required
      />
      <Field id="confirmPassword" name="confirmPassword" type="password" label="Repeat the new password" autoComplete="new-password" error={errors?.confirmPassword} required />
      <div className={form.actions}>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </button>
      </div>
    </form>
  );
}

export function DeleteAccountForm() {
  const [state, action, pending] = useActionState(deleteAccountAction, {});
  const errors = errorsOf(state);
  const router = useRouter();
  useEffect(() => {
    // The account is gone: drop the session cookie and leave.
    if (state.ok) void signOut({ redirect: false }).then(() => router.push("/login?deleted=1"));
  }, [state.ok, router]);
  return (
    <form action={action} className={form.form} noValidate>
      <FormMessage error={state.ok ? undefined : state.error} success={state.ok ? state.message : undefined} testId="delete-message" />
      <Field id="deletePassword" name="password" type="password" label="Your password" autoComplete="current-password" error={errors?.password} required />
      <Field
        id="deleteConfirm"
        name="confirm"
        type="text"
        label="Type DELETE to confirm"
        autoComplete="off"
        spellCheck={false}
        error={errors?.confirm}
        required
      />
      <div className={form.actions}>
        <button type="submit" className={`btn ${form.dangerButton}`} disabled={pending || state.ok === true}>
          {pending ? "Deleting…" : "Delete my account"}
        </button>
      </div>
    </form>
  );
}
