"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { SIGNED_OUT, userAction, type ActionState } from "@/app/_lib/action";
import { getDb } from "@/db/client";
import { changePassword, deleteAccount } from "@/lib/auth/accounts";
import { apiTokenNameSchema, createApiToken, MAX_ACTIVE_TOKENS, revokeApiToken } from "@/lib/auth/api-tokens";
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
    if (result.error === "throttled" || result.error === "weak_password" || result.error === "memory_store_unavailable") return { error: result.message };
    return { error: "The password is wrong: nothing was deleted.", fieldErrors: { password: "This is not your password." } };
  });
}

const tokenIdSchema = z.object({ tokenId: z.uuid({ error: "Not a valid token id." }) });

/** A personal API token for scripts; the token is in the answer once, only its hash is stored. */
export async function createApiTokenAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, apiTokenNameSchema, async (user, input) => {
    const result = await createApiToken(getDb(), user.id, input.name);
    if (!result.ok) return { error: `You have ${MAX_ACTIVE_TOKENS} tokens already: revoke one you no longer use first.` };
    revalidatePath("/settings/account");
    return { ok: true, message: "Token created. Copy it now: it is not shown again.", data: { token: result.token } };
  });
}

export async function revokeApiTokenAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, tokenIdSchema, async (user, input) => {
    // Another user's token id is answered like an unknown one.
    if (!(await revokeApiToken(getDb(), user.id, input.tokenId))) return { error: "Not found.", status: 404 };
    revalidatePath("/settings/account");
    return { ok: true, message: "Token revoked: it no longer works." };
  });
}
