"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { SearchIcon } from "./icons";
import { SYMBOL_RULE, normalizeSymbol } from "./symbol";
import styles from "./shell.module.css";

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

/**
 * Symbol search in the top bar. `/` anywhere (outside a text field) focuses it; Enter opens
 * the symbol's chart. For now it accepts any well-formed symbol; suggestions from the list of
 * known symbols arrive with market data.
 */
export function SymbolSearch() {
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

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
    if (value.trim() === "") {
      setError("Type a symbol first, such as HPG.");
      return;
    }
    const symbol = normalizeSymbol(value);
    if (!symbol) {
      setError(`“${value.trim()}” is not a symbol. ${SYMBOL_RULE}`);
      return;
    }
    setError(null);
    setValue("");
    inputRef.current?.blur();
    router.push(`/charts/${symbol}`);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Escape") {
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
        inputMode="text"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        placeholder="Search symbol"
        maxLength={24}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          if (error) setError(null);
        }}
        onKeyDown={onKeyDown}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${errorId} ${hintId}` : hintId}
      />
      <kbd className={styles.searchKbd} aria-hidden="true">
        /
      </kbd>
      <span id={hintId} className="visually-hidden">
        Press slash to focus, Enter to open the chart.
      </span>
      {error ? (
        <p id={errorId} role="alert" className={styles.searchError}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
