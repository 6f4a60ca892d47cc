/**
 * POST /api/market/backfill (admins only) { symbol, resolution: "1"|"5"|"15"|"30"|"60"|"D", from, to } starts loading
 * history from DNSE (lib/market/backfill.ts) and answers { jobId }; GET /api/market/backfill/<jobId>
 * reports its progress. The job is queued (lib/jobs: QUANTFLOW_MAX_CONCURRENT_BACKFILLS, one running per
 * user); a user with a full queue gets 429. DNSE's chart endpoint is public, so no broker connection is needed.
 */
import { z } from "zod";
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { env } from "@/lib/env";
import { maxQueuedPerUser, wakeAppJobs } from "@/lib/jobs/app";
import { QueueFullError } from "@/lib/jobs/queue";
import { BackfillError, startBackfill } from "@/lib/market/backfill";
import { DNSE_RESOLUTIONS } from "@/lib/market/dnse-chart";
import { UnknownSymbolError } from "@/lib/market/symbols";
import { plainText } from "@/lib/text";
import { parseInstant } from "@/lib/time";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const instant = (name: string) =>
  z.union([z.string(), z.number()], { error: `${name} is required (ISO 8601, a date, or epoch milliseconds)` }).transform((v, ctx) => {
    const parsed = typeof v === "number" ? new Date(v) : parseInstant(v);
    if (!parsed || Number.isNaN(parsed.getTime())) {
      ctx.addIssue({ code: "custom", message: `${name} ${JSON.stringify(v)} is not a date: give ISO 8601, 2026-10-01, or epoch milliseconds` });
      return z.NEVER;
    }
    return parsed;
  });

const bodySchema = z.object({
  symbol: plainText("symbol", { error: "symbol is required" }).trim().min(1, "symbol is required").max(20).transform((s) => s.toUpperCase()),
  resolution: z.enum(DNSE_RESOLUTIONS, { error: `resolution must be one of ${DNSE_RESOLUTIONS.join(", ")}` }),
  from: instant("from"),
  to: instant("to"),
});

export const POST = withSharedDataWriter(async (request, user) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json({ error: "Send JSON: { symbol, resolution, from, to }." }, 400);
  }
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) return json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, 400);
  try {
    const started = await startBackfill(getPool(), user.id, parsed.data, { maxQueued: maxQueuedPerUser("backfill"), minuteHistoryDays: env().DNSE_MINUTE_HISTORY_DAYS });
    await wakeAppJobs("backfill");
    return json(started, 202);
  } catch (error) {
    if (error instanceof UnknownSymbolError || error instanceof BackfillError) return json({ error: error.message }, 400);
    if (error instanceof QueueFullError) return json({ error: error.message }, 429);
    throw error;
  }
});
