"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";
import styles from "./shell.module.css";

/** Who is signed in (an initial, linking to the account page; the email on hover and for screen readers) and the way out. */
export function UserMenu({ email }: { email: string }) {
  const [leaving, setLeaving] = useState(false);
  const router = useRouter();
  return (
    <div className={styles.userMenu}>
      <Link href="/settings/account" className={styles.avatar} title={`Signed in as ${email}: account settings`} data-testid="user-email">
        <span aria-hidden="true">{email.charAt(0).toUpperCase()}</span>
        <span className="visually-hidden">{email}</span>
      </Link>
      <button
        type="button"
        className="btn"
        disabled={leaving}
        onClick={() => {
          setLeaving(true);
          // By path, not next-auth's redirect address (built from NEXTAUTH_URL, which may be unset).
          void signOut({ redirect: false }).then(() => router.push("/login?signedOut=1"));
        }}
      >
        {leaving ? "Signing out…" : "Sign out"}
      </button>
    </div>
  );
}
