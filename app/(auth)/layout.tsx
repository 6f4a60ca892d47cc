import Link from "next/link";
import type { ReactNode } from "react";
import styles from "@/components/auth/auth.module.css";
import { LogoMark } from "@/components/shell/icons";
import { ThemeToggle } from "@/components/shell/ThemeToggle";

/** Sign-in and sign-up: outside the workbench shell, with the way back to the landing page. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <Link href="/" className={styles.brand}>
          <LogoMark size={22} />
          <span>QuantFlow</span>
        </Link>
        <ThemeToggle />
      </header>
      <main id="main" className={styles.main}>
        <div className={styles.card}>{children}</div>
      </main>
    </div>
  );
}
