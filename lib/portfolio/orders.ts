/**
 * Orders in whole lots at today's prices: each symbol's latest close (lib/market/universe-closes.ts), on
 * its exchange's tick grid, sized by lib/analytics/portfolio/lots.ts. "Today" is the market's latest
 * session: the newest trading date among the symbols' last closes and VNINDEX's; a symbol whose last close
 * is older has no price today and is refused by name (its order could not be priced).
 */
import Decimal from "decimal.js";
import { z } from "zod";
import { LotSizingError } from "@/lib/analytics/portfolio/errors";
import { sizeOrders, type LotPlan } from "@/lib/analytics/portfolio/lots";
import type { Queryable } from "@/lib/market/queryable";
import { roundToTick, type Exchange } from "@/lib/market/rules";
import { readLatestCloses } from "@/lib/market/universe-closes";
import { stockSymbols } from "./generate";

const symbol = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9._-]{0,19}$/, "a symbol is 1–20 letters, digits, '.', '_' or '-'");

/** The body of POST /api/portfolio/orders. Capital in whole VND, as a string (preferred) or a number. */
export const ordersRequestSchema = z.object({
  weights: z
    .record(symbol, z.number({ error: "each weight must be a number from 0 to 1" }).min(0, "a weight cannot be negative").max(1, "a weight is at most 1"), { error: "weights must be an object { \"HPG\": 0.12, … }" })
    .refine((w) => Object.keys(w).length > 0, "weights must name at least one symbol")
    .refine((w) => Object.keys(w).length <= 200, "at most 200 symbols"),
  capitalVnd: z.union([z.string().trim().regex(/^-?\d+(\.\d+)?$/, "capitalVnd must be a number of VND, e.g. \"1000000000\""), z.number().finite()], {
    error: "capitalVnd must be a number of VND, e.g. \"1000000000\"",
  }),
});

export type OrdersRequest = z.output<typeof ordersRequestSchema>;

export interface PricedPlan extends LotPlan {
  /** The Vietnamese trading date the prices are from. */
  priceDate: string;
  feeRate: string;
  exchanges: Record<string, Exchange | null>;
}

/** Weights that add up to 1 within 0.1 % (e.g. percentages rounded to 4 places) are scaled to exactly 1. */
function normalised(weights: Record<string, number>): Record<string, number> {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-3) throw new LotSizingError("invalid_weights", `the weights add up to ${total.toFixed(4)}, not 1`);
  return Object.fromEntries(Object.entries(weights).map(([s, w]) => [s, w / total]));
}

export async function sizeOrdersAtLatestPrices(db: Queryable, request: OrdersRequest, options: { feeRate: Decimal.Value; now?: Date }): Promise<PricedPlan> {
  const capital = new Decimal(request.capitalVnd);
  if (capital.lte(0)) throw new LotSizingError("invalid_capital", `the capital must be more than 0 VND, got ${capital.toString()}`);
  const weights = normalised(request.weights);
  const held = Object.keys(weights).filter((s) => (weights[s] as number) > 0);
  const info = await stockSymbols(db, Object.keys(weights));
  const latest = await readLatestCloses(db, [...held, "VNINDEX"], options.now);
  const today = [...latest.values()].reduce((max, l) => (l.day > max ? l.day : max), "");
  const stale = held.filter((s) => latest.get(s)?.day !== today);
  if (stale.length > 0) {
    const why = stale.map((s) => (latest.has(s) ? `${s} (last close ${latest.get(s)?.day})` : `${s} (no bars)`)).join(", ");
    throw new LotSizingError("missing_price", `no price today (${today || "no session found"}) for ${why}: remove it or set its weight to 0`);
  }
  const exchanges: Record<string, Exchange | null> = {};
  const prices: Record<string, string> = {};
  for (const s of held) {
    const exchange = info.get(s)?.exchange ?? null;
    exchanges[s] = exchange;
    const close = (latest.get(s) as { close: number }).close;
    // Closes from the exchange are on the grid already; imported, back-adjusted history may not be.
    prices[s] = String(exchange ? roundToTick(exchange, close) : Math.round(close));
  }
  const plan = await sizeOrders({ capitalVnd: capital, weights, prices, exchanges: Object.fromEntries(Object.entries(exchanges).filter(([, e]) => e !== null)) as Record<string, Exchange>, feeRate: options.feeRate });
  return { ...plan, priceDate: today, feeRate: new Decimal(options.feeRate).toString(), exchanges };
}
