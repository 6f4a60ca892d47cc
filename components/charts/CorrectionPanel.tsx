"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { ImportResolution, ImportUnit } from "./api";
import { postCorrection, type CorrectionAction, type CorrectionRequest } from "./correction-api";
import type { PriceUnit } from "./format";
import { formatExact } from "./format";
import { CsvFileField, PriceUnitField } from "./CsvFields";
import styles from "./charts.module.css";

/**
 * Correcting stored bars of the symbol (under the CSV import): delete the bars of a range, or replace
 * them with a CSV file's. A second click confirms; the chart's 1h and 1D show the change at once.
 */
export function CorrectionPanel({ symbol, unit }: { symbol: string; unit: PriceUnit | undefined }) {
  const queryClient = useQueryClient();
  const [resolution, setResolution] = useState<ImportResolution>("1m");
  const [action, setAction] = useState<CorrectionAction>("delete");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [priceUnit, setPriceUnit] = useState<ImportUnit>(unit === "points" ? "points" : "thousand VND");
  const [confirming, setConfirming] = useState(false);
  const ids = { res: useId(), action: useId(), from: useId(), to: useId(), file: useId(), unit: useId() };

  const correcting = useMutation({
    mutationFn: (r: CorrectionRequest) => postCorrection(r),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["candles", symbol] }),
  });
  const ready = from !== "" && to !== "" && (action === "delete" || file !== null);

  function changed() {
    setConfirming(false);
    correcting.reset();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!ready) return;
    if (!confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    correcting.mutate({ symbol, resolution, action, from, to, file: file ?? undefined, unit: action === "replace" ? priceUnit : undefined });
  }

  const dateType = resolution === "1D" ? "date" : "datetime-local";
  const result = correcting.data;
  const what = `${symbol}'s ${resolution === "1D" ? "daily" : "1-minute"} bars from ${from.replace("T", " ")} up to ${to.replace("T", " ")}`;

  return (
    <details className={styles.previewBox} data-testid="correction-panel">
      <summary className={styles.panelTitle}>
        Correct stored bars
      </summary>
      <p className={styles.panelText}>
        Deletes {symbol}&apos;s bars in a range, or replaces them with a CSV file&apos;s (same columns as above). Times are Vietnam time; the
        end is not included. 1h and 1D show the correction at once.
      </p>
      <form onSubmit={onSubmit} className={styles.panelForm}>
        <div className={styles.fieldRow}>
          <label htmlFor={ids.res}>Bar size</label>
          <select
            id={ids.res}
            value={resolution}
            onChange={(e) => {
              setResolution(e.target.value as ImportResolution);
              setFrom("");
              setTo("");
              changed();
            }}
          >
            <option value="1m">1 minute (1m)</option>
            <option value="1D">daily (1D, the official bars)</option>
          </select>
        </div>
        <div className={styles.dateFields}>
          <div className={styles.fieldRow}>
            <label htmlFor={ids.from}>From</label>
            <input
              id={ids.from}
              type={dateType}
              required
              value={from}
              onChange={(e) => {
                setFrom(e.target.value);
                changed();
              }}
            />
          </div>
          <div className={styles.fieldRow}>
            <label htmlFor={ids.to}>To (not included)</label>
            <input
              id={ids.to}
              type={dateType}
              required
              value={to}
              onChange={(e) => {
                setTo(e.target.value);
                changed();
              }}
            />
          </div>
        </div>
        <div className={styles.fieldRow}>
          <label htmlFor={ids.action}>Correction</label>
          <select
            id={ids.action}
            value={action}
            onChange={(e) => {
              setAction(e.target.value as CorrectionAction);
              changed();
            }}
          >
            <option value="delete">Delete the bars</option>
            <option value="replace">Replace them with a CSV file</option>
          </select>
        </div>
        {action === "replace" ? (
          <>
            <CsvFileField
              id={ids.file}
              label="Replacement CSV"
              onChange={(f) => {
                setFile(f);
                changed();
              }}
            />
            <PriceUnitField
              id={ids.unit}
              label="Unit of the replacement prices"
              value={priceUnit}
              onChange={(u) => {
                setPriceUnit(u);
                changed();
              }}
            />
          </>
        ) : null}
        {confirming ? (
          <p role="alert" className={styles.panelError}>
            {action === "delete" ? "Delete" : "Replace"} {what}? Click again to confirm.
          </p>
        ) : null}
        <button type="submit" className={confirming ? "btn btn-primary" : "btn"} disabled={!ready || correcting.isPending}>
          {correcting.isPending ? "Correcting…" : confirming ? `Confirm: ${action}` : action === "delete" ? "Delete bars…" : "Replace bars…"}
        </button>
      </form>
      {correcting.error ? (
        <p role="alert" className={styles.panelError}>
          {correcting.error.message}
        </p>
      ) : null}
      {result ? (
        <p role="status" className={styles.importResult} data-testid="correction-result">
          Removed {formatExact(result.deleted)} and wrote {formatExact(result.written)} {result.resolution} bars of {result.symbol}; 1h and 1D are
          up to date.
        </p>
      ) : null}
    </details>
  );
}
