/**
 * GET /api/portfolio/allocations → the caller's saved allocations, newest first.
 * POST /api/portfolio/allocations { …the optimize request, name? } generates the allocation afresh from
 * the market data (so what is saved is what the method gives, never numbers sent by the client) and
 * saves it for the caller: 201 with the saved allocation; a refused request saves nothing.
 */
import { z } from "zod";
import { parseJsonBody, portfolioErrorResponse, savedAllocationJson, savedSummaryJson } from "@/app/_lib/portfolio-json";
import { json, withSessionUser } from "@/app/_lib/route";
import { getDb, getPool } from "@/db/client";
import { plainText } from "@/lib/text";
import { allocationRequestSchema, generateAllocation } from "@/lib/portfolio/generate";
import { listSavedAllocations, saveAllocation } from "@/lib/portfolio/saved";
import { portfolioSettings } from "@/lib/portfolio/settings";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const bodySchema = allocationRequestSchema.and(z.object({ name: plainText("name").trim().max(200, "name must be at most 200 characters").optional() }));

export const GET = withSessionUser(async (_request, user) => json({ allocations: (await listSavedAllocations(getDb(), user.id)).map(savedSummaryJson) }));

export const POST = withSessionUser(async (request, user) => {
  const body = await parseJsonBody(request, bodySchema, "{ symbols, method, lookbackDays, …, name }");
  if ("response" in body) return body.response;
  try {
    const generated = await generateAllocation(getPool(), body.data, { defaultRiskFreeRate: portfolioSettings().riskFreeRate });
    return json(savedAllocationJson(await saveAllocation(getDb(), user.id, generated, { name: body.data.name })), 201);
  } catch (error) {
    return portfolioErrorResponse(error);
  }
});
