/**
 * The candles as SVG paths, drawn with the page's HTML (server-rendered) so they are on screen at the
 * first paint, before the chart library has loaded and hydrated. Same window and scaling as the live
 * chart opens with (the newest `slots` bars, 3.5 slots of space at the right; prices between 10 % from
 * the top and 24 % from the bottom; volume in the bottom fifth), so the swap is barely visible.
 * Pure: numbers in, path strings out, one decimal (the same text on the server and in the browser).
 */

export interface PreviewBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface PreviewPaths {
  upBodies: string;
  downBodies: string;
  upWicks: string;
  downWicks: string;
  upVolume: string;
  downVolume: string;
}

export const PREVIEW_WIDTH = 1000;
export const PREVIEW_HEIGHT = 600;

const f = (n: number) => n.toFixed(1);
const rect = (x: number, y: number, w: number, h: number) => `M${f(x)} ${f(y)}h${f(w)}v${f(Math.max(h, 0.6))}h${f(-w)}Z`;

/** The newest `slots` bars of `bars` (ascending) as six paths in a PREVIEW_WIDTH × PREVIEW_HEIGHT box. */
export function previewPaths(bars: readonly PreviewBar[], slots: number): PreviewPaths {
  const out: PreviewPaths = { upBodies: "", downBodies: "", upWicks: "", downWicks: "", upVolume: "", downVolume: "" };
  const shown = bars.slice(Math.max(0, bars.length - slots));
  if (shown.length === 0) return out;
  let hi = -Infinity;
  let lo = Infinity;
  let maxVolume = 0;
  for (const b of shown) {
    hi = Math.max(hi, b.high);
    lo = Math.min(lo, b.low);
    maxVolume = Math.max(maxVolume, b.volume);
  }
  const span = hi - lo || Math.abs(hi) * 0.01 || 1;
  const top = PREVIEW_HEIGHT * 0.1;
  const usable = PREVIEW_HEIGHT * (1 - 0.1 - 0.24);
  const y = (p: number) => top + (usable * (hi - p)) / span;
  const spacing = PREVIEW_WIDTH / (shown.length + 3.5);
  const body = Math.max(1, spacing * 0.7);
  shown.forEach((b, i) => {
    const up = b.close >= b.open;
    const x = (i + 0.5) * spacing;
    const wick = `M${f(x)} ${f(y(b.high))}V${f(y(b.low))}`;
    const bodyPath = rect(x - body / 2, y(Math.max(b.open, b.close)), body, Math.abs(y(b.open) - y(b.close)));
    const vh = maxVolume > 0 ? (PREVIEW_HEIGHT * 0.2 * b.volume) / maxVolume : 0;
    const volume = rect(x - body / 2, PREVIEW_HEIGHT - vh, body, vh);
    if (up) {
      out.upWicks += wick;
      out.upBodies += bodyPath;
      out.upVolume += volume;
    } else {
      out.downWicks += wick;
      out.downBodies += bodyPath;
      out.downVolume += volume;
    }
  });
  return out;
}
