/**
 * The planted leads of the demo data, found by the app's own lead-lag analysis (lib/analytics/leadlag.ts)
 * as the page and the nightly job run it: 3 years of daily closes as of the last day, K = 20, the
 * Bonferroni band. Then stored through lib/valuechain's adapter, the shape the store accepts.
 */
import { describe, expect, it } from "vitest";
import { analyseLeadLagBatch, type DailyClose } from "@/lib/analytics/leadlag";
import { vnDateOf } from "@/lib/market/calendar";
import { analysisFromLeadLag } from "@/lib/valuechain/analyses";
import { analysisResultSchema } from "@/lib/valuechain/schemas";
import { DEMO_PLANTED_LEADS } from "./leads";
import { demoDailySeries, planDemoData } from "./market";

const NOW = new Date("2026-11-20T09:00:00Z");

describe("the demo data's planted leads", () => {
  const symbols = [...new Set(DEMO_PLANTED_LEADS.flatMap((p) => [p.source, p.target]))];
  const plan = planDemoData({ now: NOW, symbols });
  const series = new Map<string, DailyClose[]>(
    symbols.map((s) => [s, demoDailySeries(plan, s).map((b) => ({ date: vnDateOf(b.time), close: b.close }))]),
  );

  it("are found by the lead-lag analysis at their lag, significant beyond the corrected band", () => {
    const outcomes = analyseLeadLagBatch(series, DEMO_PLANTED_LEADS, { windowYears: 3, asOf: plan.days.at(-1)!, maxLag: 20 });
    const found = outcomes.map((o) => (o.ok ? `${o.edge.source}→${o.edge.target} ${o.result.leadTimeDays} ${o.result.significant}` : o.error.message));
    expect(found).toEqual(DEMO_PLANTED_LEADS.map((p) => `${p.source}→${p.target} ${p.lagDays} true`));
    for (const o of outcomes) {
      if (!o.ok) continue;
      expect(Math.abs(o.result.correlation), `${o.edge.source}→${o.edge.target}`).toBeGreaterThan(2 * o.result.band.corrected);
      // What the store keeps of it passes the store's validation.
      expect(analysisResultSchema.safeParse(analysisFromLeadLag(o.result)).success).toBe(true);
    }
  });
});
