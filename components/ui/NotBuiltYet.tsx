import type { ReactNode } from "react";
import styles from "./ui.module.css";

/**
 * The honest state of an area that is planned but not built: what will be here, which part of
 * the product brings it, and what the analyst can do meanwhile. Never shows invented data.
 */
export function NotBuiltYet({
  title,
  arrivesWith,
  features,
  meanwhile,
}: {
  /** A short statement, e.g. "Candle charts are not built yet". */
  title: string;
  /** Which part of the product brings it, e.g. "the market-data release". */
  arrivesWith: ReactNode;
  /** What the area will offer, one item per line. */
  features: ReactNode[];
  /** What to do next in the meantime. */
  meanwhile?: ReactNode;
}) {
  return (
    <section className={styles.notBuilt} aria-labelledby="not-built-title" data-testid="not-built-yet">
      <div className={styles.notBuiltHead}>
        <span className={styles.badge}>Not built yet</span>
        <h2 id="not-built-title" className={styles.notBuiltTitle}>
          {title}
        </h2>
        <p className={styles.notBuiltArrives}>Arrives with {arrivesWith}.</p>
      </div>
      <h3 className={styles.notBuiltListTitle}>What will be here</h3>
      <ul className={styles.featureList}>
        {features.map((f, i) => (
          <li key={i}>{f}</li>
        ))}
      </ul>
      {meanwhile ? (
        <div className={styles.meanwhile}>
          <h3 className={styles.notBuiltListTitle}>Meanwhile</h3>
          <div>{meanwhile}</div>
        </div>
      ) : null}
    </section>
  );
}
