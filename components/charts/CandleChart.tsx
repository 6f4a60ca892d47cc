"use client";

import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  LineStyle,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type LogicalRange,
  type MouseEventParams,
  type Time,
} from "lightweight-charts";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { bollinger, ema, macd, rsi, sma } from "@/lib/analytics/overlays";
import type { PriceLimitsDay } from "./api";
import { PREVIEW_HEIGHT, PREVIEW_WIDTH, previewPaths } from "./candle-preview";
import { INDICATORS, INDICATOR_IDS, OVERLAYS, type IndicatorId, type OverlayId, type OverlayPeriods } from "./chart-settings";
import { formatChartTime, isIntraday, spansYears, tickMark, toChartTime, type Resolution } from "./chart-time";
import { formatPrice, type PriceUnit } from "./format";
import { ChartLegend } from "./ChartLegend";
import styles from "./charts.module.css";

/** One bar as the chart draws it: `time` for lightweight-charts, `iso` as the API gave it. */
export interface ChartBar {
  time: Time;
  iso: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** How many of the newest bars the chart shows when it opens, by resolution (≈ a session of 1m bars). */
const INITIAL_BARS: Record<Resolution, number> = { "1m": 240, "5m": 150, "15m": 130, "30m": 120, "1h": 120, "4h": 120, "1D": 130, "1W": 110, "1M": 120 };
/** Older history is asked for when the left edge of the view comes this close to the first bar. */
const LOAD_MARGIN_BARS = 15;

interface Palette {
  bg: string;
  text: string;
  grid: string;
  border: string;
  up: string;
  down: string;
  ref: string;
  ceiling: string;
  floor: string;
  sma: string;
  ema: string;
  bb: string;
  rsi: string;
  macd: string;
  signal: string;
  guide: string;
}

function readPalette(el: HTMLElement): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    bg: v("--surface", "#121821"),
    text: v("--text-muted", "#a3afbd"),
    grid: v("--chart-grid", "rgba(127,127,127,0.12)"),
    border: v("--border", "#2a3544"),
    up: v("--price-up", "#3ddc84"),
    down: v("--price-down", "#ff5a5f"),
    ref: v("--price-ref", "#f5c518"),
    ceiling: v("--price-ceiling", "#d08cff"),
    floor: v("--price-floor", "#3fd0e8"),
    sma: v("--overlay-sma", "#5ea2ff"),
    ema: v("--overlay-ema", "#ff9f43"),
    bb: v("--overlay-bb", "#a3afbd"),
    rsi: v("--indicator-rsi", "#b48cff"),
    macd: v("--indicator-macd", "#5ea2ff"),
    signal: v("--indicator-signal", "#ff9f43"),
    guide: v("--text-faint", "#6b7685"),
  };
}

/** A colour with an alpha, from #rrggbb (other forms are returned unchanged). */
function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return color;
  const [r = "0", g = "0", b = "0"] = m.slice(1);
  return `rgba(${parseInt(r, 16)}, ${parseInt(g, 16)}, ${parseInt(b, 16)}, ${alpha})`;
}

type LineData = { time: Time; value: number }[];

function toLine(bars: readonly ChartBar[], values: readonly (number | null)[]): LineData {
  const out: LineData = [];
  values.forEach((value, i) => {
    const bar = bars[i];
    if (value !== null && bar) out.push({ time: bar.time, value });
  });
  return out;
}

interface Series {
  candles: ISeriesApi<"Candlestick">;
  volume: ISeriesApi<"Histogram">;
  sma: ISeriesApi<"Line">;
  ema: ISeriesApi<"Line">;
  bbUpper: ISeriesApi<"Line">;
  bbMiddle: ISeriesApi<"Line">;
  bbLower: ISeriesApi<"Line">;
  ceilingLine: ISeriesApi<"Line">;
  refLine: ISeriesApi<"Line">;
  floorLine: ISeriesApi<"Line">;
}

