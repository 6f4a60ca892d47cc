/**
 * The keyset pager of the runs lists (a workflow's runs page, the executions page): « Newest, ← Newer
 * (?after=) and Older → (?before=), each keeping the page's status filter. The cursors come from
 * lib/workflows/run-list.ts listRunsKeyset (`newer`, `older`).
 */
import Link from "next/link";
import type { RunStatusFilter } from "@/lib/workflows/run-list";
import styles from "./list.module.css";

/** The list's URL with its status filter and, optionally, a cursor. */
export function runsListHref(path: string, status: RunStatusFilter | undefined, at: { before?: string; after?: string } = {}): string {
  const query = new URLSearchParams({ ...(status ? { status } : {}), ...(at.before ? { before: at.before } : {}), ...(at.after ? { after: at.after } : {}) }).toString();
  return query ? `${path}?${query}` : path;
}

export function RunsPager({ path, status, older, newer }: { path: string; status?: RunStatusFilter; older: string | null; newer: string | null }) {
  if (!older && !newer) return null;
  return (
    <nav className={styles.pager} aria-label="Pages">
      {newer ? <Link href={runsListHref(path, status)}>« Newest</Link> : null}
      {newer ? <Link href={runsListHref(path, status, { after: newer })}>← Newer</Link> : null}
      {older ? <Link href={runsListHref(path, status, { before: older })}>Older →</Link> : null}
    </nav>
  );
}
