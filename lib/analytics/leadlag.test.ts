import { describe, expect, it } from "vitest";
import { numpyMissingReason, numpyReference, scipyMissingReason, type NumpyLeadLagCase } from "../../test/numpy-leadlag";
import { closesFrom, laggedReturns, noiseReturns, normalDraws, tradingDays, withGaps } from "../../test/synthetic-daily-series";
import {
  analyseLeadLag,
  analyseLeadLagBatch,
  bonferroniZ,
  type DailyClose,
  LeadLagInputError,
  type LeadLagErrorCode,
  type LeadLagOptions,
  windowStart,
} from "./leadlag";
import { normalQuantile } from "./normal-quantile";

const DAYS = tradingDays("2018-01-02", "2025-06-30");
const ASOF = "2025-06-30";

/** A source and a target whose returns repeat the source's `lag` days later (lag < 0: the target moves first). */
function plantedPair(lag: number, seed: number, { beta = 0.6, sd = 0.015, gaps = 0 } = {}) {
  const draw = normalDraws(seed);
  const driver = noiseReturns(DAYS.length, 0.02, draw);
  const follower = laggedReturns(driver, Math.abs(lag), beta, sd, draw);
  const [s, t] = lag >= 0 ? [driver, follower] : [follower, driver];
  return {
    source: withGaps(closesFrom(DAYS, s, 25_000), gaps, seed + 1),
    target: withGaps(closesFrom(DAYS, t, 80_000), gaps, seed + 2),
  };
}

function independentPair(seed: number) {
  const draw = normalDraws(seed);
  return { source: closesFrom(DAYS, noiseReturns(DAYS.length, 0.02, draw)), target: closesFrom(DAYS, noiseReturns(DAYS.length, 0.02, draw)) };
}

function inputError(run: () => unknown): LeadLagInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof LeadLagInputError) return error;
    throw error;
  }
  throw new Error("expected a LeadLagInputError");
}

