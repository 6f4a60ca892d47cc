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
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

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

export interface DnseChartStandIn {
  url: string;
  bars: Map<string, StandInBar[]>;
  script: Map<string, ScriptedAnswer[]>;
  requests: { instrument: string; symbol: string; resolution: string; from: number; to: number; at: number }[];
  close(): Promise<void>;
}

export const json = (body: unknown, status = 200, headers?: Record<string, string>): ScriptedAnswer => ({ status, body: JSON.stringify(body), headers });

export async function startDnseChartStandIn(): Promise<DnseChartStandIn> {
  const bars = new Map<string, StandInBar[]>();
  const script = new Map<string, ScriptedAnswer[]>();
  const requests: DnseChartStandIn["requests"] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const m = /^\/chart-api\/v2\/ohlcs\/(stock|index|derivative)$/.exec(url.pathname);
    if (req.method !== "GET" || !m) {
      res.writeHead(404, { "content-type": "application/json" });
      return res.end(JSON.stringify({ status: 404, message: "Not Found" }));
    }
    const symbol = url.searchParams.get("symbol") ?? "";
    const from = Number(url.searchParams.get("from"));
    const to = Number(url.searchParams.get("to"));
    requests.push({ instrument: m[1]!, symbol, resolution: url.searchParams.get("resolution") ?? "", from, to, at: Date.now() });
    const scripted = script.get(symbol)?.shift();
    if (scripted) {
      res.writeHead(scripted.status, { "content-type": "application/json", ...scripted.headers });
      return res.end(scripted.body);
    }
    const inRange = (bars.get(symbol) ?? []).filter((b) => b.t >= from && b.t <= to);
    res.writeHead(200, { "content-type": "application/json" });
    if (inRange.length === 0) return res.end("{}");
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
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bars,
    script,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
