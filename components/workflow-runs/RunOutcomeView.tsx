/**
 * The top of a run's page: what it found. Each signal as "TLH · RSI 27.4 · 30/11/2026" (symbol, the value
 * that triggered, the bar's Vietnamese date), each alert with its title and text; else why it failed or
 * that nothing qualified. The logic is lib/workflows/outcome.ts; this only renders it.
 */
import type { RunOutcome } from "@/lib/workflows/outcome";
import styles from "./list.module.css";

export function RunOutcomeView({ outcome }: { outcome: RunOutcome }) {
  return (
    <section className={styles.outcome} aria-labelledby="run-outcome-heading" data-testid="run-outcome" data-tone={outcome.tone}>
      <h2 id="run-outcome-heading">Outcome</h2>
      <p className={styles.outcomeSummary} data-testid="run-outcome-summary">
        {outcome.summary}
      </p>
      {outcome.signals.length > 0 ? (
        <>
          <h3>Signals</h3>
          <ul className={styles.signalList} data-testid="run-signals">
            {outcome.signals.map((s, i) => (
              <li key={`${s.symbol}:${s.time}:${i}`}>
                <strong>{s.symbol}</strong>
                {s.triggerText ? <span> · {s.triggerText}</span> : null}
                {s.timeText ? <span className={styles.muted}> · {s.timeText}</span> : null}
                {s.reason ? <span className={styles.muted}> — {s.reason}</span> : null}
              </li>
            ))}
          </ul>
          {outcome.signalsNotShown > 0 ? <p className={styles.muted}>… and {outcome.signalsNotShown} more not kept with the run (the first and last are shown).</p> : null}
        </>
      ) : null}
      {outcome.alerts.map((a, i) => (
        <div key={i} className={styles.alertBox} data-severity={a.severity} data-testid="run-alert">
          <h3>
            {a.title} <span className={styles.muted}>({a.severity})</span>
          </h3>
          {a.message ? <p>{a.message}</p> : null}
          {a.signals.length > 0 ? <p className={styles.muted}>{a.signals.map((s) => s.text).join("; ")}</p> : null}
        </div>
      ))}
    </section>
  );
}
