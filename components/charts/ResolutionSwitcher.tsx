"use client";

import { useRef, type KeyboardEvent } from "react";
import { RESOLUTIONS, type Resolution } from "./chart-time";
import styles from "./charts.module.css";

const LONG: Record<Resolution, string> = {
  "1m": "1 minute",
  "5m": "5 minutes",
  "15m": "15 minutes",
  "30m": "30 minutes",
  "1h": "1 hour",
  "4h": "4 hours (a bar per session: 09:00 morning, 13:00 afternoon)",
  "1D": "1 day",
  "1W": "1 week (from Monday)",
  "1M": "1 month",
};

/**
 * The bar resolution as a radio group: Tab reaches the chosen one, arrow keys (and Home/End)
 * move and choose, as in any radio group.
 */
export function ResolutionSwitcher({ value, onChange }: { value: Resolution; onChange: (r: Resolution) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    let next = index;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (index + 1) % RESOLUTIONS.length;
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = (index - 1 + RESOLUTIONS.length) % RESOLUTIONS.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = RESOLUTIONS.length - 1;
    else return;
    event.preventDefault();
    refs.current[next]?.focus();
    onChange(RESOLUTIONS[next] ?? value);
  }

  return (
    <div role="radiogroup" aria-label="Resolution" className={styles.segmented}>
      {RESOLUTIONS.map((r, i) => (
        <button
          key={r}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={r === value}
          tabIndex={r === value ? 0 : -1}
          title={LONG[r]}
          className={styles.segment}
          onClick={() => onChange(r)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {r}
        </button>
      ))}
    </div>
  );
}
