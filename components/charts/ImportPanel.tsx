"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { CorrectionPanel } from "./CorrectionPanel";
import { previewImport, runImport, type CandleChange, type ImportRequest, type ImportResolution, type ImportUnit } from "./api";
import type { PriceUnit } from "./format";
import { formatExact } from "./format";
import { CsvFileField, PriceUnitField } from "./CsvFields";
import styles from "./charts.module.css";

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatExact(n)} ${n === 1 ? one : many}`;
}

const ohlcv = (v: { open: number; high: number; low: number; close: number; volume: number }) =>
  `O ${formatExact(v.open)} H ${formatExact(v.high)} L ${formatExact(v.low)} C ${formatExact(v.close)} V ${formatExact(v.volume)}`;

/** Stored bars the file replaces: how many, and the first ones before → after. */
function ChangeList({ changed, changes, verb, testId }: { changed: number; changes: CandleChange[]; verb: string; testId: string }) {
  if (changed === 0) return null;
  return (
    <div data-testid={testId}>
      <p className={styles.panelText}>
        {verb} {plural(changed, "stored bar")} with different values{changed > changes.length ? ` (the first ${formatExact(changes.length)} below)` : ""}:
      </p>
      <ul className={styles.problems}>
        {changes.map((c) => (
          <li key={c.time}>
            {c.time}: {ohlcv(c.before)} → {c.after ? ohlcv(c.after) : "removed"}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * CSV import of candles: choose a file, its price unit and bar size, preview (the first rows and
 * every problem, by line), then import. A file with problems imports nothing unless "Skip bad rows"
 * is ticked; the result then names each skipped line. A preview that warns of a wrong unit (prices
 * off the tick grid, or about 1,000 times the stored closes) imports only once the warning is
 * confirmed; the server refuses it otherwise.
 */
export function ImportPanel({ symbol, unit, onClose }: { symbol: string; unit: PriceUnit | undefined; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [priceUnit, setPriceUnit] = useState<ImportUnit>(unit === "points" ? "points" : "thousand VND");
  const [resolution, setResolution] = useState<ImportResolution>("1D");
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [confirmWarnings, setConfirmWarnings] = useState(false);
  const ids = { file: useId(), unit: useId(), res: useId(), skip: useId(), heading: useId(), problems: useId(), warnings: useId(), confirm: useId() };

  const req = (): ImportRequest | null => (file ? { file, symbol, unit: priceUnit, resolution, skipBadRows, confirmWarnings } : null);
  const preview = useMutation({ mutationFn: (r: ImportRequest) => previewImport(r) });
  const importing = useMutation({
    mutationFn: (r: ImportRequest) => runImport(r),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["candles", symbol] }),
  });

  /** Any change of the file or its options makes the preview and result stale. */
  function changed() {
    preview.reset();
    importing.reset();
    setConfirmWarnings(false);
  }

  function onPreview(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const r = req();
    if (r) preview.mutate(r);
  }

  const p = preview.data;
  const problems = p?.problems ?? [];
  const warnings = p?.warnings ?? [];
  const outOfBounds = p?.outOfBounds ?? [];
  // Confirming a unit warning never lifts the sanity bounds: the server refuses such a file whole.
  const blocked = (problems.length > 0 && !skipBadRows) || (warnings.length > 0 && !confirmWarnings) || outOfBounds.length > 0;
  const columns = p?.preview[0] ? Object.keys(p.preview[0]) : [];
  const result = importing.data;

  return (
    <section aria-labelledby={ids.heading} className={styles.panelBody} data-testid="import-panel">
      <div className={styles.panelHead}>
        <h2 id={ids.heading} className={styles.panelTitle}>
          Import candles from CSV
        </h2>
        <button type="button" className={styles.closeButton} onClick={onClose} aria-label="Close the import panel">
          ×
        </button>
      </div>
      <p className={styles.panelText}>
        Columns timestamp (or date), open, high, low, close, volume; one bar per line, for {symbol}.
      </p>
      <form onSubmit={onPreview} className={styles.panelForm}>
        <CsvFileField
          id={ids.file}
          label="CSV file"
          onChange={(f) => {
            setFile(f);
            changed();
          }}
        />
        <PriceUnitField
          id={ids.unit}
          label="Prices in"
          value={priceUnit}
          onChange={(u) => {
            setPriceUnit(u);
            changed();
          }}
        />
        <div className={styles.fieldRow}>
          <label htmlFor={ids.res}>Bars</label>
          <select
            id={ids.res}
            value={resolution}
            onChange={(e) => {
              setResolution(e.target.value as ImportResolution);
              changed();
            }}
          >
            <option value="1D">daily (1D)</option>
            <option value="1m">1 minute (1m)</option>
          </select>
        </div>
        <div className={styles.checkRow}>
          <input
            id={ids.skip}
            type="checkbox"
            checked={skipBadRows}
            onChange={(e) => {
              setSkipBadRows(e.target.checked);
              importing.reset();
            }}
          />
          <label htmlFor={ids.skip}>Skip bad rows</label>
        </div>
        <button type="submit" className="btn" disabled={!file || preview.isPending}>
          {preview.isPending ? "Reading…" : "Preview"}
        </button>
      </form>

      {preview.error ? (
        <p role="alert" className={styles.panelError}>
          {preview.error.message}
        </p>
      ) : null}

      {p ? (
        <div className={styles.previewBox} data-testid="import-preview">
          {warnings.length > 0 ? (
            <div role="alert" className={styles.unitWarning} data-testid="import-warnings">
              <h3 id={ids.warnings} className={styles.problemsTitle}>
                Check the unit
              </h3>
              <ul aria-labelledby={ids.warnings} className={styles.problems}>
                {warnings.map((w) => (
                  <li key={w.code}>{w.message}</li>
                ))}
              </ul>
              <div className={styles.checkRow}>
                <input
                  id={ids.confirm}
                  type="checkbox"
                  checked={confirmWarnings}
                  onChange={(e) => {
                    setConfirmWarnings(e.target.checked);
                    importing.reset();
                  }}
                />
                <label htmlFor={ids.confirm}>The prices are in {priceUnit}: import anyway</label>
              </div>
            </div>
          ) : null}
          <p className={styles.panelText}>
            {plural(p.rows, "valid row")}
            {problems.length > 0 ? `, ${plural(problems.length, "problem")}` : ", no problems"}
            {warnings.length > 0 ? `, ${plural(warnings.length, "unit warning")}` : ""}. First rows:
          </p>
          {columns.length > 0 ? (
            <div className={styles.tableWrap}>
              <table className={styles.previewTable}>
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {p.preview.map((row, i) => (
                    <tr key={i}>
                      {columns.map((c) => (
                        <td key={c}>{String(row[c] ?? "")}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {outOfBounds.length > 0 ? (
            <div role="alert" className={styles.unitWarning} data-testid="import-out-of-bounds">
              <h3 className={styles.problemsTitle}>Outside the sanity bounds</h3>
              <ul className={styles.problems}>
                {outOfBounds.map((pr) => (
                  <li key={`${pr.line}-${pr.message}`}>
                    Line {pr.line}: {pr.message}
                  </li>
                ))}
              </ul>
              <p className={styles.panelText}>
                Nothing will be imported while a bar is outside the plausible range or the day’s price limits. For a corporate
                action, an admin adds a reviewed override for that day (README: “Sanity bounds”).
              </p>
            </div>
          ) : null}
          <ChangeList changed={p.changed} changes={p.changes} verb="Importing replaces" testId="import-preview-changes" />
          {problems.length > 0 ? (
            <>
              <h3 id={ids.problems} className={styles.problemsTitle}>
                Problems
              </h3>
              <ul aria-labelledby={ids.problems} className={styles.problems}>
                {problems.map((pr) => (
                  <li key={`${pr.line}-${pr.message}`}>
                    Line {pr.line}: {pr.message}
                  </li>
                ))}
              </ul>
              <p className={styles.panelText}>
                {!skipBadRows
                  ? "Nothing will be imported while the file has problems. Fix the file, or tick “Skip bad rows”."
                  : `The ${plural(problems.length, "bad row")} will be skipped.`}
              </p>
            </>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            disabled={blocked || importing.isPending || !!result}
            onClick={() => {
              const r = req();
              if (r) importing.mutate(r);
            }}
          >
            {importing.isPending ? "Importing…" : skipBadRows && problems.length > 0 ? "Import, skipping bad rows" : "Import"}
          </button>
        </div>
      ) : null}

      {importing.error ? (
        <p role="alert" className={styles.panelError}>
          {importing.error.message}
        </p>
      ) : null}
      {result ? (
        <div role="status" className={styles.importResult} data-testid="import-result">
          <p>Imported {plural(result.imported, "bar")}.</p>
          <ChangeList changed={result.changed} changes={result.changes} verb="Replaced" testId="import-changes" />
          {result.skipped.length > 0 ? (
            <>
              <p>Skipped {plural(result.skipped.length, "row")}:</p>
              <ul className={styles.problems}>
                {result.skipped.map((s) => (
                  <li key={`${s.line}-${s.message}`}>
                    Line {s.line}: {s.message}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <CorrectionPanel symbol={symbol} unit={unit} />
    </section>
  );
}
