"use client";
/**
 * A node's input or output after a run, for the builder's side panel (n8n's habit): a Table view (each
 * symbol's series as a sparkline and its first and last rows, "… N rows …" between; tables as their first
 * and last rows) and a JSON view, switched by tabs. Values are as stored with the run: long arrays may be
 * truncated to { truncated, size, head, tail }, and what is there is shown.
 */
import { useId, useState, type KeyboardEvent, type ReactNode } from "react";
import { formatBarTimeVn } from "@/components/ui/datetime";
import { formatValue } from "./format";
import { headTail, seriesRows, storedArray } from "./headTail";
import styles from "./list.module.css";
import { cellText, isCandlesBySymbol, isSeriesBySymbol, NodeValue, Sparkline, tableColumns } from "./NodeValue";

export type ResultTab = "table" | "json";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const timeText = (t: unknown) => (typeof t === "number" || typeof t === "string" ? formatBarTimeVn(t) : "—");

/** Rows with "… N rows …" where the middle was left out. */
function HeadTailBody<T>({ items, size, columns, row, keep = 3 }: { items: T[]; size: number; columns: number; row: (item: T, i: number) => ReactNode; keep?: number }) {
  const { head, hidden, tail } = headTail(items, size, keep);
  return (
    <tbody>
      {head.map((it, i) => row(it, i))}
      {hidden > 0 ? (
        <tr className={styles.gapRow}>
          <td colSpan={columns}>… {hidden.toLocaleString("en-US")} rows …</td>
        </tr>
      ) : null}
      {tail.map((it, i) => row(it, head.length + i))}
    </tbody>
  );
}

function SeriesRowsView({ value }: { value: Record<string, { times: unknown; values: unknown }> }) {
  return (
    <>
      {Object.entries(value).map(([symbol, s]) => {
        const series = seriesRows(s);
        if (!series) return null;
        return (
          <div key={symbol} className={styles.resultSymbol} data-testid={`result-series-${symbol}`}>
            <p className={styles.resultHeading}>
              <strong>{symbol}</strong> <span className={styles.muted}>{series.size.toLocaleString("en-US")} points</span>
              <Sparkline values={series.rows.map(([, v]) => v)} />
            </p>
            <table className={styles.compact}>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                </tr>
              </thead>
              <HeadTailBody
                items={series.rows}
                size={series.size}
                columns={2}
                row={([t, v], i) => (
                  <tr key={i}>
                    <td className="num">{timeText(t)}</td>
                    <td className="num">{formatValue(v)}</td>
                  </tr>
                )}
              />
            </table>
          </div>
        );
      })}
    </>
  );
}

function CandleRowsView({ value }: { value: Record<string, unknown> }) {
  return (
    <>
      {Object.entries(value).map(([symbol, raw]) => {
        const bars = storedArray(raw);
        if (!bars) return null;
        const list = bars.items.filter(isObject);
        return (
          <div key={symbol} className={styles.resultSymbol} data-testid={`result-series-${symbol}`}>
            <p className={styles.resultHeading}>
              <strong>{symbol}</strong> <span className={styles.muted}>{bars.size.toLocaleString("en-US")} bars</span>
              <Sparkline values={list.map((b) => b.close)} />
            </p>
            <table className={styles.compact}>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col" className="num">
                    Close
                  </th>
                  <th scope="col" className="num">
                    Volume
                  </th>
                </tr>
              </thead>
              <HeadTailBody
                items={list}
                size={bars.size}
                columns={3}
                row={(b, i) => (
                  <tr key={i}>
                    <td className="num">{timeText(b.time)}</td>
                    <td className="num">{formatValue(b.close)}</td>
                    <td className="num">{formatValue(b.volume)}</td>
                  </tr>
                )}
              />
            </table>
          </div>
        );
      })}
    </>
  );
}

function TableRowsView({ rows, size }: { rows: Record<string, unknown>[]; size: number }) {
  if (size === 0) return <p className={styles.muted}>No rows.</p>;
  const columns = tableColumns(rows);
  return (
    <div className={styles.scroll}>
      <table className={styles.compact}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <HeadTailBody
          items={rows}
          size={size}
          columns={columns.length}
          keep={5}
          row={(r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c} className={typeof r[c] === "number" ? "num" : undefined}>
                  {cellText(c, r[c])}
                </td>
              ))}
            </tr>
          )}
        />
      </table>
    </div>
  );
}

/** The Table view of one value. */
export function ResultTable({ value }: { value: unknown }) {
  if (isSeriesBySymbol(value)) return <SeriesRowsView value={value} />;
  if (isCandlesBySymbol(value)) return <CandleRowsView value={value} />;
  const list = storedArray(value);
  if (list && list.items.every(isObject)) return <TableRowsView rows={list.items as Record<string, unknown>[]} size={list.size} />;
  return <NodeValue value={value} />;
}

const JSON_LIMIT = 40_000;

export function ResultJson({ value }: { value: unknown }) {
  const text = JSON.stringify(value, null, 2) ?? "null";
  return (
    <pre className={styles.pre} data-testid="result-json">
      {text.length > JSON_LIMIT ? `${text.slice(0, JSON_LIMIT)}\n… (${(text.length - JSON_LIMIT).toLocaleString("en-US")} more characters)` : text}
    </pre>
  );
}

/** Table / JSON tabs over a node's results (its inputs and outputs share the choice). */
export function ResultTabs({ children }: { children: (tab: ResultTab) => ReactNode }) {
  const [tab, setTab] = useState<ResultTab>("table");
  const id = useId();
  const tabs: { key: ResultTab; label: string }[] = [
    { key: "table", label: "Table" },
    { key: "json", label: "JSON" },
  ];
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    e.preventDefault();
    const next = tab === "table" ? "json" : "table";
    setTab(next);
    document.getElementById(`${id}-${next}`)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label="Result view" className={styles.tabs} onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.key}
            id={`${id}-${t.key}`}
            type="button"
            role="tab"
            aria-selected={tab === t.key}
            aria-controls={`${id}-panel`}
            tabIndex={tab === t.key ? 0 : -1}
            className={styles.tab}
            onClick={() => setTab(t.key)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${tab}`}>
        {children(tab)}
      </div>
    </>
  );
}
