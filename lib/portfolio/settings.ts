/** The portfolio settings read from the environment (lib/env.ts): the default risk-free rate, the buying fee and the sale tax. */
import { env } from "@/lib/env";

export interface PortfolioSettings {
  riskFreeRate: number;
  buyFeeRate: number;
  sellTaxRate: number;
}

export function portfolioSettings(): PortfolioSettings {
  const e = env();
  return { riskFreeRate: e.QUANTFLOW_RISK_FREE_RATE, buyFeeRate: e.QUANTFLOW_BUY_FEE_RATE, sellTaxRate: e.QUANTFLOW_SELL_TAX_RATE };
}
