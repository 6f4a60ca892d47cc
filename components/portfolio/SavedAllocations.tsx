"use client";

/**
 * The user's saved allocations, newest first (dates in GMT+7): open one, pick two to compare side by
 * side, delete one after an inline confirmation.
 */
import { useId, useState } from "react";
import { formatDateTimeVn } from "@/components/ui/datetime";
import { methodLabel, type SavedAllocation, type SavedSummary } from "./api";
import { formatPct, formatRatio } from "./format";
import styles from "./portfolio.module.css";

export function SavedList({
  saved,
  onOpen,
  onCompare,
  onDelete,
  busyId,
}: {
  saved: SavedSummary[];
  onOpen: (id: string) => void;
  onCompare: (ids: [string, string]) => void;
  onDelete: (id: string) => Promise<void>;
  busyId: string | null;
}) {
  const id = useId();
  const [picked, setPicked] = useState<string[]>([]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const toggle = (sid: string) => setPicked((p) => (p.includes(sid) ? p.filter((x) => x !== sid) : [...p.slice(-1), sid]));

  return (
    <section className={styles.card} aria-labelledby={`${id}-h`}>
      <div className={styles.cardHead}>
        <h2 id={`${id}-h`} className={styles.cardTitle}>
          Saved allocations
        </h2>
        <button type="button" className={styles.secondary} disabled={picked.length !== 2} onClick={() => onCompare(picked as [string, string])}>
          Compare the two picked
        </button>
      </div>
      {saved.length === 0 ? (
        <p className={styles.muted}>Nothing saved yet. Generate an allocation, then Save it to find it here and compare it with others.</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table} data-testid="saved-table">
            <caption className="visually-hidden">Saved allocations, newest first; times in GMT+7</caption>
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Saved (GMT+7)</th>
                <th scope="col">Name</th>
                <th scope="col">Method</th>
                <th scope="col" className={styles.right}>Return</th>
                <th scope="col" className={styles.right}>Volatility</th>
                <th scope="col" className={styles.right}>Sharpe</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {saved.map((s) => (
                <tr key={s.id}>
                  <td>
                    <input type="checkbox" checked={picked.includes(s.id)} onChange={() => toggle(s.id)} aria-label={`Pick ${s.name} to compare`} />
                  </td>
                  <td className={styles.nowrap}>{formatDateTimeVn(new Date(s.createdAt)).replace(" GMT+7", "")}</td>
                  <th scope="row">{s.name}</th>
                  <td>{methodLabel(s.method)}</td>
                  <td className={styles.right}>{formatPct(s.metrics.expectedReturn)}</td>
                  <td className={styles.right}>{formatPct(s.metrics.volatility)}</td>
                  <td className={styles.right}>{formatRatio(s.metrics.sharpe)}</td>
                  <td className={styles.actions}>
                    {confirming === s.id ? (
                      <span role="group" aria-label={`Confirm deleting ${s.name}`}>
                        <span className={styles.muted}>Delete?</span>{" "}
                        <button
                          type="button"
                          className={styles.danger}
                          disabled={busyId === s.id}
                          onClick={async () => {
                            await onDelete(s.id);
                            setConfirming(null);
                            setPicked((p) => p.filter((x) => x !== s.id));
                          }}
                        >
                          Yes, delete
                        </button>{" "}
                        <button type="button" className={styles.linkButton} onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <>
                        <button type="button" className={styles.linkButton} onClick={() => onOpen(s.id)} aria-label={`Open ${s.name}`}>
                          Open
                        </button>{" "}
                        <button type="button" className={styles.linkButton} onClick={() => setConfirming(s.id)} aria-label={`Delete ${s.name}`}>
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function CompareView({ a, b, onClose }: { a: SavedAllocation; b: SavedAllocation; onClose: () => void }) {
  const pctOf = (s: SavedAllocation) => new Map(s.rows.map((r) => [r.symbol, r.pct]));
  const [pa, pb] = [pctOf(a), pctOf(b)];
  const symbols = [...new Set([...a.rows.map((r) => r.symbol), ...b.rows.map((r) => r.symbol)])].sort((x, y) => Math.max(pb.get(y) ?? 0, pa.get(y) ?? 0) - Math.max(pb.get(x) ?? 0, pa.get(x) ?? 0));
  const metric = (label: string, f: (s: SavedAllocation) => string) => (
    <tr>
      <th scope="row">{label}</th>
      <td className={styles.right}>{f(a)}</td>
      <td className={styles.right}>{f(b)}</td>
      <td />
    </tr>
  );
  return (
    <section className={styles.card} aria-label="Comparison of two saved allocations" data-testid="compare-view">
      <div className={styles.cardHead}>
        <h2 className={styles.cardTitle}>Side by side</h2>
        <button type="button" className={styles.linkButton} onClick={onClose}>
          Close comparison
        </button>
      </div>
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col" className={styles.right}>
                {a.name}
                <span className={styles.subhead}>{formatDateTimeVn(new Date(a.createdAt))}</span>
              </th>
              <th scope="col" className={styles.right}>
                {b.name}
                <span className={styles.subhead}>{formatDateTimeVn(new Date(b.createdAt))}</span>
              </th>
              <th scope="col" className={styles.right}>Difference</th>
            </tr>
          </thead>
          <tbody>
            {metric("Method", (s) => methodLabel(s.method))}
            {metric("Expected return", (s) => formatPct(s.metrics.expectedReturn))}
            {metric("Volatility", (s) => formatPct(s.metrics.volatility))}
            {metric("Sharpe ratio", (s) => formatRatio(s.metrics.sharpe))}
            {metric("Lookback", (s) => `${s.params.lookbackDays} days to ${s.metrics.asOf.split("-").reverse().join("/")}`)}
            {symbols.map((sym) => {
              const [x, y] = [pa.get(sym) ?? 0, pb.get(sym) ?? 0];
              return (
                <tr key={sym}>
                  <th scope="row">{sym}</th>
                  <td className={styles.right}>
                    <span className={styles.inlineBar} style={{ width: `${(x * 0.06).toFixed(3)}rem` }} aria-hidden="true" />
                    {x.toFixed(2)} %
                  </td>
                  <td className={styles.right}>
                    <span className={styles.inlineBar} style={{ width: `${(y * 0.06).toFixed(3)}rem` }} aria-hidden="true" />
                    {y.toFixed(2)} %
                  </td>
                  <td className={styles.right}>{`${y - x > 0 ? "+" : ""}${(y - x).toFixed(2)} pts`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
