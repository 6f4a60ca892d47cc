import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/app/_lib/session";
import styles from "@/components/auth/auth.module.css";
import { SignUpForm } from "@/components/auth/SignUpForm";
import form from "@/components/forms/form.module.css";
import { getDb } from "@/db/client";
import { installationHasAccounts } from "@/lib/auth/accounts";
import { safeCallbackPath } from "@/lib/auth/public-paths";
import { SIGNUP_REFUSED } from "@/lib/auth/signup-messages";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Create an account" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(first(params.callbackUrl));
  if (await getSessionUser()) redirect(callbackPath);
  const mode = env().QUANTFLOW_SIGNUP;
  const invitation = first(params.invite);
  // The first account of an empty installation is always allowed: it becomes the admin.
  const firstAccount = mode !== "open" && !(await installationHasAccounts(getDb()));
  const refused = firstAccount ? undefined : mode === "closed" ? SIGNUP_REFUSED.signup_closed : mode === "invite" && !invitation ? SIGNUP_REFUSED.invitation_invalid : undefined;
  return (
    <>
      <h1 className={styles.title}>Create an account</h1>
      {refused ? (
        <>
          <p className={form.alert} role="alert" data-testid="signup-refused">
            {refused}
          </p>
          <p className={styles.switch}>
            Already have an account? <Link href={`/login?callbackUrl=${encodeURIComponent(callbackPath)}`}>Sign in</Link>
          </p>
        </>
      ) : (
        <>
          <p className={styles.lead}>
            {firstAccount
              ? "The first account of this installation: it will be its admin."
              : "An email and a password. Your analyses stay private to you."}
          </p>
          <SignUpForm callbackPath={callbackPath} invitation={invitation} />
        </>
      )}
    </>
  );
}
