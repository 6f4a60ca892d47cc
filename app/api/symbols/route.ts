/** GET /api/symbols?q=HP&limit=20: symbols by prefix, then by name (lib/market/symbols.ts). */
import { z } from "zod";
import { json, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { searchSymbols } from "@/lib/market/symbols";
import { plainText } from "@/lib/text";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const querySchema = z.object({
  q: plainText("q").trim().max(50, "q must be at most 50 characters").default(""),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be from 1 to 100")
    .max(100, "limit must be from 1 to 100")
    .default(20),
});

export const GET = withSessionUser(async (request) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = querySchema.safeParse(params);
  if (!parsed.success) return json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, 400);
  return json({ symbols: await searchSymbols(getPool(), parsed.data.q, parsed.data.limit) });
});
