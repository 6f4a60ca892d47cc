"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useActionState } from "react";
import type { ActionState } from "@/app/_lib/action";
import { createAccount } from "@/app/(auth)/signup/actions";
import { Field, FormMessage } from "@/components/forms/Field";
import form from "@/components/forms/form.module.css";
import { fieldErrorsFromZod } from "@/components/forms/zod-errors";
import { MIN_PASSWORD_LENGTH, signUpSchema } from "@/lib/auth/credentials";
import styles from "./auth.module.css";

type State = ActionState & { email?: string };

export function SignUpForm({ callbackPath, invitation }: { callbackPath: string; invitation?: string }) {
  const router = useRouter();
  const [state, action, pending] = useActionState(async (previous: State, data: FormData): Promise<State> => {
    const email = String(data.get("email") ?? "");
    const input = {
      email,
      password: String(data.get("password") ?? ""),
      confirmPassword: String(data.get("confirmPassword") ?? ""),
    };
    // The same schema as the server's, for an instant answer; the server checks again.
    const parsed = signUpSchema.safeParse(input);
    if (!parsed.success) return { email, error: "Check the highlighted fields.", fieldErrors: fieldErrorsFromZod(parsed.error) };
    let created: ActionState;
    try {
      created = await createAccount(previous, data);
    } catch {
      return { email, error: "QuantFlow could not be reached. Check your connection and try again." };
    }
    if (!created.ok) return { ...created, email };
    const signedIn = await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirect: false });
    if (!signedIn || signedIn.error) {
      // Also the way of an email that already had an account (the server answers it like a new one):
      // the sign-in page asks for that account's password, as it would anyone.
      router.push(`/login?signUp=1&callbackUrl=${encodeURIComponent(callbackPath)}`);
      return { ok: true };
    }
    router.push(callbackPath);
    return { ok: true };
  }, {});

  const errors = state.ok ? undefined : state.fieldErrors;
  return (
    <form action={action} className={form.form} noValidate>
      <FormMessage error={state.ok ? undefined : state.error} testId="signup-error" />
      {invitation ? <input type="hidden" name="invitation" value={invitation} /> : null}
      <Field
        id="email"
        name="email"
        type="email"
        label="Email"
        autoComplete="email"
        defaultValue={state.email}
        error={errors?.email}
        required
        autoFocus
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. A phrase of a few words is easy to remember and hard to guess.`}
        error={errors?.password}
        minLength={MIN_PASSWORD_LENGTH}
        required
      />
      <Field
        id="confirmPassword"
        name="confirmPassword"
        type="password"
        label="Repeat the password"
        autoComplete="new-password"
        error={errors?.confirmPassword}
        required
      />
      <button type="submit" className={`btn btn-primary ${styles.submit}`} disabled={pending || state.ok === true}>
        {pending || state.ok ? "Creating your account…" : "Create account"}
      </button>
      <p className={styles.switch}>
        Already have an account? <Link href={`/login?callbackUrl=${encodeURIComponent(callbackPath)}`}>Sign in</Link>
      </p>
    </form>
  );
}
