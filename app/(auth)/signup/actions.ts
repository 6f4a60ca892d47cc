"use server";

import type { ActionState } from "@/app/_lib/action";
import { formObject } from "@/app/_lib/action";
import { fieldErrorsFromZod } from "@/components/forms/zod-errors";
import { getDb } from "@/db/client";
import { signUp } from "@/lib/auth/accounts";
import { signUpSchema } from "@/lib/auth/credentials";

/** Creates an account (public: no session yet). The browser then signs in with the same credentials. */
export async function createAccount(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = signUpSchema.safeParse(formObject(formData));
  if (!parsed.success) return { error: "Check the highlighted fields.", fieldErrors: fieldErrorsFromZod(parsed.error) };
  const result = await signUp(getDb(), parsed.data);
  if (!result.ok) return { error: "This email is taken.", fieldErrors: { email: "This email is taken. Sign in instead, or use another email." } };
  return { ok: true, data: { email: result.user.email } };
}
