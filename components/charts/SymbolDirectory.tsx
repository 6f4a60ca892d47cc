"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Skeleton } from "@/components/ui/Skeleton";
import { fetchSymbols, type SymbolInfo } from "./api";
import styles from "./charts.module.css";

const FIRST = ["VNINDEX", "VN30"];

interface Group {
  title: string;
  symbols: SymbolInfo[];
}

/** Indices first (VN-Index, VN30), then stocks by exchange (HOSE, HNX, UPCOM), then commodities. */
export function groupSymbols(symbols: readonly SymbolInfo[]): Group[] {
  const byCode = (a: SymbolInfo, b: SymbolInfo) => a.symbol.localeCompare(b.symbol);
  const indices = symbols
    .filter((s) => s.kind === "index")
    .sort((a, b) => {
      const ia = FIRST.indexOf(a.symbol);
      const ib = FIRST.indexOf(b.symbol);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || byCode(a, b);
    });
  const groups: Group[] = [{ title: "Indices", symbols: indices }];
  for (const exchange of ["HOSE", "HNX", "UPCOM"] as const) {
    groups.push({ title: `${exchange} stocks`, symbols: symbols.filter((s) => s.kind === "stock" && s.exchange === exchange).sort(byCode) });
  }
  const others = symbols.filter((s) => s.kind === "commodity" || (s.kind === "stock" && !s.exchange));
  groups.push({ title: "Commodities", symbols: [...others].sort(byCode) });
  return groups.filter((g) => g.symbols.length > 0);
}

/** The charts index: every symbol QuantFlow has, grouped, each linking to its chart. */
export function SymbolDirectory() {
  const q = useQuery({ queryKey: ["symbols", "all"], queryFn: ({ signal }) => fetchSymbols("", 100, signal), staleTime: 10 * 60_000 });

  if (q.isPending) {
    return (
      <div role="status" aria-live="polite" className={styles.directory}>
        <span className="visually-hidden">Loading the list of symbols…</span>
        {Array.from({ length: 3 }, (_, i) => (
          <div key={i} aria-hidden="true" className={styles.symbolGrid}>
            {Array.from({ length: 8 }, (_, j) => (
              <Skeleton key={j} height={46} />
            ))}
          </div>
        ))}
      </div>
    );
  }
  if (q.isError) {
    return (
      <div role="alert" className={styles.panelError}>
        <p>The list of symbols could not be loaded: {q.error.message}</p>
        <button type="button" className={styles.linkButton} onClick={() => void q.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const groups = groupSymbols(q.data);
  if (groups.length === 0) {
    return (
      <p className={styles.stateText}>
        No symbols yet. Run <code>npm run db:seed</code> for the demo data, or open a chart by its ticker (press <kbd>/</kbd>) and
        import a CSV or load its history from DNSE.
      </p>
    );
  }
  return (
    <div className={styles.directory}>
      {groups.map((g) => (
        <section key={g.title} aria-label={g.title}>
          <h2 className={styles.groupTitle}>{g.title}</h2>
          <ul className={styles.symbolGrid}>
            {g.symbols.map((s) => (
              <li key={s.symbol}>
                <Link href={`/charts/${s.symbol}`} className={styles.symbolCard}>
                  <span className={styles.symbolCode}>{s.symbol}</span>
                  <span className={styles.symbolMeta}>
                    {s.name}
                    {s.sector ? ` · ${s.sector}` : ""}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
