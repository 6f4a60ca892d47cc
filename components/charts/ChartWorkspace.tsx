"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { ApiError, fetchCandles, fetchSymbols, type CandlesPage, type SymbolInfo } from "./api";
import { BackfillPanel } from "./BackfillPanel";
import { CandleChart, type ChartBar } from "./CandleChart";
import { ChartEmpty, ChartError, ChartSkeleton, isUnknownSymbol } from "./ChartStates";
import type { OverlayId } from "./ChartLegend";
import { formatChartTime, toChartTime, type Resolution } from "./chart-time";
import { ImportPanel } from "./ImportPanel";
import { ResolutionSwitcher } from "./ResolutionSwitcher";
import styles from "./charts.module.css";

type Panel = "backfill" | "import" | null;

/** Pages arrive newest first; the chart wants one ascending run without repeats. */
export function barsOf(pages: readonly CandlesPage[], resolution: Resolution): ChartBar[] {
  const out: ChartBar[] = [];
  let lastMs = -Infinity;
  for (let p = pages.length - 1; p >= 0; p--) {
    for (const c of pages[p]?.candles ?? []) {
      const ms = Date.parse(c.time);
      if (!(ms > lastMs)) continue;
      lastMs = ms;
      out.push({ ...c, iso: c.time, time: toChartTime(c.time, resolution) });
    }
  }
  return out;
}

const UNIT_NOTE = { VND: "Prices in VND", points: "Index points", "USD/t": "Prices in USD per tonne", "USD/bbl": "Prices in USD per barrel" } as const;

/**
 * The chart page's working area: resolution (kept in the URL as ?r=), the chart with its legend,
 * older history as the view scrolls left, and the two ways to get bars: DNSE backfill and CSV import.
 */
export function ChartWorkspace({
  symbol,
  initialResolution,
  initialPage,
  initialInfo,
  initialAt,
  canWriteSharedData = false,
}: {
  symbol: string;
  /** Admins may load and import bars (they are shared by every user); analysts see who keeps them. */
  canWriteSharedData?: boolean;
  initialResolution: Resolution;
  /** The newest page at initialResolution, read by the server with the page (so no first request). */
  initialPage?: CandlesPage;
  /** The symbol's facts, likewise (null: not a symbol we know). */
  initialInfo?: SymbolInfo | null;
  /** When the server read them (epoch ms), so they go stale like fetched data. */
  initialAt?: number;
}) {
  const [resolution, setResolution] = useState<Resolution>(initialResolution);
  const [overlays, setOverlays] = useState<ReadonlySet<OverlayId>>(() => new Set());
  const [panel, setPanel] = useState<Panel>(null);

  const candles = useInfiniteQuery({
    queryKey: ["candles", symbol, resolution],
    queryFn: ({ pageParam, signal }) => fetchCandles({ symbol, resolution, to: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.hasMore ? last.candles[0]?.time : undefined),
    initialData:
      initialPage && resolution === initialResolution ? { pages: [initialPage], pageParams: [undefined] } : undefined,
    initialDataUpdatedAt: initialAt,
    staleTime: 30_000,
    retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
  });
  const info = useQuery({
    queryKey: ["symbol", symbol],
    queryFn: async ({ signal }) => (await fetchSymbols(symbol, 10, signal)).find((s) => s.symbol === symbol) ?? null,
    initialData: initialInfo,
    initialDataUpdatedAt: initialAt,
    staleTime: 10 * 60_000,
  });

  const pages = candles.data?.pages;
  const bars = useMemo(() => (pages ? barsOf(pages, resolution) : []), [pages, resolution]);
  const meta = pages?.[0];

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = candles;
  const onNeedOlder = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage({ cancelRefetch: false });
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const onToggleOverlay = useCallback((id: OverlayId) => {
    setOverlays((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  function chooseResolution(r: Resolution) {
    setResolution(r);
    const url = new URL(window.location.href);
    url.searchParams.set("r", r);
    window.history.replaceState(window.history.state, "", url);
  }

  const last = bars[bars.length - 1];
  const name = info.data?.name;
  const where = [meta?.exchange ?? info.data?.exchange, meta ? UNIT_NOTE[meta.unit] : null].filter(Boolean).join(" · ");

  let body;
  if (candles.isPending) body = <ChartSkeleton symbol={symbol} resolution={resolution} />;
  else if (candles.isError && !pages) body = <ChartError symbol={symbol} error={candles.error} onRetry={() => void candles.refetch()} />;
  else if (bars.length === 0)
    body = (
      <ChartEmpty symbol={symbol} resolution={resolution} onBackfill={() => setPanel("backfill")} onImport={() => setPanel("import")} />
    );
  else
    body = (
      <CandleChart
        symbol={symbol}
        resolution={resolution}
        unit={meta?.unit ?? "VND"}
        bars={bars}
        priceLimits={meta?.priceLimits ?? null}
        overlays={overlays}
        onToggleOverlay={onToggleOverlay}
        onNeedOlder={onNeedOlder}
        loadingOlder={isFetchingNextPage}
      />
    );

  return (
    <div className={styles.workspace}>
      <div className={styles.toolbar}>
        <ResolutionSwitcher value={resolution} onChange={chooseResolution} />
        <p className={styles.facts}>
          {name ? <span className={styles.symbolName}>{name}</span> : null}
          {where ? <span>{where}</span> : null}
          {last ? <span data-testid="last-bar">Last bar {formatChartTime(last.time, resolution)}</span> : null}
        </p>
        {canWriteSharedData ? null : (
          <p className={styles.facts} data-testid="shared-data-note" title="Market data is shared by every user of this installation; admins load and correct it.">
            Market data is kept by this installation&apos;s admins.
          </p>
        )}
        <div className={styles.toolbarActions} hidden={isUnknownSymbol(candles.error) || !canWriteSharedData}>
          <button
            type="button"
            className="btn"
            aria-expanded={panel === "backfill"}
            aria-controls="chart-side-panel"
            onClick={() => setPanel(panel === "backfill" ? null : "backfill")}
          >
            Load history from DNSE
          </button>
          <button
            type="button"
            className="btn"
            aria-expanded={panel === "import"}
            aria-controls="chart-side-panel"
            onClick={() => setPanel(panel === "import" ? null : "import")}
          >
            Import CSV
          </button>
        </div>
      </div>
      {candles.isFetchNextPageError ? (
        <p className={styles.inlineError} role="alert">
          Older bars could not be loaded: {candles.error?.message}{" "}
          <button type="button" className={styles.linkButton} onClick={onNeedOlder}>
            Try again
          </button>
        </p>
      ) : null}
      <div className={styles.stage}>
        {body}
        {panel && canWriteSharedData ? (
          <aside id="chart-side-panel" className={styles.sidePanel} aria-label={panel === "backfill" ? "Load history from DNSE" : "Import CSV"}>
            {panel === "backfill" ? (
              <BackfillPanel symbol={symbol} resolution={resolution} onClose={() => setPanel(null)} />
            ) : (
              <ImportPanel symbol={symbol} unit={meta?.unit} onClose={() => setPanel(null)} />
            )}
          </aside>
        ) : null}
      </div>
    </div>
  );
}
