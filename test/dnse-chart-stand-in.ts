/**
 * A local stand-in for DNSE's chart history endpoint, which cannot be reached from here:
 * `GET /chart-api/v2/ohlcs/{stock|index|derivative}?symbol&resolution&from&to` (epoch seconds,
 * both inclusive) answering `{"t":[…],"o":[…],"h":[…],"l":[…],"c":[…],"v":[…],"nextTime":…}` — the shape
 * the public client libraries read (thinh-vu/vnstock, vnstock/explorer/dnse/quote.py: "DNSE returns
 * {"t": [...], "o": [...], "h": [...], "l": [...], "c": [...], "v": [...]}"), prices in thousand VND for
 * stocks. `{}` is what it answers for a range without data.
 *
 * A test puts bars in `bars` (per symbol, DNSE units) and may queue scripted answers per symbol in
 * `script` (429 with Retry-After, 500, malformed JSON, arrays of unequal length …), consumed one per
 * request before the bars are served.
 *
 * With `synthetic: true` (the Playwright stand-in, test/dnse-stand-in.ts run alone), a symbol without
 * bars in `bars` gets made-up but valid ones instead: HOSE's 1-minute session bars (resolution 1) or
 * one bar per trading day (D), the same for the same request every time, prices on a smooth wave
 * (thousand VND for stocks, points for indices).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sessionMinutes, tradingDaysBetween, vnDateOf, vnMidnightUtc } from "../lib/market/calendar";

export interface StandInBar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export interface ScriptedAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** What the stand-in serves and what it was asked; shared with test/dnse-stand-in.ts. */
export interface DnseChartState {
  bars: Map<string, StandInBar[]>;
  script: Map<string, ScriptedAnswer[]>;
  requests: { instrument: string; symbol: string; resolution: string; from: number; to: number; at: number }[];
  /** Made-up bars for symbols that have none in `bars` (see above). */
  synthetic: boolean;
}

export interface DnseChartStandIn extends DnseChartState {
  url: string;
  close(): Promise<void>;
}

export const json = (body: unknown, status = 200, headers?: Record<string, string>): ScriptedAnswer => ({ status, body: JSON.stringify(body), headers });

export function createDnseChartState(options: { synthetic?: boolean } = {}): DnseChartState {
  return { bars: new Map(), script: new Map(), requests: [], synthetic: options.synthetic ?? false };
}

/** A price on a smooth wave around a level chosen by the symbol, rounded to 0.05 (DNSE's units). */
function wave(symbol: string, instrument: string, step: number): number {
  let hash = 7;
  for (const ch of symbol) hash = (hash * 31 + ch.charCodeAt(0)) % 9973;
  const level = instrument === "index" ? 900 + (hash % 400) : 12 + (hash % 48);
  const p = level * (1 + 0.04 * Math.sin(step / 190 + hash) + 0.012 * Math.sin(step / 23));
  return Math.round(p * 20) / 20;
}

function syntheticBars(instrument: string, symbol: string, resolution: string, from: number, to: number): StandInBar[] {
  if (resolution !== "1" && resolution !== "D") return [];
  const days = tradingDaysBetween(vnDateOf(new Date(from * 1000)), vnDateOf(new Date(to * 1000)));
  const starts =
    resolution === "1" ? days.flatMap((day) => sessionMinutes("HOSE", day)) : days.map((day) => vnMidnightUtc(day));
  return starts
    .map((d) => d.getTime() / 1000)
    .filter((t) => t >= from && t <= to)
    .map((t) => {
      const step = resolution === "1" ? t / 60 : t / 3600;
      const o = wave(symbol, instrument, step);
      const c = wave(symbol, instrument, step + 1);
      const tick = instrument === "index" ? 0.5 : 0.05;
      const cents = (x: number) => Math.round(x * 100) / 100;
      return { t, o, c, h: cents(Math.max(o, c) + tick), l: cents(Math.min(o, c) - tick), v: 1000 + (Math.round(t / 60) % 97) * 100 };
    });
}

/** Answers a request for DNSE's chart path; false (nothing sent) for any other path. */
export function handleChartRequest(state: DnseChartState, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const url = new URL(req.url ?? "/", "http://stand-in");
  if (!url.pathname.startsWith("/chart-api/")) return false;
  const m = /^\/chart-api\/v2\/ohlcs\/(stock|index|derivative)$/.exec(url.pathname);
  if (req.method !== "GET" || !m) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: 404, message: "Not Found" }));
    return true;
  }
  const symbol = url.searchParams.get("symbol") ?? "";
  const resolution = url.searchParams.get("resolution") ?? "";
  const from = Number(url.searchParams.get("from"));
  const to = Number(url.searchParams.get("to"));
  state.requests.push({ instrument: m[1]!, symbol, resolution, from, to, at: Date.now() });
  const scripted = state.script.get(symbol)?.shift();
  if (scripted) {
    res.writeHead(scripted.status, { "content-type": "application/json", ...scripted.headers });
    res.end(scripted.body);
    return true;
  }
  const stored = state.bars.get(symbol);
  const inRange =
    stored || !state.synthetic
      ? (stored ?? []).filter((b) => b.t >= from && b.t <= to)
      : syntheticBars(m[1]!, symbol, resolution, from, to);
  res.writeHead(200, { "content-type": "application/json" });
  if (inRange.length === 0) {
    res.end("{}");
    return true;
  }
  res.end(
    JSON.stringify({
      t: inRange.map((b) => b.t),
      o: inRange.map((b) => b.o),
      h: inRange.map((b) => b.h),
      l: inRange.map((b) => b.l),
      c: inRange.map((b) => b.c),
      v: inRange.map((b) => b.v),
      nextTime: 0,
    }),
  );
  return true;
}

export async function startDnseChartStandIn(options: { synthetic?: boolean } = {}): Promise<DnseChartStandIn> {
  const state = createDnseChartState(options);
  const server = http.createServer((req, res) => {
    if (handleChartRequest(state, req, res)) return;
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: 404, message: "Not Found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...state,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
