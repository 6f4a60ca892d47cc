/**
 * POST /api/portfolio/orders { weights: { HPG: 0.12, … }, capitalVnd: "1000000000" } → whole-lot orders at
 * today's prices (lib/portfolio/orders.ts), every amount a decimal string of whole VND.
 */
import { parseJsonBody, portfolioErrorResponse } from "@/app/_lib/portfolio-json";
import { json, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { ordersRequestSchema, sizeOrdersAtLatestPrices } from "@/lib/portfolio/orders";
import { portfolioSettings } from "@/lib/portfolio/settings";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = withSessionUser(async (request) => {
  const body = await parseJsonBody(request, ordersRequestSchema, "{ weights, capitalVnd }");
  if ("response" in body) return body.response;
  try {
    const settings = portfolioSettings();
    const plan = await sizeOrdersAtLatestPrices(getPool(), body.data, { feeRate: settings.buyFeeRate });
    // Orders are purchases: the sale tax is named so a script sees the rate, and is 0 on every line.
    return json({ ...plan, sellTaxRate: String(settings.sellTaxRate), tax: "0" });
  } catch (error) {
    return portfolioErrorResponse(error);
  }
});
