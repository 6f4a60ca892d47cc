import type { Metadata } from "next";
import Link from "next/link";
import { LogoMark } from "@/components/shell/icons";
import { NAV_ITEMS } from "@/components/shell/nav";
import { RequestedPath } from "@/components/ui/RequestedPath";
import styles from "@/components/ui/status.module.css";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className={styles.wrap}>
      <div className={styles.card}>
        <Link href="/" className={styles.brand}>
          <LogoMark />
          QuantFlow
        </Link>
        <p className={styles.code}>Error 404</p>
        <h1 className={styles.title}>Page not found</h1>
        <p className={styles.body}>
          There is no page at <RequestedPath />. The address may be mistyped, or the page may belong to a part of
          QuantFlow that is not built yet.
        </p>
        <div className={styles.actions}>
          <Link href="/charts" className="btn btn-primary">
            Open the workbench
          </Link>
          <Link href="/" className="btn">
            QuantFlow home
          </Link>
        </div>
        <p className={styles.links}>
          Or go straight to:{" "}
          {NAV_ITEMS.map((item) => (
            <Link key={item.area} href={item.href}>
              {item.label}
            </Link>
          ))}
        </p>
      </div>
    </main>
  );
}
