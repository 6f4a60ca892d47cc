"use client";

import Link from "next/link";
import { useEffect } from "react";
import styles from "./status.module.css";

function digestOf(error: unknown): string | undefined {
  if (error && typeof error === "object" && "digest" in error && typeof error.digest === "string") {
    return error.digest;
  }
  return undefined;
}

/**
 * A page failed while loading. Server errors reach the browser without their message (so no
 * internals leak); the digest lets whoever runs QuantFlow find the full error in the server log.
 * `inShell` renders it inside the workbench (rail and top bar stay usable) instead of full-page.
 */
export function ErrorState({ error, retry, inShell = false }: { error: unknown; retry: () => void; inShell?: boolean }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = digestOf(error);

  const card = (
    <div className={styles.card} role="alert">
      <p className={styles.code}>Something went wrong</p>
      <h1 className={styles.title}>This page could not be loaded</h1>
      <p className={styles.body}>
        QuantFlow hit an error while preparing this page, so nothing is shown rather than something wrong. Your saved
        work is not affected. Try again; if it fails again, the server may have lost its database connection — whoever
        runs QuantFlow can check <code>/api/health</code> and the server log.
      </p>
      <div className={styles.actions}>
        <button type="button" className="btn btn-primary" onClick={() => retry()}>
          Try again
        </button>
        <Link href="/charts" className="btn">
          Back to the workbench
        </Link>
      </div>
      {digest ? <p className={styles.digest}>Error reference for the server log: {digest}</p> : null}
    </div>
  );
  return inShell ? card : <main className={styles.wrap}>{card}</main>;
}
