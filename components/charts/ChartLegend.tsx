"use client";

import { useId, useState } from "react";
import type { PriceLimitsDay } from "./api";
import { BOARD_TONE_CLASS, boardTone } from "./board-tone";
import type { ChartBar } from "./CandleChart";
import {
  INDICATORS,
  INDICATOR_IDS,
  OVERLAYS,
  OVERLAY_IDS,
  PERIOD_MAX,
  PERIOD_MIN,
  overlayLabel,
  parsePeriod,
  type IndicatorId,
  type OverlayId,
  type OverlayPeriods,
} from "./chart-settings";
import { formatChartTime, type Resolution } from "./chart-time";
import { abbreviate, changePct, directionOf, formatChangePct, formatExact, formatPrice, type PriceUnit } from "./format";
import styles from "./charts.module.css";

/**
 * An overlay's period, typed: applied on Enter or on leaving the field when it is a whole number from
 * 2 to 400 (not on every keystroke, so typing 120 does not draw 1 and 12 on the way); anything else is
 * said beside it as it is typed, never applied, and leaving the field (or Escape) puts back the period
 * in use.
 */
function PeriodField({ id, period, onChange }: { id: OverlayId; period: number; onChange: (id: OverlayId, period: number) => void }) {
  const [text, setText] = useState<string | null>(null);
  const errorId = useId();
  const shown = text ?? String(period);
  const parsed = parsePeriod(shown);
  return (
    <span className={styles.periodField}>
      <input
        type="number"
        inputMode="numeric"
        min={PERIOD_MIN}
        max={PERIOD_MAX}
        step={1}
        className={styles.periodInput}
        aria-label={`${OVERLAYS[id].name} period (bars)`}
        aria-invalid={parsed.ok ? undefined : true}
        aria-describedby={parsed.ok ? undefined : errorId}
        data-period-for={id}
        value={shown}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && parsed.ok) {
            onChange(id, parsed.value);
            setText(null);
          }
          if (e.key === "Escape") setText(null);
        }}
        onBlur={() => {
          if (parsed.ok && parsed.value !== period) onChange(id, parsed.value);
          setText(null);
        }}
      />
      {parsed.ok ? null : (
        <span id={errorId} role="alert" className={styles.periodError}>
          {parsed.error}
        </span>
      )}
    </span>
  );
}

const DIRECTION_CLASS = { up: "price-up", down: "price-down", flat: "price-ref" } as const;

/** What the reference is, in a few words beside the limits. */
const BASIS_LABEL: Record<PriceLimitsDay["basis"], string> = {
  "previous-close": "ref = previous close",
  "previous-vwap": "ref = previous average price",
  "previous-vwap-approx": "ref ≈ previous average price (from the daily bar)",
};

const BASIS_TEXT: Record<PriceLimitsDay["basis"], string> = {
  "previous-close": "The reference is the previous session's close (HOSE and HNX).",
  "previous-vwap":
    "The reference is the previous session's volume-weighted average price (UPCOM), computed from its 1-minute bars by typical price (high + low + close) / 3.",
  "previous-vwap-approx":
    "The reference approximates the previous session's volume-weighted average price (UPCOM) by its daily bar's typical price (high + low + close) / 3: that session has no complete 1-minute bars.",
};

/** The tooltip of the limits: how they were computed and what they do not know. */
export function limitsExplanation(limits: PriceLimitsDay): string {
  return [
    `Price limits of ${limits.date}, computed by QuantFlow from stored bars.`,
    BASIS_TEXT[limits.basis],
    "Ceiling and floor: reference ± the exchange's limit (HOSE 7 %, HNX 10 %, UPCOM 15 %), rounded inside it to the tick.",
    "DNSE's data carries no reference price, so an ex-rights day's adjusted reference is not applied: on such a day the exchange's limits differ.",
  ].join(" ");
}

/**
 * The crosshair legend: the bar under the crosshair (the last bar otherwise) with O H L C, change %
 * against the previous bar's close, and volume (abbreviated; exact in the title); the day's limits on
 * intraday charts; and the overlay switches.
 */
