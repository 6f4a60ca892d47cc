/**
 * The demo universe: the tickers, indices and the commodity series that `npm run db:seed` generates
 * (lib/demo/market.ts). Names, exchanges and sectors are the real ones (listing as of 2025); prices are
 * realistic recent levels in VND and volumes typical shares per day, not quotes of any date.
 *
 * `beta` is the loading on the market factor and `idioVol` the daily volatility of the stock's own
 * news; the sector factors and the lead-lag links between sectors are in the generator's factor
 * model (lib/demo/leads.ts lists the planted links).
 */
import type { Exchange } from "./rules";

export const DEMO_SECTORS = ["Steel", "Construction", "Banks", "Real estate", "Retail", "Energy"] as const;
export type DemoSector = (typeof DEMO_SECTORS)[number];

interface DemoBase {
  symbol: string;
  name: string;
  /** A realistic recent price (VND for stocks, points for indices, the commodity's unit): the generated series ends near it. */
  price: number;
  /** Typical shares (index: shares of the whole market; commodity: contracts) per day. */
  dailyVolume: number;
}

export interface DemoStock extends DemoBase {
  kind: "stock";
  exchange: Exchange;
  sector: DemoSector;
  beta: number;
  idioVol: number;
}

export interface DemoIndex extends DemoBase {
  kind: "index";
  /** Indices are quoted in points and charted with their exchange's sessions (HNX-Index: HNX's). */
  exchange: "HOSE" | "HNX";
  sector: null;
  beta: number;
}

/**
 * A commodity series. Commodities are generated as daily bars only (no 1-minute bars: they trade on
 * foreign exchanges on their hours), sampled on Vietnamese trading days so that their leads over the
 * stocks are whole numbers of the same trading days.
 */
export interface DemoCommodity extends DemoBase {
  kind: "commodity";
  exchange: null;
  sector: string;
  unit: string;
}

export type DemoSymbol = DemoStock | DemoIndex | DemoCommodity;

const stock = (
  symbol: string,
  name: string,
  exchange: Exchange,
  sector: DemoSector,
  price: number,
  dailyVolume: number,
  beta: number,
  idioVol: number,
): DemoStock => ({ kind: "stock", symbol, name, exchange, sector, price, dailyVolume, beta, idioVol });

