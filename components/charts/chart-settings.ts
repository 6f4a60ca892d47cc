/**
 * What the user chooses on the chart and the browser remembers (localStorage): the overlays drawn on
 * the price, their periods, and the indicator panes under it. Pure: no React, no storage access, so
 * reading a stored value (possibly old, edited or garbage) is tested on its own.
 */

export const PERIOD_MIN = 2;
export const PERIOD_MAX = 400;

/** Overlays on the price pane; `period` is the default, the user may change it. */
export const OVERLAYS = {
  sma: { name: "SMA", long: "Simple moving average", period: 20 },
  ema: { name: "EMA", long: "Exponential moving average", period: 50 },
  bb: { name: "BB", long: "Bollinger bands, 2 standard deviations", period: 20, multiplier: 2 },
} as const;
export type OverlayId = keyof typeof OVERLAYS;
export const OVERLAY_IDS = Object.keys(OVERLAYS) as OverlayId[];
export type OverlayPeriods = Record<OverlayId, number>;

/** Indicator panes under the price, in the order they stack. */
export const INDICATORS = {
  rsi: { label: "RSI 14", long: "Relative strength index (Wilder), 14 bars, with the 30 and 70 guides", period: 14, guides: [30, 70] },
  macd: { label: "MACD 12, 26, 9", long: "MACD: EMA 12 − EMA 26, its 9-bar signal and the histogram between them", fast: 12, slow: 26, signal: 9 },
} as const;
export type IndicatorId = keyof typeof INDICATORS;
export const INDICATOR_IDS = Object.keys(INDICATORS) as IndicatorId[];

export interface ChartSettings {
  overlays: OverlayId[];
  indicators: IndicatorId[];
  periods: OverlayPeriods;
}

export const SETTINGS_KEY = "qf:chart-settings:v1";

export const DEFAULT_PERIODS: OverlayPeriods = { sma: OVERLAYS.sma.period, ema: OVERLAYS.ema.period, bb: OVERLAYS.bb.period };
export const DEFAULT_SETTINGS: ChartSettings = { overlays: [], indicators: [], periods: DEFAULT_PERIODS };

/** The overlay's label with its period: "SMA 20", "BB 20, 2". */
export function overlayLabel(id: OverlayId, period: number): string {
  return id === "bb" ? `BB ${period}, ${OVERLAYS.bb.multiplier}` : `${OVERLAYS[id].name} ${period}`;
}

export type PeriodParse = { ok: true; value: number } | { ok: false; error: string };

/** A period typed by the user: a whole number of bars from 2 to 400. */
export function parsePeriod(text: string): PeriodParse {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, error: `A whole number of bars from ${PERIOD_MIN} to ${PERIOD_MAX}` };
  const value = Number(t);
  if (value < PERIOD_MIN || value > PERIOD_MAX) return { ok: false, error: `From ${PERIOD_MIN} to ${PERIOD_MAX} bars` };
  return { ok: true, value };
}

const isPeriod = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= PERIOD_MIN && (v as number) <= PERIOD_MAX;

/**
 * The stored settings, each part checked on its own: what is missing, unknown or out of range falls
 * back to the default (a value stored by an older version, or edited by hand, never breaks the chart).
 */
export function parseChartSettings(raw: string | null): ChartSettings {
  let value: unknown;
  try {
    value = raw === null ? null : JSON.parse(raw);
  } catch {
    value = null;
  }
  if (!value || typeof value !== "object") return DEFAULT_SETTINGS;
  const v = value as Record<string, unknown>;
  const pick = <T extends string>(list: unknown, allowed: readonly T[]): T[] =>
    Array.isArray(list) ? allowed.filter((id) => list.includes(id)) : [];
  const stored = v.periods && typeof v.periods === "object" ? (v.periods as Record<string, unknown>) : {};
  const periods = { ...DEFAULT_PERIODS };
  for (const id of OVERLAY_IDS) if (isPeriod(stored[id])) periods[id] = stored[id];
  return { overlays: pick(v.overlays, OVERLAY_IDS), indicators: pick(v.indicators, INDICATOR_IDS), periods };
}

export function serializeChartSettings(s: ChartSettings): string {
  return JSON.stringify({ overlays: s.overlays, indicators: s.indicators, periods: s.periods });
}
