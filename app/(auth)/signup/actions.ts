"use server";

import { headers } from "next/headers";
import type { ActionState } from "@/app/_lib/action";
import { formObject } from "@/app/_lib/action";
import { fieldErrorsFromZod } from "@/components/forms/zod-errors";
import { getDb } from "@/db/client";
import { signUp } from "@/lib/auth/accounts";
import { clientAddress } from "@/lib/auth/client-address";
import { signUpSchema } from "@/lib/auth/credentials";
import { SIGNUP_REFUSED } from "@/lib/auth/signup-messages";

/**
 * Creates an account (public: no session yet). The browser then signs in with the same credentials.
 * QUANTFLOW_SIGNUP decides who may: anyone, holders of an invitation (the hidden `invitation` field), nobody.
 * A taken email gets the very answer of a new one (lib/auth/accounts.ts makes it cost the same): the
 * sign-in that follows then fails with the uniform "Wrong email or password." unless the password is
 * the account's own. Attempts are limited per client address.
 */
export async function createAccount(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formObject(formData);
  const parsed = signUpSchema.safeParse(fields);
  if (!parsed.success) return { error: "Check the highlighted fields.", fieldErrors: fieldErrorsFromZod(parsed.error) };
  const invitation = typeof fields.invitation === "string" && fields.invitation.length <= 200 ? fields.invitation : undefined;
  const result = await signUp(getDb(), parsed.data, { invitation, clientAddress: clientAddress(await headers()) ?? null });
  if (result.ok || result.error === "email_taken") return { ok: true, data: { email: parsed.data.email } };
  if (result.error === "weak_password") return { error: "Check the highlighted fields.", fieldErrors: { password: result.message } };
  if (result.error === "throttled") return { error: result.message };
  return { error: SIGNUP_REFUSED[result.error] };
}
