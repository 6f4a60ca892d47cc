"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { fetchSymbols, type SymbolInfo } from "@/components/charts/api";
import { SearchIcon } from "./icons";
import { SYMBOL_RULE, normalizeSymbol } from "./symbol";
import searchStyles from "./search.module.css";
import styles from "./shell.module.css";

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

/** How many suggestions the list shows. */
const SUGGESTIONS = 8;

/**
 * Symbol search in the top bar, a combobox: typing lists matching symbols from /api/symbols
 * (ticker or name); ArrowDown/ArrowUp move through them, Enter opens the highlighted one's chart (or,
 * with none highlighted, the typed symbol's), Escape closes the list and then clears. `/` anywhere
 * (outside a text field) focuses it, and so does the "qf:focus-symbol-search" window event.
 */
export function SymbolSearch() {
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const listId = useId();

  const term = useDeferredValue(value.trim());
  const suggestions = useQuery({
    queryKey: ["symbols", "search", term.toUpperCase()],
    queryFn: ({ signal }) => fetchSymbols(term, SUGGESTIONS, signal),
    enabled: open && term.length > 0,
    staleTime: 5 * 60_000,
    placeholderData: (previous) => previous,
  });
  const options: SymbolInfo[] = open && term.length > 0 ? (suggestions.data ?? []) : [];
  const expanded = options.length > 0;

  useEffect(() => {
    const focus = () => {
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    window.addEventListener("qf:focus-symbol-search", focus);
    return () => window.removeEventListener("qf:focus-symbol-search", focus);
  }, []);

  function go(symbol: string) {
    setError(null);
    setValue("");
    setOpen(false);
    setActive(-1);
    inputRef.current?.blur();
    router.push(`/charts/${symbol}`);
  }

  useEffect(() => {
    function onKey(event: globalThis.KeyboardEvent) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isEditable(event.target)) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const chosen = expanded ? options[active] : undefined;
    if (chosen) {
      go(chosen.symbol);
      return;
    }
    if (value.trim() === "") {
      setError("Type a symbol first, such as HPG.");
      return;
    }
    const symbol = normalizeSymbol(value);
    if (!symbol) {
      setError(`“${value.trim()}” is not a symbol. ${SYMBOL_RULE}`);
      return;
    }
    go(symbol);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) setOpen(true);
      if (options.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (a < 0 && step < 0 ? options.length - 1 : (a + step + options.length) % options.length));
    } else if (event.key === "Escape") {
      if (expanded) {
        setOpen(false);
        setActive(-1);
        return;
      }
      setValue("");
      setError(null);
      inputRef.current?.blur();
    }
  }

  return (
    <form role="search" className={styles.search} onSubmit={onSubmit}>
      <label htmlFor={inputId} className="visually-hidden">
        Search symbol
      </label>
      <span className={styles.searchIcon}>
        <SearchIcon />
      </span>
      <input
        ref={inputRef}
        id={inputId}
        className={styles.searchInput}
        type="text"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        inputMode="text"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        placeholder="Search symbol"
        maxLength={24}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setOpen(true);
          setActive(-1);
          if (error) setError(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${errorId} ${hintId}` : hintId}
      />
      <kbd className={styles.searchKbd} aria-hidden="true">
        /
      </kbd>
      <span id={hintId} className="visually-hidden">
        Press slash to focus; arrow keys choose a suggestion; Enter opens the chart.
      </span>
      <ul id={listId} role="listbox" aria-label="Symbols" className={searchStyles.suggestions} hidden={!expanded}>
        {options.map((o, i) => (
          <li
            key={o.symbol}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={searchStyles.suggestion}
            // Keep the focus in the input; the click opens the chart.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => go(o.symbol)}
            onMouseEnter={() => setActive(i)}
          >
            <span className={searchStyles.suggestionCode}>{o.symbol}</span>
            <span className={searchStyles.suggestionName}>{o.name}</span>
            <span className={searchStyles.suggestionWhere}>{o.exchange ?? o.kind}</span>
          </li>
        ))}
      </ul>
      {error ? (
        <p id={errorId} role="alert" className={styles.searchError}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
