import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/app/_lib/session";
import styles from "@/components/auth/auth.module.css";
import { SignUpForm } from "@/components/auth/SignUpForm";
import { safeCallbackPath } from "@/lib/auth/public-paths";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Create an account" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).callbackUrl;
  const callbackPath = safeCallbackPath(Array.isArray(raw) ? raw[0] : raw);
  if (await getSessionUser()) redirect(callbackPath);
  return (
    <>
      <h1 className={styles.title}>Create an account</h1>
      <p className={styles.lead}>An email and a password. Your analyses stay private to you.</p>
      <SignUpForm callbackPath={callbackPath} />
    </>
  );
}
