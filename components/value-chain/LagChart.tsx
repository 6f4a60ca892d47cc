"use client";
import type { AnalysisJson } from "./types";
import styles from "./value-chain.module.css";

const W = 320;
const H = 150;
const PAD_L = 30;
const PAD_B = 18;

/**
 * ρ(k) at every lag as bars (positive k: the source moves first), the band corrected for the 2K + 1
 * lags tested (solid) and the plain 95 % band (dashed); the lead's bar is outlined.
 */
export function LagChart({ analysis }: { analysis: AnalysisJson }) {
  const { lags, band, plainBand, leadTimeDays } = analysis;
  const top = Math.max(0.2, band * 1.15, ...lags.map((l) => Math.abs(l.rho ?? 0)));
  const plotW = W - PAD_L - 4;
  const plotH = H - PAD_B - 6;
  const mid = 6 + plotH / 2;
  const y = (v: number) => mid - (v / top) * (plotH / 2);
  const step = plotW / Math.max(1, lags.length);
  const maxK = lags.length ? Math.max(...lags.map((l) => Math.abs(l.k))) : 0;
  const tick = (v: number) => (v < 0 ? `−${Math.abs(v).toFixed(2)}` : v.toFixed(2));
  const outside = lags.filter((l) => l.rho !== null && Math.abs(l.rho) > band).length;
  return (
    <figure className={styles.lagFigure}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className={styles.lagChart}
        role="img"
        aria-label={`Cross-correlation at lags −${maxK} to ${maxK}: largest at k = ${leadTimeDays}, ρ ${tick(analysis.correlation)}; ${outside} lag${outside === 1 ? "" : "s"} beyond the corrected band ±${band.toFixed(3)}.`}
        data-testid="lag-chart"
      >
        <line x1={PAD_L} x2={W - 4} y1={mid} y2={mid} className={styles.lagAxis} />
        {[top, -top].map((v) => (
          <text key={v} x={PAD_L - 4} y={y(v) + 4} className={styles.lagTick} textAnchor="end">
            {tick(v)}
          </text>
        ))}
        <text x={PAD_L - 4} y={mid + 4} className={styles.lagTick} textAnchor="end">
          0
        </text>
        {lags.map((l, i) => {
          if (l.rho === null) return null;
          const x = PAD_L + i * step + step * 0.15;
          const h = Math.abs(y(l.rho) - mid);
          return (
            <rect
              key={l.k}
              x={x}
              width={Math.max(1, step * 0.7)}
              y={l.rho >= 0 ? mid - h : mid}
              height={Math.max(0.5, h)}
              className={styles.lagBar}
              data-lead={l.k === leadTimeDays ? "true" : undefined}
              data-out={Math.abs(l.rho) > band ? "true" : undefined}
            >
              <title>{`k = ${l.k}: ρ ${l.rho.toFixed(3)}${l.n ? ` (n = ${l.n})` : ""}`}</title>
            </rect>
          );
        })}
        {[band, -band].map((b) => (
          <line key={`c${b}`} x1={PAD_L} x2={W - 4} y1={y(b)} y2={y(b)} className={styles.bandCorrected} />
        ))}
        {[plainBand, -plainBand].map((b) => (
          <line key={`p${b}`} x1={PAD_L} x2={W - 4} y1={y(b)} y2={y(b)} className={styles.bandPlain} />
        ))}
        {[-maxK, 0, maxK].map((k) => (
          <text key={k} x={PAD_L + (k + maxK) * step + step / 2} y={H - 4} className={styles.lagTick} textAnchor="middle">
            {k === 0 ? "k = 0" : k}
          </text>
        ))}
      </svg>
      <figcaption className={styles.lagCaption}>
        <span>
          <span className={styles.keyCorrected} aria-hidden="true" /> band corrected for {lags.length} lags ±{band.toFixed(3)}
        </span>
        <span>
          <span className={styles.keyPlain} aria-hidden="true" /> plain 95 % band ±{plainBand.toFixed(3)}
        </span>
        <span>k &gt; 0: the source moves first</span>
      </figcaption>
    </figure>
  );
}