/** The indicator panes' series as built for `key` (which panes are on, and the theme they were coloured for). */
interface IndicatorSeries {
  key: string;
  rsi?: ISeriesApi<"Line">;
  macd?: ISeriesApi<"Line">;
  signal?: ISeriesApi<"Line">;
  histogram?: ISeriesApi<"Histogram">;
}

/**
 * The newest bars as a server-rendered SVG, shown until the live chart has drawn (see candle-preview.ts):
 * the page's first paint already has the candles (the page's inline script marks that frame as
 * `qf:first-candles`). Hidden from assistive technology: the chart's own description stands for both.
 */
function CandlePreview({ bars, slots }: { bars: readonly ChartBar[]; slots: number }) {
  const d = useMemo(() => previewPaths(bars, slots), [bars, slots]);
  return (
    <div className={styles.preview} aria-hidden="true" data-testid="chart-preview">
      <svg viewBox={`0 0 ${PREVIEW_WIDTH} ${PREVIEW_HEIGHT}`} preserveAspectRatio="none" focusable="false">
        <path d={d.upVolume} className={styles.previewUpVolume} />
        <path d={d.downVolume} className={styles.previewDownVolume} />
        <path d={d.upWicks} className={styles.previewUpWick} vectorEffect="non-scaling-stroke" />
        <path d={d.downWicks} className={styles.previewDownWick} vectorEffect="non-scaling-stroke" />
        <path d={d.upBodies} className={styles.previewUp} />
        <path d={d.downBodies} className={styles.previewDown} />
      </svg>
    </div>
  );
}

/** The bars of the trading day `date` (YYYY-MM-DD, Vietnamese), read from each bar's +07:00 ISO time. */
export function sessionBars(bars: readonly ChartBar[], date: string): Pick<ChartBar, "time" | "iso">[] {
  return bars.filter((b) => b.iso.slice(0, 10) === date);
}

export interface CandleChartProps {
  symbol: string;
  resolution: Resolution;
  unit: PriceUnit;
  bars: readonly ChartBar[];
  /** Reference, ceiling and floor: of the newest bar's day intraday, of the next session on 1D. */
  priceLimits: PriceLimitsDay | null;
  overlays: ReadonlySet<OverlayId>;
  onToggleOverlay: (id: OverlayId) => void;
  /** The overlays' periods (bars), editable in the legend. */
  periods: OverlayPeriods;
  onPeriodChange: (id: OverlayId, period: number) => void;
  /** Indicator panes under the price (RSI, MACD). */
  indicators: ReadonlySet<IndicatorId>;
  onToggleIndicator: (id: IndicatorId) => void;
  /** Asked when the view nears the oldest bar; the parent fetches the page before it (once). */
  onNeedOlder: () => void;
  loadingOlder: boolean;
}

/**
 * The candle chart: candles and a volume histogram on its own scale (bottom fifth), GMT+7 labels,
 * price-board colours, reference/ceiling/floor over the latest session (the next one's on 1D), overlays, and a crosshair
 * legend. Keeps lightweight-charts' attribution logo. Exposes what it drew on `data-testid="chart"`
 * (bars count, first and last bar time as the API gave them) so tests need not read pixels.
 */
