/**
 * The wrapper every server action goes through: zod parse → session user → the action. It answers
 * `{ error }` (with field errors) or `{ ok }`, the state of a form driven by useActionState.
 */
import type { z } from "zod";
import { fieldErrorsFromZod as fieldErrorsOf } from "@/components/forms/zod-errors";
import { getSessionUser, type SessionUser } from "./session";

export type ActionState =
  | { ok: true; message?: string; data?: Record<string, string | null> }
  | { ok?: false; error?: string; fieldErrors?: Record<string, string>; status?: 401 | 404 };

export const SIGNED_OUT: ActionState = { error: "Your session has ended. Sign in again.", status: 401 };


export function formObject(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) out[key] = value;
  }
  return out;
}

/**
 * The body of a signed-in user's server action. (Next only registers `export async function`s of a
 * "use server" file as actions, so each action is such a function that calls this.)
 */
export async function userAction<S extends z.ZodType>(
  formData: FormData,
  schema: S,
  run: (user: SessionUser, input: z.infer<S>) => Promise<ActionState>,
): Promise<ActionState> {
  const parsed = schema.safeParse(formObject(formData));
  if (!parsed.success) return { error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
  const user = await getSessionUser();
  if (!user) return SIGNED_OUT;
  return run(user, parsed.data);
}