export function ChartLegend({
  symbol,
  resolution,
  unit,
  bar,
  previousClose,
  limits,
  overlays,
  onToggleOverlay,
  periods,
  onPeriodChange,
  indicators,
  onToggleIndicator,
}: {
  symbol: string;
  resolution: Resolution;
  unit: PriceUnit;
  bar: ChartBar | null;
  previousClose: number | null;
  limits: PriceLimitsDay | null;
  overlays: ReadonlySet<OverlayId>;
  onToggleOverlay: (id: OverlayId) => void;
  periods: OverlayPeriods;
  onPeriodChange: (id: OverlayId, period: number) => void;
  indicators: ReadonlySet<IndicatorId>;
  onToggleIndicator: (id: IndicatorId) => void;
}) {
  const pct = bar ? changePct(bar.close, previousClose) : null;
  const dir = directionOf(pct);
  const p = (v: number) => formatPrice(v, unit);
  const barDir = bar ? directionOf(bar.close - bar.open) : "flat";
  // As a board does: a price of the limits' session is coloured against its reference, ceiling and
  // floor; a bar of an earlier session (whose reference the chart does not hold) by its own direction.
  const boardLimits = bar && limits && bar.iso.slice(0, 10) === limits.date ? limits : null;
  const priceCell = (v: number) =>
    boardLimits ? (
      <dd className={BOARD_TONE_CLASS[boardTone(v, boardLimits)]} data-tone={boardTone(v, boardLimits)}>
        {p(v)}
      </dd>
    ) : (
      <dd>{p(v)}</dd>
    );
  return (
    <div className={styles.legend} data-testid="chart-legend">
      <div className={styles.legendRow}>
        <span className={styles.legendSymbol}>
          {symbol} · {resolution}
        </span>
        {bar ? (
          <>
            <span className={styles.legendTime}>{formatChartTime(bar.time, resolution)}</span>
            <dl
              className={`${styles.ohlc} ${boardLimits ? "" : DIRECTION_CLASS[barDir]}`}
              data-coloured-by={boardLimits ? "reference" : "bar"}
            >
              <dt>O</dt>
              {priceCell(bar.open)}
              <dt>H</dt>
              {priceCell(bar.high)}
              <dt>L</dt>
              {priceCell(bar.low)}
              <dt>C</dt>
              {priceCell(bar.close)}
            </dl>
            <span className={DIRECTION_CLASS[dir]} title="Change against the previous bar's close">
              {pct === null ? "—" : formatChangePct(pct)}
            </span>
            <span className={styles.legendVol} title={`Volume ${formatExact(bar.volume)} shares`}>
              Vol {abbreviate(bar.volume)}
            </span>
          </>
        ) : null}
      </div>
      <div className={styles.legendRow}>
        <span role="group" aria-label="Overlays" className={styles.overlayGroup}>
          {OVERLAY_IDS.map((id) => (
            <span key={id} className={styles.overlayItem}>
              <button
                type="button"
                className={styles.overlayButton}
                data-overlay={id}
                aria-pressed={overlays.has(id)}
                title={`${OVERLAYS[id].long}, ${periods[id]} bars`}
                onClick={() => onToggleOverlay(id)}
              >
                <span className={styles.swatch} aria-hidden="true" />
                {overlayLabel(id, periods[id])}
              </button>
              {overlays.has(id) ? <PeriodField id={id} period={periods[id]} onChange={onPeriodChange} /> : null}
            </span>
          ))}
        </span>
        <span role="group" aria-label="Indicator panes" className={styles.overlayGroup}>
          {INDICATOR_IDS.map((id) => (
            <button
              key={id}
              type="button"
              className={styles.overlayButton}
              data-indicator={id}
              aria-pressed={indicators.has(id)}
              title={INDICATORS[id].long}
              onClick={() => onToggleIndicator(id)}
            >
              <span className={styles.swatch} aria-hidden="true" />
              {INDICATORS[id].label}
            </button>
          ))}
        </span>
        {limits ? (
          <span className={styles.limits} title={limitsExplanation(limits)} data-testid="price-limits" data-basis={limits.basis}>
            {resolution === "1D" ? (
              <span className={styles.limitsNote}>Next session {limits.date.split("-").reverse().join("/")}:</span>
            ) : null}
            <span className="price-ceiling">Ceiling {p(limits.ceiling)}</span>
            <span className="price-ref">Ref {p(limits.reference)}</span>
            <span className="price-floor">Floor {p(limits.floor)}</span>
            <span className={styles.limitsNote}>
              computed · {BASIS_LABEL[limits.basis]}
            </span>
          </span>
        ) : null}
      </div>
    </div>
  );
}
