"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useActionState, useRef } from "react";
import { Field, FormMessage } from "@/components/forms/Field";
import form from "@/components/forms/form.module.css";
import { fieldErrorsFromZod } from "@/components/forms/zod-errors";
import { signInSchema } from "@/lib/auth/credentials";
import styles from "./auth.module.css";

interface State {
  error?: string;
  fieldErrors?: Record<string, string>;
  email?: string;
}

/** next-auth's answer for a wrong email or password; anything else is our own sentence (the throttle). */
const WRONG_CREDENTIALS = "CredentialsSignin";

/** `demo`: the demo account, given only while it exists with its published password (lib/demo/demo-offer.ts). */
export function SignInForm({ callbackPath, notice, demo }: { callbackPath: string; notice?: string; demo?: { email: string; password: string } | null }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const fillDemo = () => {
    const form = formRef.current;
    if (!form || !demo) return;
    (form.elements.namedItem("email") as HTMLInputElement).value = demo.email;
    (form.elements.namedItem("password") as HTMLInputElement).value = demo.password;
    form.requestSubmit();
  };
  const [state, action, pending] = useActionState(async (_prev: State, data: FormData): Promise<State> => {
    const email = String(data.get("email") ?? "");
    const parsed = signInSchema.safeParse({ email, password: String(data.get("password") ?? "") });
    if (!parsed.success) return { email, fieldErrors: fieldErrorsFromZod(parsed.error) };
    try {
      const result = await signIn("credentials", { ...parsed.data, redirect: false, callbackUrl: callbackPath });
      const code = result ? result.error : WRONG_CREDENTIALS;
      if (code) {
        const error =
          code === WRONG_CREDENTIALS
            ? "Wrong email or password."
            : code.startsWith("Too many")
              ? code
              : "Signing in failed. Try again in a moment.";
        return { email, error };
      }
    } catch {
      return { email, error: "QuantFlow could not be reached. Check your connection and try again." };
    }
    // The workbench is dynamic: the router fetches it fresh, with the new session cookie.
    router.push(callbackPath);
    return { email };
  }, {});

  return (
    <form ref={formRef} action={action} className={form.form} noValidate aria-describedby={state.error ? "signin-error" : undefined}>
      {notice && !state.error ? <p className={form.info}>{notice}</p> : null}
      <FormMessage error={state.error} testId="signin-error" />
      <Field
        id="email"
        name="email"
        type="email"
        label="Email"
        autoComplete="username"
        defaultValue={state.email}
        error={state.fieldErrors?.email}
        required
        autoFocus
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        error={state.fieldErrors?.password}
        required
      />
      <button type="submit" className={`btn btn-primary ${styles.submit}`} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      {demo ? (
        <div className={`${form.info} ${styles.demo}`} data-testid="demo-offer">
          <p>
            Just looking? Sign in as the demo analyst: <span className="num">{demo.email}</span> / <span className="num">{demo.password}</span>
          </p>
          <button type="button" className="btn" onClick={fillDemo} disabled={pending}>
            Use the demo account
          </button>
        </div>
      ) : null}
      <p className={styles.switch}>
        New to QuantFlow? <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackPath)}`}>Create an account</Link>
      </p>
    </form>
  );
}
