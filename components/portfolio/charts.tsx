/**
 * The portfolio page's charts as plain SVG (no chart library: three small pictures, a few hundred
 * bytes of code each): weights with risk contributions, the correlation heat map and the efficient
 * frontier. Each scales to its box (viewBox) and carries a text summary for screen readers.
 */
import type { RiskReturn } from "./api";
import { formatPct } from "./format";
import styles from "./portfolio.module.css";

export function WeightBars({ rows }: { rows: { symbol: string; weight: number; risk?: number }[] }) {
  const max = Math.max(0.0001, ...rows.map((r) => Math.max(r.weight, r.risk ?? 0)));
  const rowH = 30;
  const labelW = 56;
  // Narrow, so that on a phone the labels shrink little.
  const width = 360;
  const barW = width - labelW - 70;
  const height = rows.length * rowH + 8;
  const summary = rows.map((r) => `${r.symbol} ${formatPct(r.weight)}`).join(", ");
  return (
    <svg className={styles.chart} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Weights: ${summary}`} data-testid="weights-chart">
      {rows.map((r, i) => {
        const y = i * rowH + 4;
        return (
          <g key={r.symbol}>
            <text x={0} y={y + 14} className={styles.barLabel}>
              {r.symbol}
            </text>
            <rect x={labelW} y={y + 2} width={Math.max(1, (r.weight / max) * barW)} height={13} rx={2} className={styles.barWeight} />
            {r.risk !== undefined ? <rect x={labelW} y={y + 17} width={Math.max(1, (Math.max(0, r.risk) / max) * barW)} height={6} rx={2} className={styles.barRisk} /> : null}
            <text x={labelW + Math.max(1, (r.weight / max) * barW) + 6} y={y + 13} className={styles.barLabel}>
              {formatPct(r.weight, 1)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** −1 → cool, 0 → the surface, +1 → warm; as a CSS colour mixing two theme variables. */
function corrColour(rho: number): string {
  const p = Math.round(Math.min(1, Math.abs(rho)) * 100);
  return `color-mix(in srgb, ${rho >= 0 ? "var(--heat-pos)" : "var(--heat-neg)"} ${p}%, var(--surface-2))`;
}

export function CorrelationHeatmap({ symbols, correlation }: { symbols: string[]; correlation: number[][] }) {
  const n = symbols.length;
  const cell = n <= 8 ? 44 : n <= 16 ? 30 : 18;
  const label = 56;
  const size = label + n * cell;
  const showValues = n <= 12;
  return (
    <svg className={styles.chart} style={{ maxWidth: size * 1.2, minWidth: Math.min(size, 420) }} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`Correlation of daily returns between ${n} symbols; hover a cell for its value`} data-testid="correlation-heatmap">
      {symbols.map((s, i) => (
        <g key={s}>
          <text x={label - 6} y={label + i * cell + cell / 2 + 4} textAnchor="end" className={styles.axisLabel}>
            {s}
          </text>
          <text x={label + i * cell + cell / 2} y={label - 8} textAnchor="middle" className={styles.axisLabel} transform={n > 8 ? `rotate(-45 ${label + i * cell + cell / 2} ${label - 8})` : undefined}>
            {s}
          </text>
        </g>
      ))}
      {correlation.map((row, i) =>
        row.map((rho, j) => (
          <g key={`${i}-${j}`}>
            <rect x={label + j * cell} y={label + i * cell} width={cell - 1} height={cell - 1} style={{ fill: corrColour(rho) }}>
              <title>{`${symbols[i]} / ${symbols[j]}: ${rho.toFixed(2)}`}</title>
            </rect>
            {showValues ? (
              <text x={label + j * cell + cell / 2} y={label + i * cell + cell / 2 + 4} textAnchor="middle" className={styles.cellLabel}>
                {rho.toFixed(2)}
              </text>
            ) : null}
          </g>
        )),
      )}
    </svg>
  );
}

/** Round axis steps: 1, 2 or 5 × 10^k, about `count` of them over [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(v);
  return out;
}

export function FrontierChart({ frontier, assets, chosen, riskFreeRate }: { frontier: RiskReturn[]; assets: (RiskReturn & { symbol: string })[]; chosen: RiskReturn; riskFreeRate: number }) {
  const points = [...frontier, ...assets, chosen];
  const xs = points.map((p) => p.volatility);
  const ys = points.map((p) => p.expectedReturn);
  const [x0, x1] = [0, Math.max(...xs) * 1.08];
  const padY = (Math.max(...ys) - Math.min(...ys)) * 0.1 || 0.05;
  const [y0, y1] = [Math.min(0, Math.min(...ys) - padY), Math.max(...ys) + padY];
  const W = 560;
  const H = 340;
  const m = { l: 64, r: 16, t: 12, b: 40 };
  const sx = (v: number) => m.l + ((v - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (v: number) => H - m.b - ((v - y0) / (y1 - y0)) * (H - m.t - m.b);
  const path = [...frontier].sort((a, b) => a.expectedReturn - b.expectedReturn).map((p, i) => `${i ? "L" : "M"}${sx(p.volatility).toFixed(1)},${sy(p.expectedReturn).toFixed(1)}`).join(" ");
  return (
    <svg className={styles.chart} viewBox={`0 0 ${W} ${H}`} role="img" data-testid="frontier-chart"
      aria-label={`Efficient frontier of ${frontier.length} points; the portfolio at volatility ${formatPct(chosen.volatility)} and expected return ${formatPct(chosen.expectedReturn)}; ${assets.length} single symbols marked`}>
      {ticks(x0, x1).map((t) => (
        <g key={`x${t}`}>
          <line x1={sx(t)} x2={sx(t)} y1={m.t} y2={H - m.b} className={styles.grid} />
          <text x={sx(t)} y={H - m.b + 16} textAnchor="middle" className={styles.axisLabel}>{`${Math.round(t * 100)}%`}</text>
        </g>
      ))}
      {ticks(y0, y1).map((t) => (
        <g key={`y${t}`}>
          <line x1={m.l} x2={W - m.r} y1={sy(t)} y2={sy(t)} className={styles.grid} />
          <text x={m.l - 6} y={sy(t) + 4} textAnchor="end" className={styles.axisLabel}>{`${Math.round(t * 100)}%`}</text>
        </g>
      ))}
      <text x={(W + m.l) / 2} y={H - 6} textAnchor="middle" className={styles.axisTitle}>Volatility (annual)</text>
      <text x={14} y={(H - m.b) / 2} textAnchor="middle" transform={`rotate(-90 14 ${(H - m.b) / 2})`} className={styles.axisTitle}>Expected return (annual)</text>
      {riskFreeRate >= y0 && riskFreeRate <= y1 ? <line x1={m.l} x2={W - m.r} y1={sy(riskFreeRate)} y2={sy(riskFreeRate)} className={styles.rfLine}><title>{`Risk-free rate ${formatPct(riskFreeRate)}`}</title></line> : null}
      <path d={path} className={styles.frontier} data-testid="frontier-line" />
      {assets.map((a) => (
        <g key={a.symbol} data-testid="frontier-asset">
          <circle cx={sx(a.volatility)} cy={sy(a.expectedReturn)} r={4} className={styles.assetDot}>
            <title>{`${a.symbol}: return ${formatPct(a.expectedReturn)}, volatility ${formatPct(a.volatility)}`}</title>
          </circle>
          <text x={sx(a.volatility) + 6} y={sy(a.expectedReturn) - 6} className={styles.valueLabel}>{a.symbol}</text>
        </g>
      ))}
      <g data-testid="frontier-portfolio">
        <path d={`M${sx(chosen.volatility)},${sy(chosen.expectedReturn) - 8} l7,13 h-14 z`} className={styles.chosen}>
          <title>{`Your portfolio: return ${formatPct(chosen.expectedReturn)}, volatility ${formatPct(chosen.volatility)}`}</title>
        </path>
        <text x={sx(chosen.volatility)} y={sy(chosen.expectedReturn) + 20} textAnchor="middle" className={styles.chosenLabel}>Portfolio</text>
      </g>
    </svg>
  );
}
