/**
 * Properties of the generated demo data (no database): determinism, sessions, ticks, limits, lots,
 * OHLC, history length, and the lead-lag analysts are meant to find.
 */
import { describe, expect, it } from "vitest";
import {
  isTradingDay,
  sessionMinuteOffsets,
  vnDateOf,
  vnMidnightUtc,
  vnMinuteOfDay,
} from "@/lib/market/calendar";
import { DEMO_STOCKS, demoSymbol } from "@/lib/market/demo-universe";
import { isOnTick, isWholeLots, priceLimits, roundToTick } from "@/lib/market/rules";
import type { CandleRow } from "@/lib/market/types";
import { DEMO_FACTOR_LEADS, DEMO_PLANTED_LEADS } from "./leads";
import {
  aggregateDaily,
  countMinuteBars,
  demoDailySeries,
  demoEodBars,
  demoMinuteBars,
  lastCompletedTradingDay,
  planDemoData,
  type DemoPlan,
} from "./market";

// 16:00 in Vietnam on Friday 2026-11-20: that day's sessions are over.
const NOW = new Date("2026-11-20T09:00:00Z");

const full = planDemoData({ now: NOW });
const minutes = new Map(full.symbols.map((s) => [s.symbol, demoMinuteBars(full, s.symbol)]));
/** demoDailySeries of the full plan, from the minutes generated once above. */
const dailyOfFull = new Map(
  full.symbols.map((s) => [s.symbol, [...demoEodBars(full, s.symbol), ...aggregateDaily(minutes.get(s.symbol)!)]]),
);
const daily = (symbol: string) => dailyOfFull.get(symbol)!;

function logReturns(plan: DemoPlan, symbol: string): number[] {
  const d = plan === full ? daily(symbol) : demoDailySeries(plan, symbol);
  return d.slice(1).map((b, i) => Math.log(b.close / d[i]!.close));
}

