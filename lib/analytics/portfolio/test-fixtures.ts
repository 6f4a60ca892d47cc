/**
 * Loaders for the tests and the bench: PyPortfolioOpt's price file (lib/analytics/fixtures) and a
 * seeded synthetic market.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PriceHistory } from "./optimise";

export const PYPFOPT_PRICES_PATH = fileURLToPath(new URL("../fixtures/pypfopt_stock_prices.csv", import.meta.url));

export function loadPyPortfolioOptPrices(): PriceHistory {
  const [header, ...lines] = readFileSync(PYPFOPT_PRICES_PATH, "utf8").trim().split(/\r?\n/);
  const symbols = (header as string).split(",").slice(1);
  const dates: string[] = [];
  const closes: (number | null)[][] = symbols.map(() => []);
  for (const line of lines) {
    const cells = line.split(",");
    dates.push(cells[0] as string);
    symbols.forEach((_, i) => {
      const cell = cells[i + 1] ?? "";
      (closes[i] as (number | null)[]).push(cell === "" ? null : Number(cell));
    });
  }
  return { symbols, dates, closes };
}

/** mulberry32: a small seeded generator, so the bench and the tests see the same market every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `symbols` closes over `days` trading days from a one-factor model (market + sector + own noise), so
 * the covariance has the structure of a real market; prices start near 10,000–100,000 VND.
 */
export function syntheticHistory(symbols: number, days: number, seed = 1): PriceHistory {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const sectors = 10;
  const names = Array.from({ length: symbols }, (_, i) => `S${String(i).padStart(3, "0")}`);
  const beta = names.map(() => 0.5 + random());
  const drift = names.map(() => (random() - 0.3) * 0.002);
  const own = names.map(() => 0.01 + random() * 0.02);
  const closes = names.map(() => [10_000 + Math.floor(random() * 90_000)]);
  for (let t = 1; t < days; t++) {
    const market = normal() * 0.01;
    const sector = Array.from({ length: sectors }, () => normal() * 0.007);
    closes.forEach((row, i) => {
      const r = (drift[i] as number) + (beta[i] as number) * market + (sector[i % sectors] as number) + (own[i] as number) * normal();
      row.push((row[t - 1] as number) * (1 + r));
    });
  }
  const dates = Array.from({ length: days }, (_, t) => new Date(Date.UTC(2022, 0, 3) + t * 86_400_000).toISOString().slice(0, 10));
  return { symbols: names, dates, closes };
}
