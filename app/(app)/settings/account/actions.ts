"use server";

import { headers } from "next/headers";
import { SIGNED_OUT, userAction, type ActionState } from "@/app/_lib/action";
import { getDb } from "@/db/client";
import { changePassword, deleteAccount } from "@/lib/auth/accounts";
import { clientAddress } from "@/lib/auth/client-address";
import { changePasswordSchema, deleteAccountSchema } from "@/lib/auth/credentials";

/**
 * Changes the password and ends every session of the account, this one included (a copy of its
 * cookie would otherwise live on); the form then signs in again with the new password.
 */
export async function changePasswordAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, changePasswordSchema, async (user, input) => {
    const result = await changePassword(getDb(), user.id, input, clientAddress(await headers()));
    if (result.ok) {
      return { ok: true, message: "Password changed, and every session of this account signed out; this browser signed in again with the new password.", data: { email: user.email } };
    }
    if (result.error === "not_found") return SIGNED_OUT;
    if (result.error === "throttled") return { error: result.message };
    if (result.error === "weak_password") return { error: "Check the highlighted fields.", fieldErrors: { newPassword: result.message } };
    return { error: "The current password is wrong.", fieldErrors: { currentPassword: "This is not your current password." } };
  });
}

/** Deletes the account and, by the seed's cascades, its workflows, logs, allocations, memories and sessions. */
export async function deleteAccountAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, deleteAccountSchema, async (user, input) => {
    const result = await deleteAccount(getDb(), user.id, input.password, clientAddress(await headers()));
    if (result.ok) return { ok: true, message: "Your account has been deleted." };
    if (result.error === "not_found") return SIGNED_OUT;
    if (result.error === "throttled" || result.error === "weak_password") return { error: result.message };
    return { error: "The password is wrong: nothing was deleted.", fieldErrors: { password: "This is not your password." } };
  });
}