/** ρ(k) of x(t) and y(t + k) over the overlapping days. */
function crossCorrelation(x: number[], y: number[], k: number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = 0; t < x.length; t++) {
    if (t + k >= 0 && t + k < y.length) {
      xs.push(x[t]!);
      ys.push(y[t + k]!);
    }
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** The lag in [-K, K] of largest |ρ|, with the whole profile. */
function leadLag(x: number[], y: number[], K = 10) {
  const rho = new Map<number, number>();
  for (let k = -K; k <= K; k++) rho.set(k, crossCorrelation(x, y, k));
  const best = [...rho.entries()].reduce((a, b) => (Math.abs(b[1]) > Math.abs(a[1]) ? b : a));
  return { lag: best[0], rho, band: 1.96 / Math.sqrt(x.length) };
}

/** Residuals of y after regressing it on x (same length): removes the shared market move. */
function residuals(y: number[], x: number[]): number[] {
  const n = y.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const beta = sxy / sxx;
  return y.map((v, i) => v - my - beta * (x[i]! - mx));
}

describe("the demo history", () => {
  it("covers five years of trading days, ending on the last completed session", () => {
    expect(full.days.at(-1)).toBe("2026-11-20");
    expect(full.days[0]! > "2021-11-20").toBe(true);
    expect(full.days[0]! < "2021-11-27").toBe(true);
    expect(full.days.length).toBeGreaterThan(1_220);
    expect(full.days.length).toBeLessThan(1_270);
    expect(full.days.every(isTradingDay)).toBe(true);
    expect(full.intradayDays).toEqual(full.days.slice(-60));
  });

  it("ends each day's data after the close, never in the middle of a session", () => {
    expect(lastCompletedTradingDay(new Date("2026-11-20T07:59:00Z"))).toBe("2026-11-19"); // 14:59
    expect(lastCompletedTradingDay(new Date("2026-11-20T08:00:00Z"))).toBe("2026-11-20"); // 15:00
    expect(lastCompletedTradingDay(new Date("2026-11-22T03:00:00Z"))).toBe("2026-11-20"); // Sunday
  });

  it("has a daily bar for every day and symbol, EOD rows only before the 1-minute window", () => {
    expect(demoDailySeries(full, "HPG")).toEqual(daily("HPG"));
    for (const sym of full.symbols) {
      expect(daily(sym.symbol).map((d) => d.time.getTime()), sym.symbol).toEqual(
        full.days.map((d) => vnMidnightUtc(d).getTime()),
      );
      const eod = demoEodBars(full, sym.symbol);
      expect(eod.length, sym.symbol).toBe(sym.kind === "commodity" ? full.days.length : full.days.length - 60);
    }
  });

  it("keeps every stock's daily bars on the tick grid, within the limits of the previous close, in whole lots", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const sym of DEMO_STOCKS) {
      const bars = daily(sym.symbol);
      for (let t = 1; t < bars.length; t++) {
        const d = bars[t]!;
        const { floor, ceiling } = priceLimits(sym.exchange, bars[t - 1]!.close);
        for (const p of [d.open, d.high, d.low, d.close]) {
          if (!isOnTick(sym.exchange, p)) problems.push(`${sym.symbol} day ${t}: ${p} off tick`);
          if (p < floor || p > ceiling) problems.push(`${sym.symbol} day ${t}: ${p} outside [${floor}, ${ceiling}]`);
        }
        if (d.low > Math.min(d.open, d.close) || d.high < Math.max(d.open, d.close)) problems.push(`${sym.symbol} day ${t}: OHLC`);
        if (!isWholeLots(d.volume)) problems.push(`${sym.symbol} day ${t}: volume ${d.volume}`);
        checked++;
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(30 * 1_200);
  });

  it("ends near each symbol's realistic price and never goes implausibly low", () => {
    for (const sym of full.symbols) {
      const bars = daily(sym.symbol);
      expect(Math.abs(bars.at(-1)!.close / sym.price - 1), sym.symbol).toBeLessThan(0.01);
      const low = Math.min(...bars.map((d) => d.low));
      expect(low / sym.price, sym.symbol).toBeGreaterThan(0.15);
    }
  });
});

describe("1-minute bars", () => {
  it("exist for every session minute of the window, for stocks and indices only", () => {
    let total = 0;
    for (const sym of full.symbols) {
      const rows = minutes.get(sym.symbol)!;
      total += rows.length;
      if (sym.kind === "commodity") {
        expect(rows).toEqual([]);
        continue;
      }
      const offsets = sessionMinuteOffsets(sym.exchange);
      expect(rows.length, sym.symbol).toBe(offsets.length * 60);
      const allowed = new Set(offsets);
      const days = new Set(full.intradayDays);
      const outside = rows.filter((r) => !days.has(vnDateOf(r.time)) || !allowed.has(vnMinuteOfDay(r.time)));
      expect(outside.map((r) => `${sym.symbol} ${r.time.toISOString()}`)).toEqual([]);
      expect(rows.every((r, i) => i === 0 || r.time > rows[i - 1]!.time), sym.symbol).toBe(true);
    }
    expect(total).toBe(countMinuteBars(full));
    expect(total).toBeGreaterThan(450_000);
  });

  it("has no bar in the lunch break", () => {
    for (const rows of minutes.values()) {
      expect(rows.some((r) => vnMinuteOfDay(r.time) >= 690 && vnMinuteOfDay(r.time) < 780)).toBe(false);
    }
  });

  it("quotes stocks on the tick grid, within the day's limits around the previous close, in whole lots, with consistent OHLC", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const sym of DEMO_STOCKS) {
      const bars = daily(sym.symbol);
      // The day's limits from the previous day's close.
      const limits = new Map(bars.slice(1).map((d, i) => [d.time.getTime(), priceLimits(sym.exchange, bars[i]!.close)]));
      for (const r of minutes.get(sym.symbol)!) {
        const { floor, ceiling } = limits.get(vnMidnightUtc(vnDateOf(r.time)).getTime())!;
        const where = `${sym.symbol} ${r.time.toISOString()}`;
        for (const p of [r.open, r.high, r.low, r.close]) {
          if (!isOnTick(sym.exchange, p)) problems.push(`${where}: ${p} off tick`);
          if (p < floor || p > ceiling) problems.push(`${where}: ${p} outside [${floor}, ${ceiling}]`);
        }
        if (r.low > Math.min(r.open, r.close) || r.high < Math.max(r.open, r.close)) problems.push(`${where}: OHLC`);
        if (!isWholeLots(r.volume)) problems.push(`${where}: volume ${r.volume}`);
        checked++;
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(400_000);
  });

  it("quotes indices in points with consistent OHLC", () => {
    for (const symbol of ["VNINDEX", "VN30", "HNXINDEX"]) {
      const bad = minutes
        .get(symbol)!
        .filter(
          (r) =>
            r.low > Math.min(r.open, r.close) ||
            r.high < Math.max(r.open, r.close) ||
            Math.round(r.close * 100) / 100 !== r.close ||
            !(r.volume > 0),
        );
      expect(bad).toEqual([]);
    }
  });

  it("prints HOSE's closing auction as one flat bar at 14:45 holding the day's close", () => {
    const rows = minutes.get("HPG")!;
    const atc = rows.filter((r) => vnMinuteOfDay(r.time) === 14 * 60 + 45);
    expect(atc).toHaveLength(60);
    const daily = aggregateDaily(rows);
    atc.forEach((r, i) => {
      expect([r.open, r.high, r.low]).toEqual([r.close, r.close, r.close]);
      expect(daily[i]!.close).toBe(r.close);
    });
  });

  it("trades more at the open and the close than at midday", () => {
    const rows = minutes.get("MBB")!;
    const byMinute = new Map<number, number>();
    for (const r of rows) byMinute.set(vnMinuteOfDay(r.time), (byMinute.get(vnMinuteOfDay(r.time)) ?? 0) + r.volume);
    const midday = byMinute.get(11 * 60)!;
    expect(byMinute.get(9 * 60 + 15)!).toBeGreaterThan(3 * midday);
    expect(byMinute.get(14 * 60 + 45)!).toBeGreaterThan(3 * midday);
  });
});

describe("determinism", () => {
  it("gives byte-identical rows for the same seed and options", () => {
    const again = planDemoData({ now: NOW });
    for (const symbol of ["HPG", "VNINDEX", "IRON_ORE", "HBC"]) {
      expect(JSON.stringify(demoDailySeries(again, symbol))).toBe(JSON.stringify(daily(symbol)));
      expect(JSON.stringify(demoMinuteBars(again, symbol))).toBe(JSON.stringify(minutes.get(symbol)));
    }
  });

  it("gives other data for another seed", () => {
    const other = planDemoData({ now: NOW, seed: "another", symbols: ["HPG"] });
    expect(JSON.stringify(demoDailySeries(other, "HPG"))).not.toBe(JSON.stringify(daily("HPG")));
  });

  it("gives a symbol the same series whether or not the rest of the universe is generated", () => {
    const small = planDemoData({ now: NOW, symbols: ["IRON_ORE", "HPG"] });
    expect(demoMinuteBars(small, "HPG")).toEqual(minutes.get("HPG"));
    expect(demoEodBars(small, "IRON_ORE")).toEqual(demoEodBars(full, "IRON_ORE"));
  });

  it("refuses bad options with a clear message", () => {
    expect(() => planDemoData({ now: NOW, symbols: ["HPG", "AAPL"] })).toThrow(/unknown symbols: AAPL/);
    expect(() => planDemoData({ now: NOW, symbols: [] })).toThrow(/must not be empty/);
    expect(() => planDemoData({ now: NOW, intradayDays: 0 })).toThrow();
    expect(() => planDemoData({ now: new Date(Number.NaN) })).toThrow();
  });
});

describe("co-movement and lead-lag", () => {
  it("iron ore leads every steel maker by 3 trading days, far outside the no-correlation band", () => {
    const ironOre = logReturns(full, "IRON_ORE");
    for (const sym of DEMO_STOCKS.filter((s) => s.sector === "Steel")) {
      const { lag, rho, band } = leadLag(ironOre, logReturns(full, sym.symbol));
      expect(lag, sym.symbol).toBe(3);
      expect(rho.get(3)!, sym.symbol).toBeGreaterThan(4 * band);
    }
  });

  it("keeps the iron ore lead for other seeds (it is built in, not luck)", () => {
    for (const seed of ["x", 7]) {
      const plan = planDemoData({ now: NOW, seed, symbols: ["IRON_ORE", "HPG"] });
      const { lag, rho, band } = leadLag(logReturns(plan, "IRON_ORE"), logReturns(plan, "HPG"));
      expect(lag).toBe(3);
      expect(rho.get(3)!).toBeGreaterThan(4 * band);
    }
  });

  it("construction follows steel by 2 days: significant raw, the peak once the market's move is removed", () => {
    const market = logReturns(full, "VNINDEX");
    const steel = logReturns(full, "HPG");
    for (const symbol of ["CTD", "VCG"]) {
      const builder = logReturns(full, symbol);
      const raw = leadLag(steel, builder);
      expect(raw.rho.get(2)!, symbol).toBeGreaterThan(2 * raw.band);
      const adjusted = leadLag(residuals(steel, market), residuals(builder, market));
      expect(adjusted.lag, symbol).toBe(2);
    }
  });

  it("plants every listed lead so that 3 years of daily closes, K = 20, find it far outside the corrected band", () => {
    // What lib/analytics' lead-lag does on the demo data: the last 3 years (≈ 756 trading days), lags
    // −20…20, significance against ±z/√n with z = Φ⁻¹(1 − 0.025/41) ≈ 3.23 (Bonferroni for 41 lags).
    const threeYears = (symbol: string) => logReturns(full, symbol).slice(-756);
    const found: string[] = [];
    for (const { source, target, lagDays } of DEMO_PLANTED_LEADS) {
      const x = threeYears(source);
      const { lag, rho } = leadLag(x, threeYears(target), 20);
      const corrected = 3.23 / Math.sqrt(x.length);
      found.push(`${source}→${target} ${lag}`);
      expect(lag, `${source} → ${target}`).toBe(lagDays);
      expect(Math.abs(rho.get(lag)!), `${source} → ${target}`).toBeGreaterThan(2 * corrected);
    }
    expect(found.length).toBeGreaterThanOrEqual(20);
  });

  it("plants the crude oil and coking coal leads for other seeds too", () => {
    for (const seed of ["x", 7]) {
      const plan = planDemoData({ now: NOW, seed, symbols: ["CRUDE_OIL", "COKING_COAL", "GAS", "HPG"] });
      const oil = leadLag(logReturns(plan, "CRUDE_OIL"), logReturns(plan, "GAS"), 20);
      expect(oil.lag).toBe(2);
      expect(oil.rho.get(2)!).toBeGreaterThan(4 * oil.band);
      const coal = leadLag(logReturns(plan, "COKING_COAL"), logReturns(plan, "HPG"), 20);
      expect(coal.lag).toBe(4);
      expect(coal.rho.get(4)!).toBeGreaterThan(4 * coal.band);
    }
  });

  it("documents the factor model's links with the lags the pairs carry", () => {
    const lagOf = (leader: string) => DEMO_FACTOR_LEADS.find((l) => l.leader === leader)!.lagDays;
    for (const p of DEMO_PLANTED_LEADS) expect(p.lagDays, p.source).toBe(lagOf(p.source));
  });

  it("moves banks with the VN-Index on the same day", () => {
    const market = logReturns(full, "VNINDEX");
    for (const sym of DEMO_STOCKS.filter((s) => s.sector === "Banks" && s.beta >= 0.9)) {
      const { lag, rho } = leadLag(market, logReturns(full, sym.symbol));
      expect(lag, sym.symbol).toBe(0);
      expect(rho.get(0)!, sym.symbol).toBeGreaterThan(0.6);
    }
  });
});

describe("aggregateDaily", () => {
  it("builds a day's bar from its minutes: first open, extreme high/low, last close, summed volume", () => {
    const bar = (iso: string, o: number, h: number, l: number, c: number, v: number): CandleRow => ({
      time: new Date(iso), symbol: "HPG", open: o, high: h, low: l, close: c, volume: v,
    });
    const rows = [
      bar("2026-11-20T07:45:00Z", 26_600, 26_600, 26_600, 26_600, 500), // 14:45, given out of order
      bar("2026-11-20T02:15:00Z", 26_500, 26_550, 26_450, 26_500, 1_000),
      bar("2026-11-20T02:16:00Z", 26_500, 26_700, 26_400, 26_650, 300),
      bar("2026-11-19T07:45:00Z", 26_000, 26_000, 26_000, 26_000, 700),
    ];
    expect(aggregateDaily(rows)).toEqual([
      bar("2026-11-18T17:00:00Z", 26_000, 26_000, 26_000, 26_000, 700),
      bar("2026-11-19T17:00:00Z", 26_500, 26_700, 26_400, 26_600, 1_800),
    ]);
  });
});

describe("demo universe", () => {
  it("spans the six sectors and three exchanges, with prices on their tick grid", () => {
    expect(new Set(DEMO_STOCKS.map((s) => s.sector)).size).toBe(6);
    expect(new Set(DEMO_STOCKS.map((s) => s.exchange))).toEqual(new Set(["HOSE", "HNX", "UPCOM"]));
    expect(DEMO_STOCKS.length).toBeGreaterThanOrEqual(30);
    for (const s of DEMO_STOCKS) expect(roundToTick(s.exchange, s.price), s.symbol).toBe(s.price);
    expect(demoSymbol("IRON_ORE").kind).toBe("commodity");
    expect(() => demoSymbol("AAPL")).toThrow(/not in the demo universe/);
  });
});
