"use server";

import type { ActionState } from "@/app/_lib/action";
import { formObject } from "@/app/_lib/action";
import { fieldErrorsFromZod } from "@/components/forms/zod-errors";
import { getDb } from "@/db/client";
import { signUp } from "@/lib/auth/accounts";
import { signUpSchema } from "@/lib/auth/credentials";
import { SIGNUP_REFUSED } from "@/lib/auth/signup-messages";

/**
 * Creates an account (public: no session yet). The browser then signs in with the same credentials.
 * QUANTFLOW_SIGNUP decides who may: anyone, holders of an invitation (the hidden `invitation` field), nobody.
 */
export async function createAccount(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formObject(formData);
  const parsed = signUpSchema.safeParse(fields);
  if (!parsed.success) return { error: "Check the highlighted fields.", fieldErrors: fieldErrorsFromZod(parsed.error) };
  const invitation = typeof fields.invitation === "string" && fields.invitation.length <= 200 ? fields.invitation : undefined;
  const result = await signUp(getDb(), parsed.data, { invitation });
  if (result.ok) return { ok: true, data: { email: result.user.email } };
  if (result.error === "email_taken") return { error: "This email is taken.", fieldErrors: { email: "This email is taken. Sign in instead, or use another email." } };
  return { error: SIGNUP_REFUSED[result.error] };
}
