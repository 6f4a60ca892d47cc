/**
 * Symbol input rules shared by the search box and the chart route: tickers such as HPG,
 * indices such as VNINDEX or VN30, derivatives such as VN30F2412 — 1 to 10 letters or digits.
 * (The list of symbols that actually exist arrives with market data.)
 */
export const SYMBOL_PATTERN = /^[A-Z0-9]{1,10}$/;

export const SYMBOL_RULE = "A symbol is 1–10 letters or digits, such as HPG, VCB or VNINDEX.";

/** Trims and upper-cases what a person typed; null when it cannot be a symbol. */
export function normalizeSymbol(input: string): string | null {
  const s = input.trim().toUpperCase();
  return SYMBOL_PATTERN.test(s) ? s : null;
}
