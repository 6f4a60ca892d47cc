"use client";

/**
 * The method's backtest (POST /api/portfolio/backtest): monthly walk-forward rebalancing against equal
 * weight and VNINDEX, with the fee and tax settings; the equity curves as SVG and their metrics.
 */
import { useId, useState } from "react";
import { abbreviate } from "@/components/charts/format";
import { methodLabel, PortfolioApiError, runBacktest, type BacktestAnswer, type CurveMetrics, type OptimizeRequest } from "./api";
import { formatPct, formatVndAmount } from "./format";
import styles from "./portfolio.module.css";

const SERIES = [
  ["strategy", "var(--accent)"],
  ["equalWeight", "var(--price-ref)"],
  ["benchmark", "var(--text-muted)"],
] as const;

function EquityChart({ result, label }: { result: BacktestAnswer; label: string }) {
  const W = 960;
  const H = 300;
  const m = { l: 56, r: 12, t: 10, b: 28 };
  const all = [...result.curves.strategy, ...result.curves.equalWeight, ...(result.curves.benchmark ?? [])];
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  const n = result.dates.length;
  const sx = (i: number) => m.l + (i / Math.max(1, n - 1)) * (W - m.l - m.r);
  const sy = (v: number) => H - m.b - ((v - lo) / (hi - lo || 1)) * (H - m.t - m.b);
  const path = (c: number[]) => c.map((v, i) => `${i ? "L" : "M"}${sx(i).toFixed(1)},${sy(v).toFixed(1)}`).join(" ");
  const years = [...new Set(result.dates.map((d) => d.slice(0, 4)))];
  return (
    <svg className={styles.chart} viewBox={`0 0 ${W} ${H}`} role="img" data-testid="backtest-chart" aria-label={`Value of ${label}, equal weight and VNINDEX from ${result.dates[0]} to ${result.dates[n - 1]}`}>
      {[lo, (lo + hi) / 2, hi].map((v) => (
        <g key={v}>
          <line x1={m.l} x2={W - m.r} y1={sy(v)} y2={sy(v)} className={styles.grid} />
          <text x={m.l - 6} y={sy(v) + 4} textAnchor="end" className={styles.axisLabel}>
            {abbreviate(v)}
          </text>
        </g>
      ))}
      {years.map((y, k) => {
        const i = result.dates.findIndex((d) => d.startsWith(y));
        // A year that starts within a few weeks of the first date would print over the next one.
        if (k === 0 && years.length > 1 && sx(result.dates.findIndex((d) => d.startsWith(years[1] as string))) - sx(i) < 48) return null;
        return (
          <text key={y} x={sx(i)} y={H - 8} className={styles.axisLabel}>
            {y}
          </text>
        );
      })}
      {SERIES.map(([key, colour]) => {
        const c = result.curves[key];
        return c ? <path key={key} d={path(c)} fill="none" stroke={colour} strokeWidth={key === "strategy" ? 2.2 : 1.5} /> : null;
      })}
    </svg>
  );
}

export function BacktestPanel({ request }: { request: OptimizeRequest }) {
  const id = useId();
  const [years, setYears] = useState("3");
  const [result, setResult] = useState<BacktestAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = methodLabel(request.method);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      setResult(await runBacktest(request, Number(years)));
    } catch (e) {
      setResult(null);
      setError(e instanceof PortfolioApiError ? e.message : "The backtest could not be run.");
    } finally {
      setBusy(false);
    }
  }

  const rows: [string, string, CurveMetrics | null][] = result
    ? [
        [label, "var(--accent)", result.metrics.strategy],
        ["Equal weight", "var(--price-ref)", result.metrics.equalWeight],
        ["VNINDEX (held, no costs)", "var(--text-muted)", result.metrics.benchmark],
      ]
    : [];
  return (
    <section className={styles.card} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} className={styles.cardTitle}>
        Backtest
      </h2>
      <p className={styles.muted}>Rebalanced on the first session of each month; each rebalance sees only the closes before it. Fees on every trade, tax on sales.</p>
      <form
        className={styles.inline}
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className={styles.field}>
          <label htmlFor={`${id}-years`}>Years</label>
          <select id={`${id}-years`} className={styles.input} value={years} onChange={(e) => setYears(e.target.value)}>
            {[1, 2, 3, 5].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={styles.secondary} disabled={busy}>
          {busy ? "Running…" : "Run backtest"}
        </button>
      </form>
      {error ? (
        <p role="alert" className={styles.errorBox}>
          {error}
        </p>
      ) : null}
      {busy ? <div className={styles.skeletonBlock} aria-hidden="true" /> : null}
      {result && !busy ? (
        <>
          <EquityChart result={result} label={label} />
          <div className={styles.tableWrap}>
            <table className={styles.table} data-testid="backtest-table">
              <thead>
                <tr>
                  <th scope="col">Portfolio</th>
                  <th scope="col" className={styles.right}>CAGR</th>
                  <th scope="col" className={styles.right}>Volatility</th>
                  <th scope="col" className={styles.right}>Max drawdown</th>
                  <th scope="col" className={styles.right}>Turnover / year</th>
                  <th scope="col" className={styles.right}>Final value</th>
                  <th scope="col" className={styles.right}>Fees and tax</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(([name, colour, m]) =>
                  m ? (
                    <tr key={name}>
                      <th scope="row">
                        <span className={styles.swatch} style={{ background: colour }} aria-hidden="true" /> {name}
                      </th>
                      <td className={styles.right}>{formatPct(m.cagr)}</td>
                      <td className={styles.right}>{formatPct(m.volatility)}</td>
                      <td className={styles.right}>{formatPct(-m.maxDrawdown)}</td>
                      <td className={styles.right}>{formatPct(m.turnover, 0)}</td>
                      <td className={styles.right}>{formatVndAmount(m.finalValue)}</td>
                      <td className={styles.right}>{formatVndAmount(m.costs)}</td>
                    </tr>
                  ) : null,
                )}
              </tbody>
            </table>
          </div>
          <p className={styles.muted}>
            {result.rebalances.length} rebalances from 1,000,000,000 ₫, {result.dates[0]?.split("-").reverse().join("/")} to {result.asOf.split("-").reverse().join("/")}.
            {result.skipped.length > 0 ? ` ${result.skipped.length} kept the previous holdings: ${result.skipped[0]?.reason}` : ""}
          </p>
        </>
      ) : null}
    </section>
  );
}
