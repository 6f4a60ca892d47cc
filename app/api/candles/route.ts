/**
 * GET /api/candles?symbol=HPG&resolution=1m|5m|15m|1h|1D&from&to&limit: one symbol's candles
 * (lib/market/candles.ts), times in Vietnam (ISO 8601, +07:00). from/to: ISO 8601 (no zone = Vietnam
 * time) or epoch milliseconds; from inclusive, to exclusive; without from, the `limit` bars before to.
 */
import { z } from "zod";
import { shapeCandleSeries } from "@/app/_lib/candles";
import { json, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { CANDLE_RESOLUTIONS, CandleRangeError, MAX_CANDLE_LIMIT, queryCandles } from "@/lib/market/candles";
import { UnknownSymbolError } from "@/lib/market/symbols";
import { plainText } from "@/lib/text";
import { parseInstant } from "@/lib/time";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const instant = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      const parsed = parseInstant(v);
      if (!parsed) {
        ctx.addIssue({ code: "custom", message: `${name} ${JSON.stringify(v)} is not a date: give ISO 8601 (2026-11-26T09:15:00+07:00) or epoch milliseconds` });
        return z.NEVER;
      }
      return parsed;
    });

const querySchema = z.object({
  symbol: plainText("symbol", { error: "symbol is required" })
    .trim()
    .min(1, "symbol is required")
    .max(20, "symbol has at most 20 characters")
    .transform((s) => s.toUpperCase()),
  resolution: z.enum(CANDLE_RESOLUTIONS, {
    error: (i) => `Unsupported resolution ${JSON.stringify(i.input ?? "")}: use one of ${CANDLE_RESOLUTIONS.join(", ")}`,
  }),
  from: instant("from"),
  to: instant("to"),
  limit: z.coerce
    .number({ error: `limit must be a number from 1 to ${MAX_CANDLE_LIMIT}` })
    .int(`limit must be a whole number from 1 to ${MAX_CANDLE_LIMIT}`)
    .min(1, `limit must be from 1 to ${MAX_CANDLE_LIMIT}`)
    .max(MAX_CANDLE_LIMIT, `limit must be from 1 to ${MAX_CANDLE_LIMIT}`)
    .default(1000),
});

export const GET = withSessionUser(async (request) => {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, 400);
  try {
    const series = await queryCandles(getPool(), parsed.data);
    return json(shapeCandleSeries(series));
  } catch (error) {
    if (error instanceof UnknownSymbolError || error instanceof CandleRangeError) return json({ error: error.message }, 400);
    throw error;
  }
});
