import { describe, expect, it } from "vitest";
import { annualisation, barsPerTradingDay } from "./annualise";

describe("bars a year by resolution", () => {
  it("counts a HOSE day's buckets as the candle reads make them", () => {
    expect(barsPerTradingDay("HOSE", "1h")).toBe(5); // 09, 10, 11, 13, 14
    expect(barsPerTradingDay("HOSE", "30m")).toBe(9); // as lib/market/candles.test.ts counts them
    expect(barsPerTradingDay("HOSE", "4h")).toBe(2); // the morning's bar from 09:00, the afternoon's from 13:00
    expect(barsPerTradingDay("HOSE", "1D")).toBe(1);
  });
  it("takes weekly and monthly bars as 52 and 12 a year", () => {
    expect(annualisation("1W", "HOSE").barsPerYear).toBe(52);
    expect(annualisation("1M", "HOSE")).toEqual({ barsPerYear: 12, basis: "√12 (monthly bars, 12 a year)" });
    expect(annualisation("4h", "HOSE").barsPerYear).toBe(2 * 252);
  });
});
