"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, fetchCandles, fetchSymbols, type CandlesPage, type SymbolInfo } from "./api";
import { BackfillPanel } from "./BackfillPanel";
import { CandleChart, type ChartBar } from "./CandleChart";
import { ChartEmpty, ChartError, ChartSkeleton, isUnknownSymbol } from "./ChartStates";
import {
  DEFAULT_SETTINGS,
  SETTINGS_KEY,
  parseChartSettings,
  serializeChartSettings,
  type ChartSettings,
  type IndicatorId,
  type OverlayId,
} from "./chart-settings";
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

/** The list with `id` added, or removed when it was in it. */
const toggle = <T,>(list: readonly T[], id: T): T[] => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);

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
  // The overlays, their periods and the indicator panes, remembered by this browser: read after the
  // first render (the server knows nothing of them, and the first paint must match its HTML).
  const [settings, setSettings] = useState<ChartSettings>(DEFAULT_SETTINGS);
  const [settingsRead, setSettingsRead] = useState(false);
  useEffect(() => {
    try {
      // eslint-disable-next-line react-hooks/set-state-in-effect -- reading the browser's storage once, after hydration
      setSettings(parseChartSettings(window.localStorage.getItem(SETTINGS_KEY)));
    } catch {
      // Storage refused (private mode, a policy): the defaults, not remembered.
    }
    setSettingsRead(true);
  }, []);
  const updateSettings = useCallback((change: (s: ChartSettings) => ChartSettings) => {
    setSettings((prev) => {
      const next = change(prev);
      try {
        window.localStorage.setItem(SETTINGS_KEY, serializeChartSettings(next));
      } catch {
        // Not remembered; the chart still follows the choice.
      }
      return next;
    });
  }, []);
  const overlays = useMemo<ReadonlySet<OverlayId>>(() => new Set(settings.overlays), [settings.overlays]);
  const indicators = useMemo<ReadonlySet<IndicatorId>>(() => new Set(settings.indicators), [settings.indicators]);
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

  const onToggleOverlay = useCallback(
    (id: OverlayId) => updateSettings((s) => ({ ...s, overlays: toggle(s.overlays, id) })),
    [updateSettings],
  );
  const onToggleIndicator = useCallback(
    (id: IndicatorId) => updateSettings((s) => ({ ...s, indicators: toggle(s.indicators, id) })),
    [updateSettings],
  );
  const onPeriodChange = useCallback(
    (id: OverlayId, period: number) => updateSettings((s) => ({ ...s, periods: { ...s.periods, [id]: period } })),
    [updateSettings],
  );

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
        periods={settings.periods}
        onPeriodChange={onPeriodChange}
        indicators={indicators}
        onToggleIndicator={onToggleIndicator}
        onNeedOlder={onNeedOlder}
        loadingOlder={isFetchingNextPage}
      />
    );

  return (
    <div className={styles.workspace} data-settings-read={settingsRead ? "true" : "false"}>
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
