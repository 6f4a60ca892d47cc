/**
 * readDailyCloses / readLatestCloses on the real PostgreSQL: end-of-day bars and days aggregated from
 * 1-minute bars, keyed by their Vietnamese trading date, in one statement for many symbols.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { testPool } from "@/test/db";
import { sessionMinutes, vnMidnightUtc } from "./calendar";
import { ingestCandles, ingestDailyBars } from "./ingest";
import { readDailyCloses, readLatestCloses, tradingDaysBack } from "./universe-closes";

const pool = testPool();
const tag = Math.random().toString(36).slice(2, 6).toUpperCase();
const [EOD, MIN, NONE] = [`UCE${tag}`, `UCM${tag}`, `UCN${tag}`];
// Mon 3 – Fri 14 March 2025: ten sessions.
const DAYS = ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07", "2025-03-10", "2025-03-11", "2025-03-12", "2025-03-13", "2025-03-14"];

beforeAll(async () => {
  await ingestDailyBars(
    pool,
    DAYS.map((day, i) => ({ time: vnMidnightUtc(day), symbol: EOD, open: 100 + i, high: 100 + i, low: 100 + i, close: 100 + i, volume: 1 })),
  );
  // 1-minute bars on three days only; the day's close is its last minute's.
  const minutes = ["2025-03-05", "2025-03-06", "2025-03-14"].flatMap((day, d) =>
    sessionMinutes("HOSE", day).map((time, i, all) => ({ time, symbol: MIN, open: 20_000, high: 21_200, low: 19_900, close: i === all.length - 1 ? 21_000 + d * 50 : 20_000, volume: 100 })),
  );
  await ingestCandles(pool, minutes);
});

describe("readDailyCloses", () => {
  it("gives each symbol's closes on the Vietnamese trading dates any of them traded, nulls where one did not", async () => {
    const got = await readDailyCloses(pool, [MIN, EOD, NONE], { tradingDays: 9, endDay: "2025-03-14" });
    expect(got.symbols).toEqual([MIN, EOD, NONE]);
    expect(got.dates).toEqual(DAYS);
    expect(got.closes[1]).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(got.closes[0]).toEqual([null, null, 21_000, 21_050, null, null, null, null, null, 21_100]);
    expect(got.closes[2]).toEqual(new Array(10).fill(null));
  });

  it("takes `tradingDays` sessions back from the end day (plus the one before, for the first return), skipping weekends", async () => {
    expect(tradingDaysBack("2025-03-14", 9)).toBe("2025-03-03");
    const got = await readDailyCloses(pool, [EOD], { tradingDays: 4, endDay: "2025-03-09" });
    // Sunday 9 March: the last session is Friday the 7th; four returns need five closes.
    expect(got.dates).toEqual(["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"]);
  });
});

describe("readLatestCloses", () => {
  it("gives each symbol's last close before the instant, with its trading date; symbols without bars are absent", async () => {
    const latest = await readLatestCloses(pool, [EOD, MIN, NONE], new Date("2025-03-13T12:00:00+07:00"));
    expect(latest.get(EOD)).toMatchObject({ close: 108, day: "2025-03-13" });
    expect(latest.get(MIN)).toMatchObject({ close: 21_050, day: "2025-03-06" });
    expect(latest.has(NONE)).toBe(false);
  });
});
