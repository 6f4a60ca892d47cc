/** Indicator nodes: lib/analytics applied to each symbol's series (warm-up bars stay NaN). */
import { z } from "zod";
import { atr, bollinger, ema, macd, rsi, sma, type MacdSeries } from "../../analytics/indicators";
import { logReturns, rollingVolatility, simpleReturns } from "../../analytics/returns";
import { annualisation, type Annualisation } from "../../analytics/annualise";
import { EXCHANGES } from "../../market/rules";
import type { CandlesBySymbol, NodeInfo, PortSpec, SeriesBySymbol } from "../types";
import { defineNode } from "./define";
import { fieldOf, input, mapSeries, onFiniteTail, resolutionOf } from "./series-ops";

const seriesIn: PortSpec = { id: "series", label: "Series", type: "series", required: true };
const seriesOut = (id = "series", label = "Series"): PortSpec => ({ id, label, type: "series" });
const period = (fallback: number) => z.number().int().min(1).max(1000).default(fallback);

export const smaNode = defineNode({
  type: "indicator.sma",
  label: "SMA",
  category: "indicator",
  description: "Simple moving average.",
  inputs: [seriesIn],
  outputs: [seriesOut()],
  params: z.object({ period: period(20) }),
  execute: (inputs, p) => ({ series: mapSeries(input<SeriesBySymbol>(inputs, "series"), (v) => sma(v, p.period)) }),
});

export const emaNode = defineNode({
  type: "indicator.ema",
  label: "EMA",
  category: "indicator",
  description: "Exponential moving average, seeded with the SMA of the first window (TA-Lib).",
  inputs: [seriesIn],
  outputs: [seriesOut()],
  params: z.object({ period: period(20) }),
  execute: (inputs, p) => ({ series: mapSeries(input<SeriesBySymbol>(inputs, "series"), (v) => ema(v, p.period)) }),
});

export const rsiNode = defineNode({
  type: "indicator.rsi",
  label: "RSI",
  category: "indicator",
  description: "Wilder's relative strength index, 0–100.",
  inputs: [seriesIn],
  outputs: [seriesOut()],
  params: z.object({ period: period(14) }),
  execute: (inputs, p) => ({ series: mapSeries(input<SeriesBySymbol>(inputs, "series"), (v) => rsi(v, p.period)) }),
});

export const macdNode = defineNode({
  type: "indicator.macd",
  label: "MACD",
  category: "indicator",
  description: "MACD line, signal and histogram (TA-Lib's seeding).",
  inputs: [seriesIn],
  outputs: [seriesOut("macd", "MACD"), seriesOut("signal", "Signal"), seriesOut("histogram", "Histogram")],
  params: z
    .object({ fast: period(12), slow: period(26), signal: period(9) })
    .refine((p) => p.fast < p.slow, { message: "fast period must be shorter than slow period", path: ["fast"] }),
  execute(inputs, p) {
    const src = input<SeriesBySymbol>(inputs, "series");
    const out: Record<"macd" | "signal" | "histogram", SeriesBySymbol> = { macd: {}, signal: {}, histogram: {} };
    for (const [symbol, s] of Object.entries(src)) {
      let parts: MacdSeries | undefined;
      const line = onFiniteTail(s.values, (tail) => (parts = macd(tail, p)).macd);
      const pad = new Array<number>(line.length - (parts?.macd.length ?? 0)).fill(NaN);
      out.macd[symbol] = { times: s.times, values: line, ...resolutionOf(s) };
      out.signal[symbol] = { times: s.times, values: pad.concat(parts?.signal ?? []), ...resolutionOf(s) };
      out.histogram[symbol] = { times: s.times, values: pad.concat(parts?.histogram ?? []), ...resolutionOf(s) };
    }
    return out;
  },
});

