"use server";

import { SIGNED_OUT, userAction, type ActionState } from "@/app/_lib/action";
import { getDb } from "@/db/client";
import { changePassword, deleteAccount } from "@/lib/auth/accounts";
import { changePasswordSchema, deleteAccountSchema } from "@/lib/auth/credentials";

export async function changePasswordAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, changePasswordSchema, async (user, input) => {
    const result = await changePassword(getDb(), user.id, input);
    if (result.ok) return { ok: true, message: "Password changed. Use the new one from now on." };
    if (result.error === "not_found") return SIGNED_OUT;
    return { error: "The current password is wrong.", fieldErrors: { currentPassword: "This is not your current password." } };
  });
}

/** Deletes the account and, by the seed's cascades, its workflows, logs, allocations and memories. */
export async function deleteAccountAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, deleteAccountSchema, async (user, input) => {
    const result = await deleteAccount(getDb(), user.id, input.password);
    if (result.ok) return { ok: true, message: "Your account has been deleted." };
    if (result.error === "not_found") return SIGNED_OUT;
    return { error: "The password is wrong: nothing was deleted.", fieldErrors: { password: "This is not your password." } };
  });
}
