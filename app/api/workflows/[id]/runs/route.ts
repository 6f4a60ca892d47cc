/** POST /api/workflows/[id]/runs: starts a run of my workflow; answers { runId } at once (202). */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { getDb, getPool } from "@/db/client";
import { parseId } from "@/lib/ownership/owned";
import { startRun } from "@/lib/workflows/run";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const POST = withSessionUser<Ctx>(async (_request, user, { params }) => {
  const id = parseId((await params).id);
  if (!id) return notFound();
  const started = await startRun(getDb(), getPool(), user.id, id);
  if (!started) return notFound();
  // The run goes on after the answer; it records its own failure.
  void started.finished;
  return json({ runId: started.runId }, 202);
});
