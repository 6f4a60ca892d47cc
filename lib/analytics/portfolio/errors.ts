/**
 * Typed errors for the optimiser and the lot sizing: a route or a workflow node maps `code` to its
 * answer (a 400 with the message), and the message names the cause in words an analyst can act on.
 */

export type PortfolioErrorCode =
  | "invalid_settings"
  | "unknown_symbol"
  | "invalid_prices"
  | "too_few_symbols"
  | "singular_covariance"
  | "infeasible_bounds"
  | "target_return_unreachable"
  | "target_volatility_unreachable"
  | "no_return_above_risk_free"
  | "solver_failed";

export class PortfolioInputError extends Error {
  readonly code: PortfolioErrorCode;
  constructor(code: PortfolioErrorCode, message: string) {
    super(message);
    this.name = "PortfolioInputError";
    this.code = code;
  }
}

export type LotSizingErrorCode = "invalid_capital" | "invalid_weights" | "missing_price" | "invalid_price" | "capital_below_one_lot" | "solver_failed";

export class LotSizingError extends Error {
  readonly code: LotSizingErrorCode;
  constructor(code: LotSizingErrorCode, message: string) {
    super(message);
    this.name = "LotSizingError";
    this.code = code;
  }
}
