"use client";

import type { ActionState } from "@/app/_lib/action";
import form from "@/components/forms/form.module.css";
import styles from "./users.module.css";

/** A one-button action's refusal, beside the button in a table row. */
export function RowError({ state }: { state: ActionState }) {
  return !state.ok && state.error ? (
    <span className={styles.rowError} role="alert">
      {state.error}
    </span>
  ) : null;
}

/** A secret shown once (an invitation link, an API token): selected on focus, with a Copy button. */
export function ShownOnce({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <p className={styles.link}>
      <input className={`${form.input} ${form.mono}`} readOnly value={value} aria-label={label} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(value)}>
        Copy
      </button>
    </p>
  );
}
