"use client";

/**
 * Orders in whole lots for the allocation on screen: capital in VND → lots at today's prices (on the
 * tick grid), fees, leftover and realised weights; Download CSV (UTF-8 with BOM for Excel).
 */
import { useId, useState } from "react";
import { PortfolioApiError, sizeOrders, type OrdersAnswer } from "./api";
import { formatPct, formatVndAmount, groupDigits, ordersCsv, parseVndInput } from "./format";
import styles from "./portfolio.module.css";

export function OrdersPanel({ weights }: { weights: Record<string, number> }) {
  const id = useId();
  const [capital, setCapital] = useState("1,000,000,000");
  const [plan, setPlan] = useState<OrdersAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    const vnd = parseVndInput(capital);
    if (vnd === null) {
      setError("Capital must be a whole number of VND, e.g. 1,000,000,000.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setPlan(await sizeOrders(weights, vnd));
    } catch (e) {
      setPlan(null);
      setError(e instanceof PortfolioApiError ? e.message : "The orders could not be sized.");
    } finally {
      setBusy(false);
    }
  }

  function download() {
    if (!plan) return;
    const csv = ordersCsv(
      plan.lines.map((l) => ({ ...l, exchange: plan.exchanges[l.symbol] ?? null })),
      { capital: plan.capital, invested: plan.invested, fees: plan.fees, leftover: plan.leftover, priceDate: plan.priceDate },
    );
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `quantflow-orders-${plan.priceDate}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  const bought = plan?.lines.filter((l) => l.targetWeight > 0 || l.lots > 0) ?? [];
  return (
    <section className={styles.card} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} className={styles.cardTitle}>
        Orders in whole lots
      </h2>
      <form
        className={styles.inline}
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className={styles.field}>
          <label htmlFor={`${id}-capital`}>Capital (VND)</label>
          <input id={`${id}-capital`} className={`${styles.input} ${styles.num}`} inputMode="numeric" value={capital} onChange={(e) => setCapital(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-err` : undefined} />
        </div>
        <button type="submit" className={styles.primary} disabled={busy}>
          {busy ? "Sizing…" : "Size orders"}
        </button>
      </form>
      {error ? (
        <p id={`${id}-err`} role="alert" className={styles.errorBox}>
          {error}
        </p>
      ) : null}
      {busy && !plan ? <div className={styles.skeletonBlock} aria-hidden="true" /> : null}
      {plan ? (
        <>
          <p className={styles.muted}>
            Board lots of 100 shares at the closes of {plan.priceDate.split("-").reverse().join("/")} (on each exchange&apos;s tick grid); buying fee {formatPct(Number(plan.feeRate), 2)}, rounded up to the đồng per line.
            {plan.optimal ? "" : " The solver stopped at its time limit: this plan is the best it found."}
          </p>
          <div className={styles.tableWrap}>
            <table className={styles.table} data-testid="orders-table">
              <thead>
                <tr>
                  <th scope="col">Symbol</th>
                  <th scope="col" className={styles.right}>Price (₫)</th>
                  <th scope="col" className={styles.right}>Lots</th>
                  <th scope="col" className={styles.right}>Shares</th>
                  <th scope="col" className={styles.right}>Value (₫)</th>
                  <th scope="col" className={styles.right}>Fee (₫)</th>
                  <th scope="col" className={styles.right}>Target</th>
                  <th scope="col" className={styles.right}>Realised</th>
                </tr>
              </thead>
              <tbody>
                {bought.map((l) => (
                  <tr key={l.symbol}>
                    <th scope="row">{l.symbol}</th>
                    <td className={styles.right}>{l.price ? groupDigits(l.price) : "—"}</td>
                    <td className={styles.right}>{groupDigits(l.lots)}</td>
                    <td className={styles.right}>{groupDigits(l.shares)}</td>
                    <td className={styles.right}>{groupDigits(l.value)}</td>
                    <td className={styles.right}>{groupDigits(l.fee)}</td>
                    <td className={styles.right}>{formatPct(l.targetWeight)}</td>
                    <td className={styles.right}>{formatPct(l.realisedWeight)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <dl className={styles.totals} data-testid="orders-totals">
            <div>
              <dt>Capital</dt>
              <dd>{formatVndAmount(plan.capital)}</dd>
            </div>
            <div>
              <dt>Invested</dt>
              <dd>{formatVndAmount(plan.invested)}</dd>
            </div>
            <div>
              <dt>Fees</dt>
              <dd>{formatVndAmount(plan.fees)}</dd>
            </div>
            <div>
              <dt>Leftover</dt>
              <dd data-testid="orders-leftover">{formatVndAmount(plan.leftover)}</dd>
            </div>
            <div>
              <dt>Distance from the targets</dt>
              <dd>{formatPct(plan.distance.l1 / 2)}</dd>
            </div>
          </dl>
          <button type="button" className={styles.secondary} onClick={download}>
            Download CSV
          </button>
        </>
      ) : null}
    </section>
  );
}
