/** GET /api/market/backfill/<jobId>: { status, fetched, stored, chunksDone, chunksTotal, error? } of the user's backfill. */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { backfillJob } from "@/lib/market/backfill";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withSessionUser<{ params: Promise<{ jobId: string }> }>(async (_request, user, { params }) => {
  const { jobId } = await params;
  const job = backfillJob(user.id, jobId);
  if (!job) return notFound();
  const { status, fetched, stored, chunksDone, chunksTotal, error } = job;
  return json({ status, fetched, stored, chunksDone, chunksTotal, ...(error ? { error } : {}) });
});