export const DEMO_STOCKS: readonly DemoStock[] = [
  // Steel: iron ore is their main input cost and the demand signal they follow.
  stock("HPG", "Hoa Phat Group", "HOSE", "Steel", 26_500, 25_000_000, 1.1, 0.009),
  stock("HSG", "Hoa Sen Group", "HOSE", "Steel", 17_800, 12_000_000, 1.2, 0.013),
  stock("NKG", "Nam Kim Steel", "HOSE", "Steel", 14_500, 9_000_000, 1.2, 0.014),
  stock("TLH", "Tien Len Steel", "HOSE", "Steel", 5_200, 1_500_000, 1.0, 0.016),
  stock("SMC", "SMC Trading Investment", "HOSE", "Steel", 9_600, 300_000, 0.9, 0.016),
  stock("POM", "Pomina Steel", "UPCOM", "Steel", 3_000, 800_000, 0.8, 0.022),
  stock("TVN", "Vietnam Steel Corporation (VNSteel)", "UPCOM", "Steel", 7_200, 600_000, 0.8, 0.018),
  // Construction: buys steel; follows the steel makers with a delay.
  stock("CTD", "Coteccons Construction", "HOSE", "Construction", 78_500, 1_200_000, 1.0, 0.013),
  stock("VCG", "Vinaconex", "HOSE", "Construction", 21_400, 8_000_000, 1.2, 0.014),
  stock("CII", "Ho Chi Minh City Infrastructure Investment", "HOSE", "Construction", 13_800, 9_000_000, 1.2, 0.015),
  stock("HUT", "Tasco", "HNX", "Construction", 16_500, 4_000_000, 1.1, 0.017),
  stock("HBC", "Hoa Binh Construction Group", "UPCOM", "Construction", 6_300, 2_500_000, 1.0, 0.022),
  stock("C4G", "Cienco4 Group", "UPCOM", "Construction", 8_900, 3_000_000, 1.1, 0.020),
  // Banks: the heaviest weights of the VN-Index, so they move with it.
  stock("VCB", "Vietcombank", "HOSE", "Banks", 61_500, 2_500_000, 0.9, 0.006),
  stock("TCB", "Techcombank", "HOSE", "Banks", 24_300, 10_000_000, 1.2, 0.008),
  stock("MBB", "Military Commercial Joint Stock Bank", "HOSE", "Banks", 23_800, 15_000_000, 1.2, 0.008),
  stock("ACB", "Asia Commercial Bank", "HOSE", "Banks", 25_100, 7_000_000, 1.0, 0.007),
  stock("SHB", "Saigon-Hanoi Commercial Bank", "HOSE", "Banks", 11_800, 35_000_000, 1.3, 0.010),
  stock("BAB", "Bac A Commercial Bank", "HNX", "Banks", 11_200, 300_000, 0.6, 0.012),
  // Real estate.
  stock("VIC", "Vingroup", "HOSE", "Real estate", 88_000, 4_000_000, 1.0, 0.016),
  stock("VHM", "Vinhomes", "HOSE", "Real estate", 42_500, 6_000_000, 1.1, 0.015),
  stock("NVL", "Novaland", "HOSE", "Real estate", 11_300, 14_000_000, 1.3, 0.022),
  stock("KDH", "Khang Dien House", "HOSE", "Real estate", 33_600, 3_000_000, 1.0, 0.012),
  stock("CEO", "C.E.O Group", "HNX", "Real estate", 15_600, 7_000_000, 1.4, 0.022),
  // Retail.
  stock("MWG", "Mobile World Investment", "HOSE", "Retail", 61_200, 5_000_000, 1.1, 0.013),
  stock("FRT", "FPT Digital Retail", "HOSE", "Retail", 168_000, 500_000, 1.0, 0.015),
  stock("PNJ", "Phu Nhuan Jewelry", "HOSE", "Retail", 84_500, 900_000, 0.8, 0.011),
  stock("DGW", "Digiworld", "HOSE", "Retail", 39_800, 1_500_000, 1.2, 0.016),
  // Energy.
  stock("GAS", "PetroVietnam Gas", "HOSE", "Energy", 68_400, 1_200_000, 0.8, 0.010),
  stock("PLX", "Petrolimex", "HOSE", "Energy", 37_900, 1_500_000, 0.8, 0.010),
  stock("POW", "PetroVietnam Power", "HOSE", "Energy", 12_600, 10_000_000, 0.9, 0.012),
  stock("BSR", "Binh Son Refining and Petrochemical", "HOSE", "Energy", 21_000, 5_000_000, 1.0, 0.014),
  stock("PVS", "PetroVietnam Technical Services", "HNX", "Energy", 33_200, 6_000_000, 1.1, 0.014),
  stock("OIL", "PetroVietnam Oil", "UPCOM", "Energy", 10_500, 1_500_000, 0.9, 0.016),
  stock("PVD", "PetroVietnam Drilling and Well Services", "HOSE", "Energy", 23_500, 6_000_000, 1.2, 0.015),
  // Masan: consumer goods sold through the retailers (and its own WinMart chain).
  stock("MSN", "Masan Group", "HOSE", "Retail", 78_000, 3_000_000, 1.0, 0.012),
];

export const DEMO_INDICES: readonly DemoIndex[] = [
  { kind: "index", symbol: "VNINDEX", name: "VN-Index", exchange: "HOSE", sector: null, price: 1_620, dailyVolume: 700_000_000, beta: 1 },
  { kind: "index", symbol: "VN30", name: "VN30 Index", exchange: "HOSE", sector: null, price: 1_790, dailyVolume: 250_000_000, beta: 1.05 },
  { kind: "index", symbol: "HNXINDEX", name: "HNX-Index", exchange: "HNX", sector: null, price: 255, dailyVolume: 90_000_000, beta: 0.9 },
];

export const DEMO_COMMODITIES: readonly DemoCommodity[] = [
  {
    kind: "commodity",
    symbol: "IRON_ORE",
    name: "Iron ore 62% Fe, CFR China",
    exchange: null,
    sector: "Commodities",
    unit: "USD/t",
    price: 105,
    dailyVolume: 60_000,
  },
  {
    kind: "commodity",
    symbol: "COKING_COAL",
    name: "Coking coal, premium hard, FOB Australia",
    exchange: null,
    sector: "Commodities",
    unit: "USD/t",
    price: 190,
    dailyVolume: 8_000,
  },
  {
    kind: "commodity",
    symbol: "CRUDE_OIL",
    name: "Crude oil, Brent",
    exchange: null,
    sector: "Commodities",
    unit: "USD/bbl",
    price: 72,
    dailyVolume: 250_000,
  },
];

export const DEMO_UNIVERSE: readonly DemoSymbol[] = [...DEMO_INDICES, ...DEMO_COMMODITIES, ...DEMO_STOCKS];

export function demoSymbol(symbol: string): DemoSymbol {
  const found = DEMO_UNIVERSE.find((s) => s.symbol === symbol);
  if (!found) throw new RangeError(`${JSON.stringify(symbol)} is not in the demo universe`);
  return found;
}
