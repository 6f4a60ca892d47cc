import type { InputHTMLAttributes, ReactNode } from "react";
import styles from "./form.module.css";

/** A labelled input with its hint and its error, wired for screen readers (aria-describedby). */
export function Field({
  id,
  label,
  hint,
  error,
  mono,
  ...input
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  mono?: boolean;
} & InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      <input
        id={id}
        className={`${styles.input} ${mono ? styles.mono : ""}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint ? (
        <p id={`${id}-hint`} className={styles.hint}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className={styles.fieldError}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The form-level message: an alert for errors, a polite status for success. */
export function FormMessage({ error, success, testId }: { error?: string; success?: string; testId?: string }) {
  if (error) {
    return (
      <p role="alert" className={styles.alert} data-testid={testId}>
        {error}
      </p>
    );
  }
  if (success) {
    return (
      <p role="status" className={styles.success} data-testid={testId}>
        {success}
      </p>
    );
  }
  return null;
}
