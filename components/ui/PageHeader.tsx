import Link from "next/link";
import type { ReactNode } from "react";
import styles from "./ui.module.css";

/**
 * The title block of a page: an optional trail back to the parent area, one h1, an optional
 * line under it, optional actions on the right.
 */
export function PageHeader({
  title,
  description,
  actions,
  parent,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** The area this page belongs to, shown as a link above the title. */
  parent?: { href: string; label: string };
}) {
  return (
    <div className={styles.pageHeader}>
      <div>
        {parent ? (
          <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
            <ol>
              <li>
                <Link href={parent.href}>{parent.label}</Link>
              </li>
              <li aria-current="page">{title}</li>
            </ol>
          </nav>
        ) : null}
        <h1 className={styles.pageTitle}>{title}</h1>
        {description ? <p className={styles.pageDescription}>{description}</p> : null}
      </div>
      {actions ? <div className={styles.pageActions}>{actions}</div> : null}
    </div>
  );
}