export const bollingerNode = defineNode({
  type: "indicator.bollinger",
  label: "Bollinger Bands",
  category: "indicator",
  description: "SMA ± k population standard deviations.",
  inputs: [seriesIn],
  outputs: [seriesOut("upper", "Upper"), seriesOut("middle", "Middle"), seriesOut("lower", "Lower")],
  params: z.object({ period: period(20), k: z.number().min(0).max(10).default(2) }),
  execute(inputs, p) {
    const src = input<SeriesBySymbol>(inputs, "series");
    const band = (key: "upper" | "middle" | "lower") => mapSeries(src, (v) => bollinger(v, p.period, p.k)[key]);
    return { upper: band("upper"), middle: band("middle"), lower: band("lower") };
  },
});

export const atrNode = defineNode({
  type: "indicator.atr",
  label: "ATR",
  category: "indicator",
  description: "Wilder's average true range, from OHLC bars.",
  inputs: [{ id: "candles", label: "OHLCV", type: "candles", required: true }],
  outputs: [seriesOut()],
  params: z.object({ period: period(14) }),
  execute(inputs, p) {
    const candles = input<CandlesBySymbol>(inputs, "candles");
    const [high, low, close] = (["high", "low", "close"] as const).map((f) => fieldOf(candles, f)) as [SeriesBySymbol, SeriesBySymbol, SeriesBySymbol];
    const series: SeriesBySymbol = {};
    for (const [symbol, c] of Object.entries(close)) {
      series[symbol] = { times: c.times, values: atr({ high: high[symbol]!.values, low: low[symbol]!.values, close: c.values }, p.period) };
    }
    return { series };
  },
});

export const returnsNode = defineNode({
  type: "indicator.returns",
  label: "Returns",
  category: "indicator",
  description: "Bar-to-bar simple or log returns.",
  inputs: [seriesIn],
  outputs: [seriesOut()],
  params: z.object({ kind: z.enum(["simple", "log"]).default("simple") }),
  execute: (inputs, p) => ({ series: mapSeries(input<SeriesBySymbol>(inputs, "series"), p.kind === "log" ? logReturns : simpleReturns) }),
});

export const volatilityNode = defineNode({
  type: "indicator.volatility",
  label: "Rolling volatility",
  category: "indicator",
  description:
    "Sample standard deviation of log returns over a window, optionally annualised by √(bars a year): counted from the input's resolution and the exchange's sessions (√252 for daily bars, √1260 for HOSE's hourly bars) unless set here. Its output says which factor it used.",
  inputs: [seriesIn],
  outputs: [seriesOut()],
  params: z.object({
    window: z.number().int().min(2).max(1000).default(20),
    annualise: z.boolean().default(true),
    /** Overrides the factor counted from the bars (leave empty to count it). */
    periodsPerYear: z.number().positive().optional(),
    /** Whose sessions count the intraday bars of a day (they differ below one hour). */
    exchange: z.enum(EXCHANGES).default("HOSE"),
  }),
  execute(inputs, p) {
    const src = input<SeriesBySymbol>(inputs, "series");
    const series: SeriesBySymbol = {};
    const used = new Map<string, Annualisation & { resolution: string | null }>();
    for (const [symbol, s] of Object.entries(src)) {
      const a = annualisation(s.resolution, p.exchange, p.periodsPerYear);
      used.set(a.basis, { ...a, resolution: s.resolution ?? null });
      series[symbol] = mapSeries({ [symbol]: s }, (v) => rollingVolatility(v, p.window, { annualise: p.annualise, periodsPerYear: a.barsPerYear }))[symbol]!;
    }
    const [only] = used.values();
    const info: NodeInfo = !p.annualise
      ? { annualisedBy: "not annualised (volatility per bar)" }
      : used.size === 1 && only
        ? { resolution: only.resolution, barsPerYear: only.barsPerYear, annualisedBy: only.basis }
        : { barsPerYear: null, annualisedBy: [...used.keys()].join("; ") };
    return { series, info };
  },
});

export const indicatorNodes = [smaNode, emaNode, rsiNode, macdNode, bollingerNode, atrNode, returnsNode, volatilityNode];
