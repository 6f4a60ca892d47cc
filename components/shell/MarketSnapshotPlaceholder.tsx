import styles from "./shell.module.css";

/**
 * The place of the market snapshot strip (VN-Index, liquidity, foreign net flow, DXY, as-of
 * time). It shows no numbers until live market data exists, so nobody mistakes a mock for a quote.
 */
export function MarketSnapshotPlaceholder() {
  return (
    <section className={styles.snapshot} aria-label="Market snapshot" data-testid="market-snapshot">
      <span className={styles.snapshotTitle}>Market snapshot arrives with live data</span>
      <span className={styles.snapshotFields} aria-hidden="true">
        VN-Index · Liquidity · Foreign net flow · DXY
      </span>
    </section>
  );
}
