"use client";

/**
 * The universe: chosen symbols as removable chips, added by a search over the market's stocks
 * (/api/symbols), a whole sector, or a value-chain lane.
 */
import { useEffect, useId, useState } from "react";
import { searchSymbols } from "./api";
import styles from "./portfolio.module.css";

export interface SymbolGroup {
  name: string;
  symbols: string[];
}

export function UniversePicker({ symbols, onChange, sectors, lanes }: { symbols: string[]; onChange: (next: string[]) => void; sectors: SymbolGroup[]; lanes: SymbolGroup[] }) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<{ symbol: string; name: string; exchange: string | null }[]>([]);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [sector, setSector] = useState("");
  const [lane, setLane] = useState("");

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    let live = true;
    const timer = setTimeout(() => {
      searchSymbols(q)
        .then((found) => live && (setResults(found), setSearchError(null)))
        .catch((e: Error) => live && setSearchError(e.message));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const add = (more: string[]) => onChange([...new Set([...symbols, ...more])]);
  const remove = (s: string) => onChange(symbols.filter((x) => x !== s));

  return (
    <fieldset className={styles.fieldset}>
      <legend>Universe</legend>
      <div className={styles.pickRow}>
        <div className={styles.searchBox}>
          <label htmlFor={`${id}-q`}>Add a symbol</label>
          <input
            id={`${id}-q`}
            className={styles.input}
            value={query}
            placeholder="HPG, Hoa Phat…"
            autoComplete="off"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                const first = results[0];
                if (first && query.trim()) {
                  add([first.symbol]);
                  setQuery("");
                }
              }
            }}
            aria-describedby={`${id}-q-hint`}
          />
          <span id={`${id}-q-hint`} className={styles.hint}>
            Type and press Enter for the first match, or pick one below.
          </span>
          {query.trim() && results.length > 0 ? (
            <ul className={styles.results} aria-label="Matching stocks">
              {results.map((r) => (
                <li key={r.symbol}>
                  <button
                    type="button"
                    className={styles.resultButton}
                    onClick={() => {
                      add([r.symbol]);
                      setQuery("");
                    }}
                    disabled={symbols.includes(r.symbol)}
                  >
                    <strong>{r.symbol}</strong> <span className={styles.muted}>{r.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          {searchError ? <p className={styles.fieldError}>{searchError}</p> : null}
        </div>
        <div className={styles.groupPick}>
          <label htmlFor={`${id}-sector`}>Add a sector</label>
          <div className={styles.inline}>
            <select id={`${id}-sector`} className={styles.input} value={sector} onChange={(e) => setSector(e.target.value)}>
              <option value="">Choose…</option>
              {sectors.map((g) => (
                <option key={g.name} value={g.name}>
                  {g.name} ({g.symbols.length})
                </option>
              ))}
            </select>
            <button type="button" className={styles.secondary} disabled={!sector} onClick={() => add(sectors.find((g) => g.name === sector)?.symbols ?? [])}>
              Add sector
            </button>
          </div>
        </div>
        {lanes.length > 0 ? (
          <div className={styles.groupPick}>
            <label htmlFor={`${id}-lane`}>Add a value-chain lane</label>
            <div className={styles.inline}>
              <select id={`${id}-lane`} className={styles.input} value={lane} onChange={(e) => setLane(e.target.value)}>
                <option value="">Choose…</option>
                {lanes.map((g) => (
                  <option key={g.name} value={g.name}>
                    {g.name} ({g.symbols.join(", ")})
                  </option>
                ))}
              </select>
              <button type="button" className={styles.secondary} disabled={!lane} onClick={() => add(lanes.find((g) => g.name === lane)?.symbols ?? [])}>
                Add lane
              </button>
            </div>
          </div>
        ) : null}
      </div>
      {symbols.length === 0 ? (
        <p className={styles.muted}>No symbols yet: add at least two stocks, a sector or a value-chain lane.</p>
      ) : (
        <ul className={styles.chips} aria-label="Chosen symbols" data-testid="universe">
          {symbols.map((s) => (
            <li key={s} className={styles.chip}>
              {s}
              <button type="button" className={styles.chipRemove} onClick={() => remove(s)} aria-label={`Remove ${s}`}>
                ×
              </button>
            </li>
          ))}
          <li>
            <button type="button" className={styles.linkButton} onClick={() => onChange([])}>
              Clear all
            </button>
          </li>
        </ul>
      )}
    </fieldset>
  );
}
