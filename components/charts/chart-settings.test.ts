import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, overlayLabel, parseChartSettings, parsePeriod, serializeChartSettings } from "./chart-settings";

describe("overlay periods typed by the user", () => {
  it("takes whole numbers of bars from 2 to 400", () => {
    expect(parsePeriod("2")).toEqual({ ok: true, value: 2 });
    expect(parsePeriod(" 400 ")).toEqual({ ok: true, value: 400 });
    expect(parsePeriod("50")).toEqual({ ok: true, value: 50 });
  });
  it("refuses the rest with a reason", () => {
    for (const bad of ["1", "401", "0", "-5", "2.5", "", "abc", "1e2"]) {
      const r = parsePeriod(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/2 to 400/);
    }
  });
  it("labels an overlay with its period", () => {
    expect(overlayLabel("sma", 20)).toBe("SMA 20");
    expect(overlayLabel("ema", 200)).toBe("EMA 200");
    expect(overlayLabel("bb", 30)).toBe("BB 30, 2");
  });
});

describe("the remembered chart settings", () => {
  it("read back what was stored", () => {
    const s = { overlays: ["ema" as const], indicators: ["macd" as const, "rsi" as const], periods: { sma: 10, ema: 200, bb: 30 } };
    // Indicators come back in pane order (RSI above MACD), whatever order they were switched on.
    expect(parseChartSettings(serializeChartSettings(s))).toEqual({ ...s, indicators: ["rsi", "macd"] });
  });
  it("fall back to the defaults, part by part, for what is missing, unknown or out of range", () => {
    expect(parseChartSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseChartSettings("not json")).toEqual(DEFAULT_SETTINGS);
    expect(parseChartSettings("42")).toEqual(DEFAULT_SETTINGS);
    expect(
      parseChartSettings(JSON.stringify({ overlays: ["sma", "vwap"], indicators: "rsi", periods: { sma: 1, ema: 401, bb: 25.5, x: 9 } })),
    ).toEqual({ overlays: ["sma"], indicators: [], periods: DEFAULT_SETTINGS.periods });
    expect(parseChartSettings(JSON.stringify({ periods: { ema: 100 } })).periods).toEqual({ ...DEFAULT_SETTINGS.periods, ema: 100 });
  });
});
