"use client";
import { useMemo, useState, type DragEvent, type KeyboardEvent } from "react";
import type { AnyNodeDefinition, NodeRegistry } from "@/lib/workflows/registry";
import type { NodeCategory } from "@/lib/workflows/types";
import styles from "./builder.module.css";

export const DRAG_TYPE = "application/x-quantflow-node";

const NONE: Record<string, string> = {};

const CATEGORY_LABELS: Record<NodeCategory, string> = { trigger: "Triggers", data: "Data", indicator: "Indicators", logic: "Logic", output: "Outputs" };
const ORDER: NodeCategory[] = ["trigger", "data", "indicator", "logic", "output"];

export function filterNodes(defs: readonly AnyNodeDefinition[], query: string): AnyNodeDefinition[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return defs.filter((d) => {
    const text = `${d.label} ${d.type} ${d.category} ${d.description}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The searchable palette: type to filter, Enter adds the first match at the canvas centre; drag a node onto the canvas. */
export function NodePalette({ registry, onAdd, unavailable = NONE }: { registry: NodeRegistry; onAdd: (type: string) => void; unavailable?: Record<string, string> }) {
  const [query, setQuery] = useState("");
  const matches = useMemo(() => filterNodes(registry.list(), query), [registry, query]);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const first = matches.find((d) => !unavailable[d.type]);
    if (e.key === "Enter" && first) {
      e.preventDefault();
      onAdd(first.type);
    } else if (e.key === "Escape") setQuery("");
  };
  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(DRAG_TYPE, type);
    e.dataTransfer.setData("text/plain", type);
    e.dataTransfer.effectAllowed = "move";
  };
  return (
    <aside className={styles.palette} aria-label="Node palette" id="wf-drawer-nodes">
      <label className={styles.fieldLabel} htmlFor="wf-palette-search">
        Search nodes
      </label>
      <input
        id="wf-palette-search"
        className={styles.input}
        type="search"
        value={query}
        placeholder="e.g. rsi, cross, candles"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKey}
        autoComplete="off"
      />
      <p className={styles.hint}>Drag onto the canvas, or press Enter to add the first match.</p>
      {ORDER.map((cat) => {
        const defs = matches.filter((d) => d.category === cat);
        if (defs.length === 0) return null;
        return (
          <section key={cat} className={styles.paletteGroup}>
            <h3 className={styles.paletteHeading} data-category={cat}>
              {CATEGORY_LABELS[cat]}
            </h3>
            <ul className={styles.paletteList}>
              {defs.map((d) =>
                unavailable[d.type] ? (
                  <li key={d.type}>
                    <button type="button" className={`${styles.paletteItem} ${styles.paletteUnavailable}`} data-category={d.category} aria-disabled="true" aria-describedby={`why-${d.type}`} data-testid={`palette-${d.type}`}>
                      {d.label} <span className={styles.paletteBadge}>unavailable</span>
                    </button>
                    <p id={`why-${d.type}`} className={styles.paletteWhy}>
                      {unavailable[d.type]}
                    </p>
                  </li>
                ) : (
                <li key={d.type}>
                  <button
                    type="button"
                    className={styles.paletteItem}
                    data-category={d.category}
                    draggable
                    onDragStart={(e) => onDragStart(e, d.type)}
                    onClick={() => onAdd(d.type)}
                    title={d.description}
                    data-testid={`palette-${d.type}`}
                  >
                    {d.label}
                  </button>
                </li>
                ),
              )}
            </ul>
          </section>
        );
      })}
      {matches.length === 0 && <p className={styles.hint}>No node matches “{query}”.</p>}
    </aside>
  );
}
