/**
 * A local stand-in for DNSE's chart history endpoint, which cannot be reached from here. Each shape it
 * serves, with its public source:
 *
 * - `GET /chart-api/v2/ohlcs/{stock|index|derivative}?symbol&resolution&from&to` (epoch seconds, both
 *   inclusive): thinh-vu/vnstock, vnstock/explorer/dnse/const.py @ b6e053794673fbfc249e7dd35348ed35bae563e3
 *   (`_OHLC_URL = f"{_BASE_URL}/chart-api/v2/ohlcs/stock"`) and quote.py @ the same commit (params
 *   resolution, symbol, from, to; "DNSE uses inclusive 'to'").
 * - The answer `{"t":[…],"o":[…],"h":[…],"l":[…],"c":[…],"v":[…],"nextTime":…}`, t in epoch seconds, stock
 *   prices in thousand VND: quote.py @ b6e0537 ("DNSE returns {"t": [...], "o": [...], …}", times read with
 *   `unit="s"`). `{}` for a range without data (quote.py treats a falsy answer as no data).
 * - Resolution names: minutes "1", "5", "15", "30", "60" and daily "D" (const.py `_INTERVAL_MAP`: "1D" → "D").
 *   DNSE's KRX documentation names the daily OHLC "1D" (manhngodh/dnse-trading-bot, "DNSE documents/
 *   dnse_docmuments.md" @ 6137f5609113256afa7e8b0dd4195404d152e08d, § 2.2 "KRX Topics"), so `dailyName`
 *   picks which one this stand-in takes; the other daily name, and any other name, answers 400
 *   `{"status":400,"message":"Invalid resolution"}` (DNSE's error body is not documented: the shape of
 *   its other services).
 * - Minute history depth: 1-minute bars (and 5 … 60) only for the last ~90 days before `now`; older
 *   minutes are left out of the answer (`{}` when nothing is left), as issue 16 reports after vnstock.
 *
 * A test puts bars in `bars` (per symbol, DNSE units) and may queue scripted answers per symbol in
 * `script` (429 with Retry-After, 500, malformed JSON, arrays of unequal length …), consumed one per
 * request before the bars are served.
 *
 * With `synthetic: true` (the Playwright stand-in, test/dnse-stand-in.ts run alone), a symbol without
 * bars in `bars` gets made-up but valid ones instead: HOSE's 1-minute session bars (resolution 1) or
 * one bar per trading day (daily), the same for the same request every time, prices on a smooth wave
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
  /** The daily resolution name this stand-in takes ("D" unless told). */
  dailyName: "D" | "1D";
  /** The clock of the minute window. */
  now: () => number;
  /** Days of minute history served (90, as DNSE). */
  minuteDays: number;
}

export interface DnseChartOptions {
  synthetic?: boolean;
  dailyName?: "D" | "1D";
  now?: () => number;
  minuteDays?: number;
}

const MINUTE_NAMES = new Set(["1", "5", "15", "30", "60"]);

export interface DnseChartStandIn extends DnseChartState {
  url: string;
  close(): Promise<void>;
}

export const json = (body: unknown, status = 200, headers?: Record<string, string>): ScriptedAnswer => ({ status, body: JSON.stringify(body), headers });

export function createDnseChartState(options: DnseChartOptions = {}): DnseChartState {
  return { bars: new Map(), script: new Map(), requests: [], synthetic: options.synthetic ?? false, dailyName: options.dailyName ?? "D", now: options.now ?? Date.now, minuteDays: options.minuteDays ?? 90 };
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
  const daily = resolution === "D" || resolution === "1D";
  if (resolution !== "1" && !daily) return [];
  const days = tradingDaysBetween(vnDateOf(new Date(from * 1000)), vnDateOf(new Date(to * 1000)));
  const starts =
    !daily ? days.flatMap((day) => sessionMinutes("HOSE", day)) : days.map((day) => vnMidnightUtc(day));
  return starts
    .map((d) => d.getTime() / 1000)
    .filter((t) => t >= from && t <= to)
    .map((t) => {
      const step = !daily ? t / 60 : t / 3600;
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
  if (!MINUTE_NAMES.has(resolution) && resolution !== state.dailyName) {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: 400, message: "Invalid resolution" }));
    return true;
  }
  // Minutes only for the last ~90 days.
  const since = MINUTE_NAMES.has(resolution) ? Math.floor(state.now() / 1000) - state.minuteDays * 86_400 : -Infinity;
  const stored = state.bars.get(symbol);
  const inRange = (
    stored || !state.synthetic
      ? (stored ?? []).filter((b) => b.t >= from && b.t <= to)
      : syntheticBars(m[1]!, symbol, resolution, from, to)
  ).filter((b) => b.t >= since);
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

export async function startDnseChartStandIn(options: DnseChartOptions = {}): Promise<DnseChartStandIn> {
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
