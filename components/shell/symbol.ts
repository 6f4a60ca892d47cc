/**
 * Symbol input rules shared by the search box and the chart route: tickers such as HPG, indices
 * such as VNINDEX or VN30, derivatives such as VN30F2412, and the commodity series of the symbol list
 * such as IRON_ORE — letters and digits, an underscore allowed after the first, at most 16 characters.
 * (Whether the symbol exists is the candle API's answer, shown on the chart page.)
 */
export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9_]{0,15}$/;

export const SYMBOL_RULE = "A symbol is letters and digits (up to 16), such as HPG, VCB, VNINDEX or IRON_ORE.";

/** Trims and upper-cases what a person typed; null when it cannot be a symbol. */
export function normalizeSymbol(input: string): string | null {
  const s = input.trim().toUpperCase();
  return SYMBOL_PATTERN.test(s) ? s : null;
}
