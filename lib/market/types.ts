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