export function CandleChart(props: CandleChartProps) {
  const { symbol, resolution, unit, bars, priceLimits, overlays, onToggleOverlay, periods, onPeriodChange, indicators, onToggleIndicator, onNeedOlder, loadingOlder } = props;
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<Series | null>(null);
  const paletteRef = useRef<Palette | null>(null);
  const viewKeyRef = useRef<string | null>(null);
  const askedAtCountRef = useRef<number>(-1);
  const barsRef = useRef(bars);
  const needOlderRef = useRef(onNeedOlder);
  const [hoverIndex, setHoverIndex] = useState<number | null>(null);
  const [drawn, setDrawn] = useState(false);
  const [themeTick, setThemeTick] = useState(0);
  const [paneCount, setPaneCount] = useState(1);
  const [viewSpansYears, setViewSpansYears] = useState(false);
  const indicatorRef = useRef<IndicatorSeries>({ key: "" });

  useLayoutEffect(() => {
    barsRef.current = bars;
    needOlderRef.current = onNeedOlder;
  });

  // Create the chart once.
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const palette = readPalette(box);
    paletteRef.current = palette;
    const chart = createChart(box, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: palette.bg },
        textColor: palette.text,
        fontFamily: getComputedStyle(box).fontFamily,
        fontSize: 12,
        attributionLogo: true,
        panes: { separatorColor: palette.border, separatorHoverColor: palette.grid },
      },
      grid: { vertLines: { color: palette.grid }, horzLines: { color: palette.grid } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: palette.border, scaleMargins: { top: 0.1, bottom: 0.24 } },
      timeScale: { borderColor: palette.border, rightOffset: 4, tickMarkFormatter: (t: Time, type: number) => tickMark(t, type) },
      localization: { locale: "en-GB" },
    });
    const line = (color: string, title: string) =>
      chart.addSeries(LineSeries, {
        color,
        lineWidth: 1,
        title,
        visible: false,
        priceLineVisible: false,
        lastValueVisible: false,
        crosshairMarkerVisible: false,
      });
    const limitLine = (color: string) =>
      chart.addSeries(LineSeries, {
        color,
        lineWidth: 1,
        lineStyle: LineStyle.Dashed,
        priceLineVisible: false,
        lastValueVisible: true,
        crosshairMarkerVisible: false,
        pointMarkersRadius: 4,
      });
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: palette.up,
      downColor: palette.down,
      borderUpColor: palette.up,
      borderDownColor: palette.down,
      wickUpColor: palette.up,
      wickDownColor: palette.down,
    });
    const volume = chart.addSeries(HistogramSeries, {
      priceScaleId: "volume",
      priceFormat: { type: "volume" },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    chart.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    seriesRef.current = {
      candles,
      volume,
      sma: line(palette.sma, ""),
      ema: line(palette.ema, ""),
      bbUpper: line(palette.bb, ""),
      bbMiddle: line(palette.bb, ""),
      bbLower: line(palette.bb, ""),
      ceilingLine: limitLine(palette.ceiling),
      refLine: limitLine(palette.ref),
      floorLine: limitLine(palette.floor),
    };
    chartRef.current = chart;

    const onCrosshair = (param: MouseEventParams<Time>) => {
      const i = param.logical;
      if (param.time === undefined || i === undefined || i < 0 || i >= barsRef.current.length) setHoverIndex(null);
      else setHoverIndex(Math.round(i));
    };
    const onRange = (range: LogicalRange | null) => {
      if (!range) return;
      const all = barsRef.current;
      const count = all.length;
      // The axis names the year on every month and day mark when the view holds more than one year.
      const firstSeen = all[Math.min(count - 1, Math.max(0, Math.ceil(range.from)))];
      const lastSeen = all[Math.max(0, Math.min(count - 1, Math.floor(range.to)))];
      setViewSpansYears(firstSeen && lastSeen ? spansYears(firstSeen.time, lastSeen.time) : false);
      if (count === 0 || range.from > LOAD_MARGIN_BARS) return;
      // One request per length of data: a new ask only after the previous page arrived.
      if (askedAtCountRef.current === count) return;
      askedAtCountRef.current = count;
      needOlderRef.current();
    };
    chart.subscribeCrosshairMove(onCrosshair);
    chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    // Colours follow <html data-theme>, however it is changed (the theme switch, another tab's choice).
    const themeObserver = new MutationObserver(() => setThemeTick((t) => t + 1));
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => {
      themeObserver.disconnect();
      chart.unsubscribeCrosshairMove(onCrosshair);
      chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
      chart.remove();
      chartRef.current = null;
      seriesRef.current = null;
    };
  }, []);

  // Colours follow the theme.
  useEffect(() => {
    const box = boxRef.current;
    const chart = chartRef.current;
    const s = seriesRef.current;
    if (!box || !chart || !s || themeTick === 0) return;
    const p = readPalette(box);
    paletteRef.current = p;
    chart.applyOptions({
      layout: { background: { type: ColorType.Solid, color: p.bg }, textColor: p.text },
      grid: { vertLines: { color: p.grid }, horzLines: { color: p.grid } },
      rightPriceScale: { borderColor: p.border },
      timeScale: { borderColor: p.border },
    });
    s.candles.applyOptions({
      upColor: p.up,
      downColor: p.down,
      borderUpColor: p.up,
      borderDownColor: p.down,
      wickUpColor: p.up,
      wickDownColor: p.down,
    });
    s.sma.applyOptions({ color: p.sma });
    s.ema.applyOptions({ color: p.ema });
    for (const b of [s.bbUpper, s.bbMiddle, s.bbLower]) b.applyOptions({ color: p.bb });
  }, [themeTick]);

  useEffect(() => {
    chartRef.current?.applyOptions({ timeScale: { tickMarkFormatter: (t: Time, type: number) => tickMark(t, type, viewSpansYears) } });
  }, [viewSpansYears]);

  // Axis and crosshair labels: GMT+7 wall time; prices in the symbol's unit.
  useEffect(() => {
    chartRef.current?.applyOptions({
      timeScale: { timeVisible: isIntraday(resolution), secondsVisible: false },
      localization: {
        locale: "en-GB",
        timeFormatter: (t: Time) => formatChartTime(t, resolution),
        priceFormatter: (price: number) => formatPrice(price, unit),
      },
    });
    seriesRef.current?.candles.applyOptions({
      priceFormat: unit === "VND" ? { type: "price", precision: 0, minMove: 10 } : { type: "price", precision: 2, minMove: 0.01 },
    });
  }, [resolution, unit]);

  // The bars (and the volume coloured like its candle).
  useEffect(() => {
    const chart = chartRef.current;
    const s = seriesRef.current;
    const p = paletteRef.current;
    if (!chart || !s || !p) return;
    s.candles.setData(bars.map(({ time, open, high, low, close }) => ({ time, open, high, low, close })));
    s.volume.setData(
      bars.map((b) => ({ time: b.time, value: b.volume, color: withAlpha(b.close >= b.open ? p.up : p.down, 0.45) })),
    );
    const key = `${symbol}|${resolution}`;
    if (bars.length > 0 && viewKeyRef.current !== key) {
      viewKeyRef.current = key;
      askedAtCountRef.current = -1;
      const n = bars.length;
      const range = { from: Math.max(0, n - INITIAL_BARS[resolution]) - 0.5, to: n + 3 };
      chart.timeScale().setVisibleLogicalRange(range);
      // Drawn on the next frame: mark it for the e2e and the interactive benchmark. The range is set
      // again then, because the first layout (autoSize) keeps the bar spacing rather than the range.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          chartRef.current?.timeScale().setVisibleLogicalRange(range);
          if (performance.getEntriesByName("qf:first-candles").length === 0) performance.mark("qf:first-candles");
          performance.mark("qf:chart-drawn");
          setDrawn(true);
        }),
      );
    }
  }, [bars, symbol, resolution, themeTick]);

  // Overlays, computed from the closes of every loaded bar.
  useEffect(() => {
    const s = seriesRef.current;
    if (!s) return;
    const closes = bars.map((b) => b.close);
    const on = (id: OverlayId) => overlays.has(id);
    s.sma.applyOptions({ visible: on("sma") });
    s.ema.applyOptions({ visible: on("ema") });
    for (const b of [s.bbUpper, s.bbMiddle, s.bbLower]) b.applyOptions({ visible: on("bb") });
    s.sma.setData(on("sma") ? toLine(bars, sma(closes, periods.sma)) : []);
    s.ema.setData(on("ema") ? toLine(bars, ema(closes, periods.ema)) : []);
    if (on("bb")) {
      const bands = bollinger(closes, periods.bb, OVERLAYS.bb.multiplier);
      s.bbUpper.setData(toLine(bars, bands.upper));
      s.bbMiddle.setData(toLine(bars, bands.middle));
      s.bbLower.setData(toLine(bars, bands.lower));
    } else {
      for (const b of [s.bbUpper, s.bbMiddle, s.bbLower]) b.setData([]);
    }
  }, [bars, overlays, periods]);

  // Indicator panes, one per indicator under the price (lightweight-charts' panes), rebuilt when the
  // set of panes or the theme changes; their data follows the loaded bars.
  useEffect(() => {
    const chart = chartRef.current;
    const p = paletteRef.current;
    if (!chart || !p) return;
    const on = INDICATOR_IDS.filter((id) => indicators.has(id));
    const key = `${on.join(",")}|${themeTick}|${unit}`;
    let cur = indicatorRef.current;
    if (cur.key !== key) {
      for (const s of [cur.rsi, cur.macd, cur.signal, cur.histogram]) if (s) chart.removeSeries(s);
      for (let i = chart.panes().length - 1; i >= 1; i--) chart.removePane(i);
      cur = { key };
      const line = (color: string, title: string, pane: number) =>
        chart.addSeries(LineSeries, { color, lineWidth: 1, title, priceLineVisible: false, crosshairMarkerVisible: false }, pane);
      on.forEach((id, k) => {
        const pane = k + 1;
        if (id === "rsi") {
          cur.rsi = line(p.rsi, "RSI", pane);
          // 0–100 always, so 30 and 70 sit where the eye expects them.
          cur.rsi.applyOptions({ autoscaleInfoProvider: () => ({ priceRange: { minValue: 0, maxValue: 100 } }), priceFormat: { type: "price", precision: 1, minMove: 0.1 } });
          for (const guide of INDICATORS.rsi.guides) {
            cur.rsi.createPriceLine({ price: guide, color: p.guide, lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: true, title: "" });
          }
        } else {
          const priceFormat = unit === "VND" ? { type: "price" as const, precision: 0, minMove: 1 } : { type: "price" as const, precision: 2, minMove: 0.01 };
          cur.histogram = chart.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false, priceFormat }, pane);
          cur.macd = line(p.macd, "MACD", pane);
          cur.signal = line(p.signal, "Signal", pane);
          for (const s of [cur.macd, cur.signal]) s.applyOptions({ priceFormat });
        }
      });
      const panes = chart.panes();
      // The price keeps most of the height: 3 parts to each pane's 1 (2 to 1 with both panes).
      panes[0]?.setStretchFactor(on.length > 1 ? 2 : 3);
      for (const pane of panes.slice(1)) pane.setStretchFactor(1);
      indicatorRef.current = cur;
      setPaneCount(panes.length);
    }
    if (on.length === 0) return;
    const closes = bars.map((b) => b.close);
    cur.rsi?.setData(toLine(bars, rsi(closes, INDICATORS.rsi.period)));
    if (cur.macd && cur.signal && cur.histogram) {
      const m = macd(closes, INDICATORS.macd.fast, INDICATORS.macd.slow, INDICATORS.macd.signal);
      cur.macd.setData(toLine(bars, m.macd));
      cur.signal.setData(toLine(bars, m.signal));
      const hist = m.histogram;
      cur.histogram.setData(
        toLine(bars, hist).map((d) => ({ ...d, color: withAlpha(d.value >= 0 ? p.up : p.down, 0.55) })),
      );
    }
  }, [bars, indicators, themeTick, unit]);

  // Reference, ceiling and floor on intraday charts, over the limits' own session only: a price line
  // would span every earlier day too, where another reference held. So each is a short line series
  // with a point at every bar of that session (its data also widens the price scale to the limits).
  // On 1D the limits are the next session's (the API's), drawn as a mark in that session's slot.
  const limits = priceLimits;
  const limitSpan = useMemo(
    () =>
      !limits
        ? []
        : isIntraday(resolution)
          ? sessionBars(bars, limits.date)
          : [{ time: toChartTime(`${limits.date}T00:00:00+07:00`, "1D"), iso: limits.date }],
    [bars, limits, resolution],
  );
  useEffect(() => {
    const s = seriesRef.current;
    const p = paletteRef.current;
    if (!s || !p) return;
    const lines: [ISeriesApi<"Line">, number | undefined, string, string][] = [
      [s.ceilingLine, limits?.ceiling, p.ceiling, "Ceiling"],
      [s.refLine, limits?.reference, p.ref, limits?.basis === "previous-close" ? "Ref" : limits?.basis === "previous-vwap" ? "Ref (avg)" : "Ref (≈avg)"],
      [s.floorLine, limits?.floor, p.floor, "Floor"],
    ];
    for (const [series, price, color, title] of lines) {
      // A single point (1D's next session) shows as a mark.
      // Its axis label goes untitled, or the title would cover the mark; the legend names the three.
      const single = limitSpan.length === 1;
      series.applyOptions({ color, title: single ? "" : title, pointMarkersVisible: single });
      series.setData(price === undefined ? [] : limitSpan.map((b) => ({ time: b.time, value: price })));
    }
  }, [limits, limitSpan, themeTick]);

  const legendIndex = hoverIndex ?? bars.length - 1;
  const legendBar = bars[legendIndex] ?? null;
  const previousClose = bars[legendIndex - 1]?.close ?? null;
  const first = bars[0];
  const last = bars[bars.length - 1];

  const legend = useMemo(
    () => (
      <ChartLegend
        symbol={symbol}
        resolution={resolution}
        unit={unit}
        bar={legendBar}
        previousClose={previousClose}
        limits={limits}
        overlays={overlays}
        onToggleOverlay={onToggleOverlay}
        periods={periods}
        onPeriodChange={onPeriodChange}
        indicators={indicators}
        onToggleIndicator={onToggleIndicator}
      />
    ),
    [symbol, resolution, unit, legendBar, previousClose, limits, overlays, onToggleOverlay, periods, onPeriodChange, indicators, onToggleIndicator],
  );

  return (
    <div
      className={styles.chartFrame}
      data-testid="chart"
      data-symbol={symbol}
      data-resolution={resolution}
      data-bars-count={bars.length}
      data-first-time={first?.iso ?? ""}
      data-last-time={last?.iso ?? ""}
      data-drawn={drawn ? "true" : "false"}
      data-loading-older={loadingOlder ? "true" : "false"}
      data-price-lines={limits && limitSpan.length > 0 ? 3 : 0}
      data-limits-from={limitSpan[0]?.iso ?? ""}
      data-limits-to={limitSpan.at(-1)?.iso ?? ""}
      data-panes={paneCount}
      data-indicators={INDICATOR_IDS.filter((id) => indicators.has(id)).join(" ")}
      data-spans-years={viewSpansYears ? "true" : "false"}
    >
      {legend}
      {loadingOlder ? (
        <p className={styles.olderNote} role="status">
          Loading older bars…
        </p>
      ) : null}
      {drawn ? null : <CandlePreview bars={bars} slots={INITIAL_BARS[resolution]} />}
      <div
        ref={boxRef}
        className={styles.chartCanvas}
        role="img"
        aria-label={`${symbol} candles at ${resolution}, ${bars.length} bars${
          first && last ? ` from ${formatChartTime(first.time, resolution)} to ${formatChartTime(last.time, resolution)} (GMT+7)` : ""
        }`}
      />
    </div>
  );
}