function expectInputError(run: () => unknown, code: LeadLagErrorCode, message: RegExp) {
  const error = inputError(run);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

const FIVE_YEARS: LeadLagOptions = { windowYears: 5, asOf: ASOF };

describe("normalQuantile (AS241)", () => {
  const ps = [1e-300, 1e-100, 1e-20, 1e-12, 1.3888e-11, 1e-9, 1e-5, 0.001, 0.025 / 41, 0.025, 0.05, 0.0749, 0.075, 0.0751, 0.2, 0.5 - 1e-9, 0.5, 0.6, 0.924, 0.925, 0.926, 0.975, 0.999, 1 - 0.025 / 41, 1 - 1e-10, 1 - 1e-15];
  const scipyMissing = numpyMissingReason() ?? scipyMissingReason();

  it.skipIf(scipyMissing !== undefined)(`equals scipy.stats.norm.ppf from the far tails to the centre${scipyMissing ? ` (skipped: ${scipyMissing})` : ""}`, () => {
    const { quantiles } = numpyReference({ quantiles: ps });
    expect(quantiles).not.toBeNull();
    ps.forEach((p, i) => {
      const expected = (quantiles as number[])[i] as number;
      const got = normalQuantile(p);
      expect(Math.abs(got - expected), `p = ${p}: ${got} vs scipy ${expected}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
    });
  });

  it("gives the band's z: 1.96 for 95 %, 3.23 for 41 lags", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(bonferroniZ(20)).toBeCloseTo(3.2343, 4);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(NaN)).toThrow(RangeError);
  });
});

describe("lead-lag against a numpy reference", () => {
  const missing = numpyMissingReason();
  it.skipIf(missing !== undefined)(`equals np.corrcoef at every lag to 1e-9, and picks the same lead${missing ? ` (skipped: ${missing})` : ""}`, () => {
    const planted = plantedPair(3, 11, { gaps: 0.05 });
    const leading = plantedPair(-7, 12, { gaps: 0.02, beta: 0.3 });
    const noise = independentPair(13);
    const weak = plantedPair(2, 14, { beta: 0.08, sd: 0.02, gaps: 0.1 });
    const cases: NumpyLeadLagCase[] = [
      { ...planted, windowYears: 5, asOf: ASOF, maxLag: 20 },
      { ...leading, windowYears: 3, asOf: "2024-11-15", maxLag: 10 },
      { ...noise, windowYears: 1, asOf: ASOF, maxLag: 20 },
      { ...weak, windowYears: 1, asOf: "2024-02-29", maxLag: 5 },
      // asOf on a Sunday, past the last day of one side.
      { source: planted.source.slice(0, -30), target: planted.target, windowYears: 3, asOf: "2025-06-29", maxLag: 20 },
    ];
    const reference = numpyReference({ cases });
    cases.forEach((c, i) => {
      const expected = reference.cases[i];
      if (!expected) throw new Error(`no reference for case ${i}`);
      const got = analyseLeadLag(c.source, c.target, { windowYears: c.windowYears as 1 | 3 | 5, asOf: c.asOf, maxLag: c.maxLag });
      expect(got.n).toBe(expected.n);
      expect(got.days).toBe(expected.days);
      expect(got.lags.map((l) => l.k)).toEqual(expected.lags.map((l) => l.k));
      got.lags.forEach((l, j) => {
        const rho = expected.lags[j]?.rho as number;
        expect(Math.abs(l.rho - rho), `case ${i}, k = ${l.k}`).toBeLessThanOrEqual(1e-9);
        expect(l.n).toBe(expected.n - Math.abs(l.k));
      });
      expect(got.leadTimeDays).toBe(expected.leadTimeDays);
      expect(Math.abs(got.correlation - expected.correlation)).toBeLessThanOrEqual(1e-9);
    });
  });
});

describe("lead-lag finds what was planted", () => {
  it("a target that repeats the source's returns 3 days later: lead +3, significant", () => {
    const { source, target } = plantedPair(3, 21, { gaps: 0.03 });
    const r = analyseLeadLag(source, target, FIVE_YEARS);
    expect(r.leadTimeDays).toBe(3);
    expect(r.correlation).toBeGreaterThan(0.4);
    expect(r.significant).toBe(true);
    expect(r.weight).toBe(Math.abs(r.correlation));
    expect(r.lags).toHaveLength(41);
    expect(r.n).toBe(r.days - 1);
    expect(r.n).toBeGreaterThan(1000);
    expect(r.band.z).toBeCloseTo(3.2343, 4);
    expect(r.band.corrected).toBeCloseTo(r.band.z / Math.sqrt(r.n), 15);
    expect(r.band.plain).toBeCloseTo(1.959963984540054 / Math.sqrt(r.n), 15);
    expect(r.from).toBe("2020-06-30");
    expect(r.lastDay).toBe("2025-06-30");
  });

  it("a target that moves 4 days before the source: lead −4", () => {
    const { source, target } = plantedPair(-4, 22);
    const r = analyseLeadLag(source, target, { windowYears: 3, asOf: ASOF });
    expect(r.leadTimeDays).toBe(-4);
    expect(r.significant).toBe(true);
  });

  it("a negative link is found with its sign", () => {
    const draw = normalDraws(23);
    const driver = noiseReturns(DAYS.length, 0.02, draw);
    const follower = laggedReturns(driver, 2, -0.5, 0.015, draw);
    const r = analyseLeadLag(closesFrom(DAYS, driver), closesFrom(DAYS, follower), FIVE_YEARS);
    expect(r.leadTimeDays).toBe(2);
    expect(r.correlation).toBeLessThan(-0.4);
    expect(r.significant).toBe(true);
  });

  it("independent series (fixed seed): no lag is significant, weight 0", () => {
    const { source, target } = independentPair(31);
    for (const windowYears of [1, 3, 5] as const) {
      const r = analyseLeadLag(source, target, { windowYears, asOf: ASOF });
      expect(r.significant, `${windowYears} y: ρ ${r.correlation} at ${r.leadTimeDays}`).toBe(false);
      expect(r.weight).toBe(0);
    }
  });

  it("on 300 independent pairs the largest of 41 lags clears the plain band most of the time, the corrected band about 5 % of the time", () => {
    let plain = 0;
    let corrected = 0;
    const pairs = 300;
    for (let seed = 1000; seed < 1000 + pairs; seed++) {
      const { source, target } = independentPair(seed);
      const r = analyseLeadLag(source, target, { windowYears: 1, asOf: ASOF });
      if (r.significantPlain) plain++;
      if (r.significant) corrected++;
    }
    // Independent lags would give 1 − 0.95^41 ≈ 88 % and 5 %; the 41 estimates are nearly independent here.
    expect(plain / pairs).toBeGreaterThan(0.75);
    expect(corrected / pairs).toBeLessThan(0.1);
  });

  it("ties go to the smallest |k|, then to the source leading", () => {
    // Returns +, +, −, −, … and the target one day behind: |ρ| = 1 at k = 1, −1, 3, −3, …; ρ(1) = +1, ρ(−1) = −1.
    const days = DAYS.slice(-300);
    const pattern = days.map((_, t) => ((t >> 1) % 2 === 0 ? 0.01 : -0.01));
    const behind = days.map((_, t) => pattern[t - 1] ?? 0);
    const r = analyseLeadLag(closesFrom(days, pattern), closesFrom(days, behind), { windowYears: 1, asOf: days.at(-1) as string });
    expect(r.leadTimeDays).toBe(1);
    expect(r.correlation).toBeCloseTo(1, 9);
  });
});

describe("lead-lag refuses bad input, in words", () => {
  const { source, target } = plantedPair(3, 41);

  it("fewer than 60 common trading days", () => {
    const days = tradingDays("2025-01-02", ASOF);
    const a = closesFrom(days, noiseReturns(days.length, 0.02, normalDraws(1)));
    const b = closesFrom(days, noiseReturns(days.length, 0.02, normalDraws(2)));
    // Only the last 59 days in common.
    expectInputError(() => analyseLeadLag(a, b.slice(-59), { windowYears: 1, asOf: ASOF, sourceName: "HPG", targetName: "CTD" }), "too-few-days", /HPG and CTD have 59 common trading days between 2024-06-30 and 2025-06-30; the analysis needs at least 60/);
    expectInputError(() => analyseLeadLag(a.slice(0, 50), b.slice(60), { windowYears: 1, asOf: ASOF }), "too-few-days", /have 0 common trading days/);
  });

  it("a constant series", () => {
    const flat = DAYS.map((date) => ({ date, close: 23_500 }));
    expectInputError(() => analyseLeadLag(source, flat, { ...FIVE_YEARS, targetName: "VCG" }), "constant-series", /VCG does not move between .* \(its closes are constant\)/);
  });

  it("a series that moves only at the start of the window, so a lag's overlap is constant", () => {
    const days = DAYS.slice(-250);
    const returns = days.map((_, t) => (t > 0 && t <= 5 ? 0.01 * (t % 2 ? 1 : -1) : 0));
    expectInputError(() => analyseLeadLag(closesFrom(days, noiseReturns(days.length, 0.02, normalDraws(3))), closesFrom(days, returns), { windowYears: 1, asOf: ASOF }), "constant-series", /At a lag of \d+ days one of .* does not move/);
  });

  it("a largest lag too large for the data", () => {
    const { source: a, target: b } = independentPair(4);
    const oneYear = { windowYears: 1, asOf: ASOF } as const;
    const { n } = analyseLeadLag(a, b, oneYear);
    // 2K + 1 lags need 2(2K + 1) returns: K = 70 needs 282, more than a year has.
    const largest = Math.floor((n / 2 - 1) / 2);
    expectInputError(() => analyseLeadLag(a, b, { ...oneYear, maxLag: 70 }), "lag-too-large", new RegExp(`lags up to 70 days needs at least 282 daily returns \\(twice the 141 lags\\), but .* have ${n} in the window: choose a largest lag of at most ${largest} or a longer window`));
    expect(analyseLeadLag(a, b, { ...oneYear, maxLag: largest }).lags).toHaveLength(2 * largest + 1);
    expectInputError(() => analyseLeadLag(a, b, { ...oneYear, maxLag: largest + 1 }), "lag-too-large", new RegExp(`at most ${largest} `));
  });

  it("a window longer than the data", () => {
    const recent = (s: DailyClose[]) => s.filter((p) => p.date >= "2023-01-01");
    expectInputError(() => analyseLeadLag(recent(source), recent(target), FIVE_YEARS), "window-before-data", /The 5-year window as of 2025-06-30 starts on 2020-06-30, but the common data of .* starts on 2023-01-03: choose a shorter window/);
    // A start in the Tết closure is still covered: 2020-01-23 falls in it, trading resumes 2020-01-30.
    const r = analyseLeadLag(recent(source).length ? source.filter((p) => p.date >= "2020-01-30") : source, target, { windowYears: 5, asOf: "2025-01-23" });
    expect(r.firstDay).toBe("2020-01-30");
  });

  it("closes that are not positive finite numbers", () => {
    for (const close of [0, -5, NaN, Infinity]) {
      const bad = source.map((p, i) => (i === 100 ? { ...p, close } : p));
      expectInputError(() => analyseLeadLag(bad, target, { ...FIVE_YEARS, sourceName: "HSG" }), "bad-close", new RegExp(`HSG: the close on ${source[100]?.date} is ${close}; closes must be positive numbers`));
    }
  });

  it("dates out of order, repeated or not written YYYY-MM-DD", () => {
    const swapped = [...source];
    [swapped[10], swapped[11]] = [swapped[11] as DailyClose, swapped[10] as DailyClose];
    expectInputError(() => analyseLeadLag(swapped, target, FIVE_YEARS), "invalid-series", /the days must be in order with no repeats/);
    const repeated = [...source.slice(0, 11), source[10] as DailyClose, ...source.slice(11)];
    expectInputError(() => analyseLeadLag(repeated, target, FIVE_YEARS), "invalid-series", /in order with no repeats/);
    for (const date of ["30/06/2025", "2023-02-29", "2025-04-31", "2025-13-01", "2025-6-30", ""]) {
      expectInputError(() => analyseLeadLag(source, [{ date, close: 1 }], { ...FIVE_YEARS, targetName: "NKG" }), "invalid-series", /NKG: day 1 has no date written YYYY-MM-DD/);
    }
  });

  it("options out of range", () => {
    expectInputError(() => analyseLeadLag(source, target, { windowYears: 2 as 1, asOf: ASOF }), "invalid-option", /window must be 1, 3 or 5 years, not 2/);
    expectInputError(() => analyseLeadLag(source, target, { ...FIVE_YEARS, asOf: "2025-02-30" }), "invalid-option", /as-of date must be a calendar date/);
    for (const maxLag of [0, -1, 2.5, NaN]) {
      expectInputError(() => analyseLeadLag(source, target, { ...FIVE_YEARS, maxLag }), "invalid-option", /largest lag must be a whole number/);
    }
  });
});

describe("analyseLeadLagBatch", () => {
  it("gives each edge what analyseLeadLag gives it, and an edge's own error without stopping the others", () => {
    const a = plantedPair(3, 51);
    const b = plantedPair(-2, 52);
    const series = new Map<string, readonly DailyClose[]>([
      ["IRON", a.source],
      ["HPG", a.target],
      ["CTD", b.target],
      ["FLAT", DAYS.map((date) => ({ date, close: 1000 }))],
      ["BROKEN", a.source.map((p, i) => (i === 5 ? { ...p, close: -1 } : p))],
    ]);
    series.set("HSG", b.source);
    const edges = [
      { id: 1, source: "IRON", target: "HPG" },
      { id: 2, source: "HSG", target: "CTD" },
      { id: 3, source: "HPG", target: "NKG" },
      { id: 4, source: "IRON", target: "FLAT" },
      { id: 5, source: "BROKEN", target: "HPG" },
      { id: 6, source: "IRON", target: "CTD" },
    ];
    const outcomes = analyseLeadLagBatch(series, edges, FIVE_YEARS);
    expect(outcomes.map((o) => o.edge.id)).toEqual([1, 2, 3, 4, 5, 6]);
    const [first, second, third, fourth, fifth, sixth] = outcomes;
    expect(first?.ok && first.result).toEqual(analyseLeadLag(a.source, a.target, { ...FIVE_YEARS }));
    expect(first?.ok && first.result.leadTimeDays).toBe(3);
    expect(second?.ok && second.result.leadTimeDays).toBe(-2);
    expect(!third?.ok && third?.error.code).toBe("no-series");
    expect(!third?.ok && third?.error.message).toBe("NKG has no daily price series.");
    expect(!fourth?.ok && fourth?.error.code).toBe("constant-series");
    expect(!fifth?.ok && fifth?.error.message).toMatch(/BROKEN: the close on .* is -1/);
    expect(sixth?.ok).toBe(true);
    expect(() => analyseLeadLagBatch(series, edges, { ...FIVE_YEARS, maxLag: 0 })).toThrow(LeadLagInputError);
  });
});

describe("windowStart", () => {
  it("goes back whole years; 29 February goes to 28 February", () => {
    expect(windowStart("2025-06-30", 5)).toBe("2020-06-30");
    expect(windowStart("2024-02-29", 1)).toBe("2023-02-28");
    expect(windowStart("2024-02-29", 3)).toBe("2021-02-28");
  });
});
