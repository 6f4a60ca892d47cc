/**
 * GET /api/market/backfill/<jobId>: { status, fetched, stored, changed, changes, chunksDone, chunksTotal, error?, ahead? }
 * of the user's backfill, read from PostgreSQL (any instance answers, after restarts too); changes: up to 20
 * stored bars DNSE's bars replaced, { symbol, time (+07:00), before, after }.
 */
import { shapeCandleChanges } from "@/app/_lib/candle-changes";
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { backfillJob } from "@/lib/market/backfill";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withSessionUser<{ params: Promise<{ jobId: string }> }>(async (_request, user, { params }) => {
  const { jobId } = await params;
  const job = await backfillJob(getPool(), user.id, jobId);
  if (!job) return notFound();
  const { status, fetched, stored, changed, changes, chunksDone, chunksTotal, error, ahead } = job;
  return json({
    status,
    fetched,
    stored,
    changed,
    changes: shapeCandleChanges(changes),
    chunksDone,
    chunksTotal,
    ...(error ? { error } : {}),
    ...(ahead !== undefined ? { ahead } : {}),
  });
});
