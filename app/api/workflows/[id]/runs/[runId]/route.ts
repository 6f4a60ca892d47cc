/** GET /api/workflows/[id]/runs/[runId]: the run's log row (status, duration, result, error). */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { getDb } from "@/db/client";
import { parseId } from "@/lib/ownership/owned";
import { getRun } from "@/lib/workflows/run";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string; runId: string }> };

export const GET = withSessionUser<Ctx>(async (_request, user, { params }) => {
  const p = await params;
  const [id, runId] = [parseId(p.id), parseId(p.runId)];
  if (!id || !runId) return notFound();
  const run = await getRun(getDb(), user.id, id, runId);
  return run ? json(run) : notFound();
});
