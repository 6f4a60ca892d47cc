/**
 * Exchange rules of the Vietnamese market that every price and order must obey: tick sizes, daily
 * price limits around the reference price, and the board lot.
 *
 * Prices are in VND. Rounding goes through decimal.js except where the input is already a whole
 * number of VND (then integer arithmetic is exact and much faster, which the demo generator needs).
 */
import Decimal from "decimal.js";
import { EXCHANGES } from "@/db/schema";

export { EXCHANGES };
export type Exchange = (typeof EXCHANGES)[number];

/** Shares per board lot on all three exchanges; odd lots (1–99) trade on a separate board. */
export const BOARD_LOT = 100;

/** Daily limit as a fraction of the reference price (reference.ts: the previous close; UPCOM's previous VWAP). */
export const PRICE_LIMIT: Record<Exchange, number> = { HOSE: 0.07, HNX: 0.1, UPCOM: 0.15 };
const PRICE_LIMIT_DECIMAL: Record<Exchange, Decimal> = {
  HOSE: new Decimal("0.07"),
  HNX: new Decimal("0.1"),
  UPCOM: new Decimal("0.15"),
};

function assertPrice(price: number): void {
  if (!Number.isFinite(price) || price <= 0) throw new RangeError(`Price must be a positive number of VND, got ${price}`);
}

function assertExchange(exchange: string): asserts exchange is Exchange {
  if (!(EXCHANGES as readonly string[]).includes(exchange)) {
    throw new RangeError(`Unknown exchange ${JSON.stringify(exchange)}; expected one of ${EXCHANGES.join(", ")}`);
  }
}

/** The tick (minimum price step) at a price level: HOSE 10 / 50 / 100 VND by band; HNX and UPCOM 100. */
export function tickSize(exchange: Exchange, price: number): number {
  assertExchange(exchange);
  assertPrice(price);
  return tickOf(exchange, price < 10_000, price < 50_000);
}

function tickOf(exchange: Exchange, below10k: boolean, below50k: boolean): number {
  if (exchange !== "HOSE") return 100;
  return below10k ? 10 : below50k ? 50 : 100;
}

/** Whether `price` is a valid quote: a multiple of the tick of its own price band. */
export function isOnTick(exchange: Exchange, price: number): boolean {
  return Number.isInteger(price) && price > 0 && price % tickSize(exchange, price) === 0;
}

export type Rounding = "nearest" | "down" | "up";

const DECIMAL_MODE: Record<Rounding, Decimal.Rounding> = {
  nearest: Decimal.ROUND_HALF_UP,
  down: Decimal.ROUND_FLOOR,
  up: Decimal.ROUND_CEIL,
};

/**
 * Rounds `price` to the tick grid: to the nearest tick (halves up), or down / up. The tick is the
 * one of the price's band; every band edge (10,000 and 50,000) is a multiple of the wider tick, so
 * the result is always a valid quote (9,996 → 10,000; 49,980 → 50,000).
 */
export function roundToTick(exchange: Exchange, price: number, mode: Rounding = "nearest"): number {
  const tick = tickSize(exchange, price);
  if (Number.isInteger(price)) {
    // A whole number of VND: the float quotient is correctly rounded and a half-way quotient
    // (k + 0.5) is exactly representable, so Math.* decides exactly as decimal would.
    const q = price / tick;
    const k = mode === "down" ? Math.floor(q) : mode === "up" ? Math.ceil(q) : Math.floor(q + 0.5);
    return k * tick;
  }
  return roundDecimalToTick(exchange, new Decimal(price), mode);
}

function roundDecimalToTick(exchange: Exchange, price: Decimal, mode: Rounding): number {
  const tick = tickOf(exchange, price.lt(10_000), price.lt(50_000));
  return price.div(tick).toDecimalPlaces(0, DECIMAL_MODE[mode]).times(tick).toNumber();
}

export interface PriceLimits {
  reference: number;
  ceiling: number;
  floor: number;
}

/**
 * The day's ceiling and floor: reference × (1 ± limit), the ceiling rounded down and the floor
 * rounded up to the tick, so neither ever exceeds the percentage. When that rounding collapses a
 * limit onto the reference (a very cheap stock), the exchanges widen it to one tick instead.
 */
export function priceLimits(exchange: Exchange, reference: number): PriceLimits {
  assertExchange(exchange);
  if (!isOnTick(exchange, reference)) {
    throw new RangeError(`Reference price ${reference} is not on the ${exchange} tick grid`);
  }
  const ref = new Decimal(reference);
  const pct = PRICE_LIMIT_DECIMAL[exchange];
  let ceiling = roundDecimalToTick(exchange, ref.times(pct.plus(1)), "down");
  let floor = roundDecimalToTick(exchange, ref.times(new Decimal(1).minus(pct)), "up");
  if (ceiling <= reference) ceiling = reference + tickSize(exchange, reference);
  if (floor >= reference) floor = Math.max(reference - tickSize(exchange, reference), tickSize(exchange, reference));
  return { reference, ceiling, floor };
}

/** Whether `shares` is a positive whole number of board lots. */
export function isWholeLots(shares: number): boolean {
  return Number.isInteger(shares) && shares > 0 && shares % BOARD_LOT === 0;
}

/** The largest whole-lot quantity not above `shares` (0 when less than one lot). */
export function roundDownToLots(shares: number): number {
  if (!Number.isFinite(shares) || shares < 0) throw new RangeError(`Shares must be a non-negative number, got ${shares}`);
  return Math.floor(shares / BOARD_LOT) * BOARD_LOT;
}
