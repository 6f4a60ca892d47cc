import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/app/_lib/session";
import styles from "@/components/auth/auth.module.css";
import { SignInForm } from "@/components/auth/SignInForm";
import { getPool } from "@/db/client";
import { safeCallbackPath } from "@/lib/auth/public-paths";
import { demoAccountOffer } from "@/lib/demo/demo-offer";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(first(params.callbackUrl));
  if (await getSessionUser()) redirect(callbackPath);
  const requested = first(params.callbackUrl);
  const notice =
    first(params.signedOut) !== undefined
      ? "You are signed out."
      : first(params.deleted) !== undefined
        ? "Your account and everything in it have been deleted."
        : first(params.signUp) !== undefined
          ? "Sign in with your email and password to continue."
          : requested && callbackPath !== "/charts"
          ? "Sign in to continue to the page you asked for."
          : undefined;
  // Offered only while the demo account has its published password; a database hiccup offers nothing.
  const demo = await demoAccountOffer(getPool()).catch(() => null);
  return (
    <>
      <h1 className={styles.title}>Sign in</h1>
      <p className={styles.lead}>Your workflows, allocations and broker connection are private to your account.</p>
      <SignInForm callbackPath={callbackPath} notice={notice} demo={demo} />
    </>
  );
}
