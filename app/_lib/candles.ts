/**
 * The one place a CandleSeries of lib/market/candles.ts becomes the JSON the browser reads: times in
 * Vietnam (ISO 8601 with +07:00), the bar fields only. Used by GET /api/candles and by the chart page,
 * which hands the first page to the browser with the HTML (components/charts/api.ts: CandlesPage).
 */
import type { CandleSeries } from "@/lib/market/candles";
import { toVnIso } from "@/lib/time";

export function shapeCandleSeries(series: CandleSeries) {
  return {
    ...series,
    candles: series.candles.map((c) => ({ time: toVnIso(c.time), open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume })),
  };
}
