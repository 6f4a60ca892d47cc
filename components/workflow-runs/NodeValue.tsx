/**
 * A node's stored input or output, readable: per-symbol series as a table with a small line chart,
 * per-symbol bars by their latest close, tables (signals, rankings) as tables, anything else as JSON.
 * Stored arrays may be truncated ({ truncated, size, head, tail }): the table says how many points there were.
 */
import { formatBarTimeVn } from "@/components/ui/datetime";
import { formatValue } from "./format";
import { isObject, isStoredTruncated, storedArray } from "@/lib/workflows/stored-array";
import styles from "./list.module.css";

export const timeText = (t: unknown) => (typeof t === "number" || typeof t === "string" ? formatBarTimeVn(t) : "—");
/** Columns and fields that hold a time (bar times and when an alert was raised). */
const TIME_KEYS = new Set(["time", "barTime", "at"]);
export const cellText = (key: string, v: unknown) => (TIME_KEYS.has(key) && typeof v === "string" ? formatBarTimeVn(v) : Array.isArray(v) ? v.map((x) => formatValue(x)).join(", ") || "none" : formatValue(v));

export function Sparkline({ values }: { values: unknown[] }) {
  const nums = values.filter((v): v is number => typeof v === "number");
  if (nums.length < 2) return null;
  const min = Math.min(...nums);
  const max = Math.max(...nums);
  const span = max - min || 1;
  const points = nums.map((v, i) => `${((i / (nums.length - 1)) * 120).toFixed(1)},${(22 - ((v - min) / span) * 20).toFixed(1)}`).join(" ");
  return (
    <svg width="120" height="24" viewBox="0 0 120 24" aria-hidden="true">
      <polyline points={points} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
    </svg>
  );
}

function SeriesTable({ value }: { value: Record<string, { times: unknown; values: unknown }> }) {
  return (
    <div className={styles.scroll}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col" className="num">
              Points
            </th>
            <th scope="col">Last time</th>
            <th scope="col" className="num">
              Last value
            </th>
            <th scope="col">Latest points</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(value).map(([symbol, s]) => {
            const times = storedArray(s.times);
            const values = storedArray(s.values);
            return (
              <tr key={symbol}>
                <td>{symbol}</td>
                <td className="num">{values?.size ?? 0}</td>
                <td className="num">{timeText(times?.latest.at(-1))}</td>
                <td className="num">{formatValue(values?.latest.at(-1))}</td>
                <td>{values ? <Sparkline values={values.latest} /> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function CandlesTable({ value }: { value: Record<string, unknown> }) {
  return (
    <div className={styles.scroll}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col" className="num">
              Bars
            </th>
            <th scope="col">Last bar</th>
            <th scope="col" className="num">
              Last close
            </th>
            <th scope="col">Closes</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(value).map(([symbol, bars]) => {
            const list = storedArray(bars);
            const last = list?.latest.at(-1) as { time?: string; close?: number } | undefined;
            return (
              <tr key={symbol}>
                <td>{symbol}</td>
                <td className="num">{list?.size ?? 0}</td>
                <td className="num">{last?.time ? formatBarTimeVn(last.time) : "—"}</td>
                <td className="num">{formatValue(last?.close)}</td>
                <td>{list ? <Sparkline values={list.latest.map((b) => (b as { close?: number }).close)} /> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const COLUMN_ORDER = ["rank", "symbol", "time", "value", "reason"];

/** A table's columns: every key of its rows; a stored row's keys come back in JSONB's order (shortest first), so the usual ones go first, in reading order. */
export function tableColumns(rows: readonly Record<string, unknown>[]): string[] {
  const rank = (c: string) => (COLUMN_ORDER.indexOf(c) + COLUMN_ORDER.length + 1) % (COLUMN_ORDER.length + 1);
  return [...new Set(rows.flatMap((r) => Object.keys(r)))].sort((a, b) => rank(a) - rank(b));
}

/** A table's header row: its columns as named. */
export function ColumnsHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A table row's cells in the order of `columns`, numbers aligned as numbers. */
export function RowCells({ columns, row }: { columns: readonly string[]; row: Record<string, unknown> }) {
  return (
    <tr>
      {columns.map((c) => (
        <td key={c} className={typeof row[c] === "number" ? "num" : undefined}>
          {cellText(c, row[c])}
        </td>
      ))}
    </tr>
  );
}

function RowsTable({ rows, size }: { rows: Record<string, unknown>[]; size: number }) {
  if (rows.length === 0) return <p className={styles.muted}>No rows.</p>;
  const columns = tableColumns(rows);
  const shown = rows.slice(0, 100);
  return (
    <div className={styles.scroll}>
      <table className={styles.table}>
        <ColumnsHead columns={columns} />
        <tbody>
          {shown.map((r, i) => (
            <RowCells key={i} columns={columns} row={r} />
          ))}
        </tbody>
      </table>
      {size > shown.length ? <p className={styles.muted}>Showing {shown.length} of {size} rows.</p> : null}
    </div>
  );
}

/** Labels for the fields a node reports about its output (lib/workflows/types.ts NodeInfo) and an alert's. */
const FIELD_LABELS: Record<string, string> = {
  barTime: "Bar time",
  compared: "Symbols compared",
  leftOut: "Left out (no bar then)",
  annualisedBy: "Annualised by",
  barsPerYear: "Bars a year",
  resolution: "Resolution",
  at: "At",
};

/** A flat record (a node's notes, an alert) as label: value pairs. */
function Fields({ value }: { value: Record<string, unknown> }) {
  return (
    <dl className={styles.facts}>
      {Object.entries(value).map(([k, v]) => (
        <div key={k}>
          <dt>{FIELD_LABELS[k] ?? k.charAt(0).toUpperCase() + k.slice(1)}</dt>
          <dd>{cellText(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}

const isFlat = (v: Record<string, unknown>) =>
  Object.values(v).every((x) => x === null || typeof x !== "object" || (Array.isArray(x) && x.every((y) => typeof y !== "object")));

export const isSeriesBySymbol = (value: unknown): value is Record<string, { times: unknown; values: unknown }> =>
  isObject(value) && !isStoredTruncated(value) && Object.keys(value).length > 0 && Object.values(value).every((s) => isObject(s) && "times" in s && "values" in s);

export const isCandlesBySymbol = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && !isStoredTruncated(value) && Object.keys(value).length > 0 && !isFlat(value) &&
  Object.values(value).every((b) => { const l = storedArray(b); return l !== null && (l.items.length === 0 || (isObject(l.items[0]) && "close" in l.items[0])); });

export function NodeValue({ value }: { value: unknown }) {
  if (isObject(value) && !isStoredTruncated(value) && Object.keys(value).length > 0 && isFlat(value)) return <Fields value={value} />;
  if (isSeriesBySymbol(value)) return <SeriesTable value={value} />;
  if (isCandlesBySymbol(value)) return <CandlesTable value={value} />;
  const list = storedArray(value);
  if (list && list.items.every(isObject)) return <RowsTable rows={list.items as Record<string, unknown>[]} size={list.size} />;
  return <pre className={styles.pre}>{JSON.stringify(value, null, 2)}</pre>;
}
