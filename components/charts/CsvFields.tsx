"use client";

import type { ImportUnit } from "./api";
import styles from "./charts.module.css";

/** The CSV file input of the import and correction panels. */
export function CsvFileField({ id, label, onChange }: { id: string; label: string; onChange: (file: File | null) => void }) {
  return (
    <div className={styles.fieldRow}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="file" accept=".csv,text/csv" required onChange={(e) => onChange(e.target.files?.[0] ?? null)} />
    </div>
  );
}

/** The unit a file's prices are written in (the import and the correction read the same formats). */
export function PriceUnitField({ id, label, value, onChange }: { id: string; label: string; value: ImportUnit; onChange: (unit: ImportUnit) => void }) {
  return (
    <div className={styles.fieldRow}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as ImportUnit)}>
        <option value="thousand VND">thousand VND (25.95)</option>
        <option value="VND">VND (25,950)</option>
        <option value="points">index points</option>
      </select>
    </div>
  );
}
