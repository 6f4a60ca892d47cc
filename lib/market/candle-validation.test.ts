import { describe, expect, it } from "vitest";
import {
  CandleValidationError,
  dailyBarSchema,
  minuteBarSchema,
  validateBatch,
} from "./candle-validation";

const minute = (over: Record<string, unknown> = {}) => ({
  time: new Date("2025-03-04T02:15:00Z"),
  symbol: "HPG",
  open: 25_950,
  high: 26_100,
  low: 25_900,
  close: 26_000,
  volume: 12_300,
  ...over,
});
const daily = (over: Record<string, unknown> = {}) => minute({ time: new Date("2025-03-03T17:00:00Z"), ...over });

function refusal(rows: unknown, kind: "minute" | "daily" = "minute"): CandleValidationError {
  try {
    validateBatch(rows, kind);
  } catch (error) {
    expect(error).toBeInstanceOf(CandleValidationError);
    return error as CandleValidationError;
  }
  throw new Error("the batch was accepted");
}

/** Each bad bar, with a fragment of the reason it must be refused for. */
const BAD_MINUTES: [string, Record<string, unknown>, RegExp][] = [
  ["high below low", { high: 25_800, low: 25_900, open: 25_850, close: 25_850 }, /high 25800 is below low 25900/],
  ["open above high", { open: 26_200 }, /open 26200 is outside \[low 25900, high 26100\]/],
  ["close below low", { close: 25_000 }, /close 25000 is outside/],
  ["negative price", { low: -1 }, /low must be positive, got -1/],
  ["zero price", { open: 0, low: 0 }, /must be positive, got 0/],
  ["NaN price", { close: Number.NaN }, /close must be a finite number, got NaN/],
  ["infinite price", { high: Number.POSITIVE_INFINITY }, /high must be a finite number, got Infinity/],
  ["price as text", { open: "25950" }, /open must be a finite number, got "25950"/],
  ["negative volume", { volume: -100 }, /volume must not be negative, got -100/],
  ["fractional volume", { volume: 10.5 }, /volume must be a whole number of shares, got 10.5/],
  ["infinite volume", { volume: Number.POSITIVE_INFINITY }, /volume must be a whole number/],
  ["empty symbol", { symbol: "" }, /symbol "" is malformed/],
  ["lower-case symbol", { symbol: "hpg" }, /symbol "hpg" is malformed/],
  ["symbol with a tab", { symbol: "HP\tG" }, /is malformed/],
  ["symbol too long", { symbol: "A".repeat(21) }, /is malformed/],
  ["symbol missing", { symbol: undefined }, /symbol must be a string, got undefined/],
  ["invalid date", { time: new Date("nope") }, /time must be a valid Date, got Invalid Date/],
  ["time as text", { time: "2025-03-04T02:15:00Z" }, /time must be a valid Date/],
  ["seconds inside the minute", { time: new Date("2025-03-04T02:15:30Z") }, /is not the start of a minute/],
  ["far future", { time: new Date("2099-01-05T02:15:00Z") }, /is out of range/],
  ["before 1990", { time: new Date("1989-12-29T02:15:00Z") }, /is out of range/],
];

describe("validateBatch (1-minute bars)", () => {
  it("accepts good bars and drops keys it does not know", () => {
    const batch = validateBatch(
      [minute({ extra: "x" }), minute({ symbol: "VN30F2412", time: new Date("2025-03-04T02:16:00Z") })],
      "minute",
    );
    expect(batch.rows[0]).toEqual(minute());
    expect(batch.symbols.sort()).toEqual(["HPG", "VN30F2412"]);
    expect(batch.minTime.toISOString()).toBe("2025-03-04T02:15:00.000Z");
    expect(batch.maxTime.toISOString()).toBe("2025-03-04T02:16:00.000Z");
  });

  it("accepts the symbols of indices, derivatives and named series", () => {
    for (const symbol of ["VNINDEX", "VN30", "HNX30", "VN30F2412", "IRON_ORE", "BRK.B", "X-1"]) {
      expect(() => validateBatch([minute({ symbol })], "minute")).not.toThrow();
    }
  });

  for (const [name, over, reason] of BAD_MINUTES) {
    it(`refuses ${name}, naming the row`, () => {
      const error = refusal([minute(), minute(over)]);
      expect(error.refusedRows).toBe(1);
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]!.index).toBe(1);
      expect(error.message).toMatch(/^1 of 2 candles refused; nothing was stored/);
      expect(error.message).toMatch(/rows\[1\] \(/);
      expect(error.message).toMatch(reason);
    });
  }

  it("names every bad row of a batch, and says how many more when there are many", () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      minute({ time: new Date(Date.UTC(2025, 2, 4, 2, i)), volume: i % 2 === 0 ? -1 : 1 }),
    );
    const error = refusal(rows);
    expect(error.refusedRows).toBe(15);
    expect(error.issues.map((i) => i.index)).toEqual(Array.from({ length: 15 }, (_, i) => i * 2));
    expect(error.message).toContain("rows[0] (HPG 2025-03-04T09:00:00+07:00)");
    expect(error.message).toContain("... and 5 more");
  });

  it("labels rows it cannot read at all", () => {
    const error = refusal([null, 42]);
    expect(error.refusedRows).toBe(2);
    expect(error.message).toContain("rows[0] (? ?)");
  });

  it("refuses something that is not an array", () => {
    expect(refusal({ rows: [] }).message).toMatch(/expected an array of candles, got object/);
  });

  it("accepts an empty batch", () => {
    expect(validateBatch([], "minute").rows).toEqual([]);
  });
});

describe("validateBatch (daily bars)", () => {
  it("wants 00:00 in Vietnam, which is 17:00 UTC the day before", () => {
    expect(validateBatch([daily()], "daily").rows).toHaveLength(1);
    expect(refusal([daily({ time: new Date("2025-03-04T00:00:00Z") })], "daily").message).toMatch(
      /is not 00:00 in Vietnam/,
    );
  });

  it("applies the same OHLC rules", () => {
    expect(refusal([daily({ open: 0, high: 0, low: 0, close: 100, volume: 0 })], "daily").message).toMatch(
      /open must be positive/,
    );
    expect(refusal([daily({ open: 5.008, high: 5.217, low: 5.217, close: 5.217 })], "daily").message).toMatch(
      /open 5.008 is outside \[low 5.217, high 5.217\]/,
    );
  });
});

describe("the exported zod schemas and the batch path agree", () => {
  const samples = [
    minute(),
    daily(),
    ...BAD_MINUTES.map(([, over]) => minute(over)),
    ...BAD_MINUTES.map(([, over]) => daily(over)),
    daily({ time: new Date("2025-03-04T00:00:00Z") }),
  ];
  it.each([
    ["minute", minuteBarSchema],
    ["daily", dailyBarSchema],
  ] as const)("%s", (kind, schema) => {
    for (const sample of samples) {
      let batchAccepts = true;
      try {
        validateBatch([sample], kind);
      } catch {
        batchAccepts = false;
      }
      expect({ sample, accepted: batchAccepts }).toEqual({ sample, accepted: schema.safeParse(sample).success });
    }
  });
});
