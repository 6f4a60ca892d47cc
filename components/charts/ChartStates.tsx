"use client";

import Link from "next/link";
import { Skeleton } from "@/components/ui/Skeleton";
import { ApiError } from "./api";
import type { Resolution } from "./chart-time";
import styles from "./charts.module.css";

/** The chart's place while the first bars load: the legend line and a candle-shaped block. */
export function ChartSkeleton({ symbol, resolution }: { symbol: string; resolution: Resolution }) {
  return (
    <div className={styles.chartFrame} role="status" aria-live="polite" data-testid="chart-loading">
      <span className="visually-hidden">
        Loading {symbol}&apos;s {resolution} bars…
      </span>
      <div className={styles.skeletonChart} aria-hidden="true">
        <Skeleton width={360} height={16} />
        <Skeleton width={220} height={14} />
        <div className={styles.skeletonBars}>
          {Array.from({ length: 36 }, (_, i) => (
            <Skeleton key={i} width="100%" height={`${30 + ((i * 37) % 55)}%`} />
          ))}
        </div>
      </div>
    </div>
  );
}

/** No bars yet: say so and offer the two ways to get some. */
export function ChartEmpty({
  symbol,
  resolution,
  onBackfill,
  onImport,
}: {
  symbol: string;
  resolution: Resolution;
  onBackfill: () => void;
  onImport: () => void;
}) {
  return (
    <div className={`${styles.chartFrame} ${styles.stateBox}`} data-testid="chart-empty">
      <h2 className={styles.stateTitle}>
        No bars for {symbol} at {resolution} yet
      </h2>
      <p className={styles.stateText}>Load its history from DNSE, or import a CSV file of candles.</p>
      <div className={styles.stateActions}>
        <button type="button" className="btn btn-primary" onClick={onBackfill}>
          Load history from DNSE
        </button>
        <button type="button" className="btn" onClick={onImport}>
          Import a CSV
        </button>
      </div>
    </div>
  );
}

const UNKNOWN_SYMBOL = /unknown symbol|not a symbol|no such symbol|not found|does not exist/i;

/** Whether the API refused because it does not know the symbol. */
export function isUnknownSymbol(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 400 || error.status === 404) && UNKNOWN_SYMBOL.test(error.message);
}

function focusSymbolSearch() {
  window.dispatchEvent(new Event("qf:focus-symbol-search"));
}

/** The API refused or failed: its reason in words, next to the chart it concerns, with a way on. */
export function ChartError({ symbol, error, onRetry }: { symbol: string; error: ApiError | Error; onRetry: () => void }) {
  const unknown = isUnknownSymbol(error);
  return (
    <div className={`${styles.chartFrame} ${styles.stateBox}`} role="alert" data-testid="chart-error">
      <h2 className={styles.stateTitle}>{unknown ? `${symbol} is not a symbol we know` : `${symbol}'s bars could not be loaded`}</h2>
      <p className={styles.stateText}>
        {unknown
          ? `QuantFlow has no symbol ${symbol} on HOSE, HNX or UPCOM, nor an index of that name. Check the ticker, or search by name.`
          : error.message}
      </p>
      <div className={styles.stateActions}>
        {unknown ? (
          <>
            <button type="button" className="btn btn-primary" onClick={focusSymbolSearch}>
              Search for a symbol
            </button>
            <Link href="/charts" className="btn">
              Browse all symbols
            </Link>
          </>
        ) : (
          <button type="button" className="btn btn-primary" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </div>
  );
}
