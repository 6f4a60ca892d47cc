"use client";
/**
 * A node's input or output after a run, for the builder's side panel (n8n's habit): a Table view (each
 * symbol's series as a sparkline and its first and last rows, "… N rows …" between; tables as their first
 * and last rows) and a JSON view, switched by tabs. Values are as stored with the run: long arrays may be
 * truncated to { truncated, size, head, tail }, and what is there is shown.
 */
import { useId, useState, type KeyboardEvent, type ReactNode } from "react";
import { isObject, storedArray } from "@/lib/workflows/stored-array";
import { formatValue } from "./format";
import { headTail, seriesRows } from "./headTail";
import styles from "./list.module.css";
import { ColumnsHead, isCandlesBySymbol, isSeriesBySymbol, NodeValue, RowCells, Sparkline, tableColumns, timeText } from "./NodeValue";

export type ResultTab = "table" | "json";

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

/** One symbol's stored rows: a heading with their count and a sparkline, then the first and last rows. */
function SymbolRows<T>({ symbol, size, unit, spark, columns, rows, cells }: { symbol: string; size: number; unit: string; spark: unknown[]; columns: { label: string; num?: boolean }[]; rows: T[]; cells: (row: T) => ReactNode[] }) {
  return (
    <div className={styles.resultSymbol} data-testid={`result-series-${symbol}`}>
      <p className={styles.resultHeading}>
        <strong>{symbol}</strong> <span className={styles.muted}>{size.toLocaleString("en-US")} {unit}</span>
        <Sparkline values={spark} />
      </p>
      <table className={styles.compact}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.num ? "num" : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <HeadTailBody
          items={rows}
          size={size}
          columns={columns.length}
          row={(r, i) => (
            <tr key={i}>
              {cells(r).map((cell, j) => (
                <td key={j} className="num">
                  {cell}
                </td>
              ))}
            </tr>
          )}
        />
      </table>
    </div>
  );
}

const SERIES_COLUMNS = [{ label: "Time" }, { label: "Value", num: true }];
const CANDLE_COLUMNS = [{ label: "Time" }, { label: "Close", num: true }, { label: "Volume", num: true }];

function SeriesRowsView({ value }: { value: Record<string, { times: unknown; values: unknown }> }) {
  return (
    <>
      {Object.entries(value).map(([symbol, s]) => {
        const series = seriesRows(s);
        if (!series) return null;
        return (
          <SymbolRows
            key={symbol}
            symbol={symbol}
            size={series.size}
            unit="points"
            spark={series.rows.map(([, v]) => v)}
            columns={SERIES_COLUMNS}
            rows={series.rows}
            cells={([t, v]) => [timeText(t), formatValue(v)]}
          />
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
          <SymbolRows
            key={symbol}
            symbol={symbol}
            size={bars.size}
            unit="bars"
            spark={list.map((b) => b.close)}
            columns={CANDLE_COLUMNS}
            rows={list}
            cells={(b) => [timeText(b.time), formatValue(b.close), formatValue(b.volume)]}
          />
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
        <ColumnsHead columns={columns} />
        <HeadTailBody items={rows} size={size} columns={columns.length} keep={5} row={(r, i) => <RowCells key={i} columns={columns} row={r} />} />
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
