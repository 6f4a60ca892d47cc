"use client";

import { useEffect, useId, useState } from "react";

interface SymbolOption {
  symbol: string;
  name?: string | null;
}

/**
 * A company input offering the symbols QuantFlow knows (from /api/symbols, as the top bar's search):
 * a text input with a datalist, so it stays an ordinary labelled, keyboard-operable input. The server
 * refuses a symbol it does not know; this only helps pick one.
 */
export function SymbolPicker({
  label,
  name,
  value,
  onChange,
  className,
  placeholder = "any",
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  placeholder?: string;
}) {
  const listId = useId();
  const [options, setOptions] = useState<SymbolOption[]>([]);
  useEffect(() => {
    const q = value.trim();
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/symbols?q=${encodeURIComponent(q)}&limit=20`, { signal: controller.signal })
        .then((r) => (r.ok ? r.json() : { symbols: [] }))
        .then((body: { symbols?: SymbolOption[] }) => setOptions(body.symbols ?? []))
        .catch(() => {}); // suggestions only: typing a symbol still works
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value]);
  return (
    <label>
      {label}
      <input
        className={className}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value.toUpperCase())}
        list={listId}
        autoComplete="off"
        spellCheck={false}
        maxLength={20}
        placeholder={placeholder}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.symbol} value={o.symbol}>
            {o.name ?? o.symbol}
          </option>
        ))}
      </datalist>
    </label>
  );
}
