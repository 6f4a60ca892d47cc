/** One OHLCV bar as the domain handles it: time is a UTC instant, prices in VND (index points for indices). */
export interface CandleRow {
  time: Date;
  symbol: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export type SymbolKind = "stock" | "index" | "commodity";
export type ExchangeCode = "HOSE" | "HNX" | "UPCOM";

/** A row of market_symbols as the API shows it. */
export interface SymbolInfo {
  symbol: string;
  name: string;
  kind: SymbolKind;
  exchange: ExchangeCode | null;
  sector: string | null;
}
