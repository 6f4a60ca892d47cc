import type { ReactNode } from "react";
import { NavRail } from "@/components/shell/NavRail";
import { TopBar } from "@/components/shell/TopBar";
import styles from "@/components/shell/shell.module.css";

/**
 * The workbench shell: navigation rail, top bar (symbol search, market snapshot, time zone),
 * and the page. Open without signing in until accounts arrive.
 */
export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skipLink}>
        Skip to page content
      </a>
      <NavRail />
      <TopBar />
      <main id="main" tabIndex={-1} className={styles.main}>
        {children}
      </main>
    </div>
  );
}
