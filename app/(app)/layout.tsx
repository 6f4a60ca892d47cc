import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSessionUser } from "@/app/_lib/session";
import { Providers } from "@/components/providers";
import { NavRail } from "@/components/shell/NavRail";
import { TopBar } from "@/components/shell/TopBar";
import styles from "@/components/shell/shell.module.css";

/** Every page of the workbench is the signed-in user's: rendered per request, never prerendered. */
export const dynamic = "force-dynamic";

/**
 * The workbench shell: navigation rail, top bar (symbol search, market snapshot, time zone),
 * and the page. Signed-out visits never get here (proxy.ts sends them to /login); a session whose
 * account was deleted meanwhile is sent there too.
 */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return (
    <Providers>
      <div className={styles.shell}>
        <a href="#main" className={styles.skipLink}>
          Skip to page content
        </a>
        <NavRail />
        <TopBar userEmail={user.email} />
        <main id="main" tabIndex={-1} className={styles.main}>
          {children}
        </main>
      </div>
    </Providers>
  );
}
