/**
 * POST /api/portfolio/backtest { …the optimize request, years?, capitalVnd? } → the method's monthly,
 * walk-forward backtest against equal weight and VNINDEX, with the fee and tax settings
 * (lib/analytics/portfolio/backtest.ts).
 */
import { parseJsonBody, portfolioErrorResponse } from "@/app/_lib/portfolio-json";
import { json, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { backtestRequestSchema, runBacktest } from "@/lib/portfolio/generate";
import { portfolioSettings } from "@/lib/portfolio/settings";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = withSessionUser(async (request) => {
  const body = await parseJsonBody(request, backtestRequestSchema, "{ symbols, method, lookbackDays, years, … }");
  if ("response" in body) return body.response;
  try {
    const s = portfolioSettings();
    return json(await runBacktest(getPool(), body.data, { defaultRiskFreeRate: s.riskFreeRate, feeRate: s.buyFeeRate, taxRate: s.sellTaxRate }));
  } catch (error) {
    return portfolioErrorResponse(error);
  }
});
