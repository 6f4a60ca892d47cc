/**
 * The lead-lag links planted in the demo market (lib/demo/market.ts's factor model reads them from
 * here), and the pairs of symbols on which an analysis of the demo data must find them.
 *
 * A link "leader → follower sector, lag L, loading b" adds b × (the leader's daily log return of day
 * t − L) to the common return of the follower sector on day t (trading days). Commodities have no
 * same-day co-movement with stocks, so their lead is the lag of largest |ρ| by a wide margin. Steel →
 * construction is planted too, but on raw returns the same-day co-movement both get from the market
 * factor is larger (ρ(0) ≈ 0.4 against ρ(2) ≈ 0.2 for HPG → CTD): the lead shows once the market's
 * move is removed (lib/demo/market.test.ts), which is the lesson of that edge on the page.
 */
import { DEMO_STOCKS, type DemoSector } from "@/lib/market/demo-universe";

export interface FactorLead {
  /** A commodity symbol, or a sector whose common return leads. */
  leader: "IRON_ORE" | "COKING_COAL" | "CRUDE_OIL" | DemoSector;
  follower: DemoSector;
  lagDays: number;
  loading: number;
}

/** The links of the factor model, in the order they are applied (a follower may lead the next one). */
export const DEMO_FACTOR_LEADS: readonly FactorLead[] = [
  { leader: "IRON_ORE", follower: "Steel", lagDays: 3, loading: 0.55 },
  { leader: "COKING_COAL", follower: "Steel", lagDays: 4, loading: 0.45 },
  { leader: "CRUDE_OIL", follower: "Energy", lagDays: 2, loading: 0.45 },
  { leader: "Steel", follower: "Construction", lagDays: 2, loading: 0.5 },
];

export interface PlantedLead {
  source: string;
  target: string;
  /** Trading days by which source's daily log return leads target's (positive: source first). */
  lagDays: number;
}

const sectorSymbols = (sector: DemoSector) => DEMO_STOCKS.filter((s) => s.sector === sector).map((s) => s.symbol);

/**
 * Pairs on which the lead-lag analysis of the default demo data (3 years of daily closes, K = 20,
 * as of the last day) finds the planted lag as the lag of largest |ρ|, with |ρ| well outside the band
 * corrected for the 41 lags (lib/demo/market.test.ts checks it; lib/analytics' planted-lag test may
 * rely on it): every commodity → stock pair of a follower sector.
 */
export const DEMO_PLANTED_LEADS: readonly PlantedLead[] = [
  ...sectorSymbols("Steel").map((target) => ({ source: "IRON_ORE", target, lagDays: 3 })),
  ...sectorSymbols("Steel").map((target) => ({ source: "COKING_COAL", target, lagDays: 4 })),
  ...sectorSymbols("Energy").map((target) => ({ source: "CRUDE_OIL", target, lagDays: 2 })),
];
