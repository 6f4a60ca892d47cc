/**
 * POST /api/portfolio/optimize { symbols, method, lookbackDays?, riskFreeRate?, minWeight?, maxWeight?,
 * targetReturn?, targetVolatility?, details? } → the weights and metrics (lib/portfolio/generate.ts);
 * with details: true, also the universe's correlation matrix, every symbol alone and the efficient frontier.
 */
import { z } from "zod";
import { allocationJson, parseJsonBody, portfolioErrorResponse } from "@/app/_lib/portfolio-json";
import { json, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { allocationRequestSchema, generateAllocation } from "@/lib/portfolio/generate";
import { portfolioSettings } from "@/lib/portfolio/settings";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const bodySchema = allocationRequestSchema.and(z.object({ details: z.boolean({ error: "details must be true or false" }).default(false) }));

export const POST = withSessionUser(async (request) => {
  const body = await parseJsonBody(request, bodySchema, "{ symbols, method, lookbackDays, … }");
  if ("response" in body) return body.response;
  try {
    const generated = await generateAllocation(getPool(), body.data, { defaultRiskFreeRate: portfolioSettings().riskFreeRate, details: body.data.details });
    return json(allocationJson(generated));
  } catch (error) {
    return portfolioErrorResponse(error);
  }
});
