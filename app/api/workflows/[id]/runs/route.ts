/**
 * POST /api/workflows/[id]/runs: queues a run of my workflow; answers { runId, state, ahead } at once (202).
 * The run starts when the run limits allow (lib/jobs); a full queue answers 429; a workflow without a
 * trigger or an output answers 400 with what to add (nothing is stored).
 */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { getDb, getPool } from "@/db/client";
import { maxQueuedPerUser, wakeAppJobs } from "@/lib/jobs/app";
import { jobsAhead, QueueFullError, readJob } from "@/lib/jobs/queue";
import { parseId } from "@/lib/ownership/owned";
import { NotReadyToRunError } from "@/lib/workflows/readiness";
import { queueRun } from "@/lib/workflows/run";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const POST = withSessionUser<Ctx>(async (_request, user, { params }) => {
  const id = parseId((await params).id);
  if (!id) return notFound();
  let queued;
  try {
    queued = await queueRun(getDb(), getPool(), user.id, id, { maxQueued: maxQueuedPerUser("workflow-run") });
  } catch (error) {
    if (error instanceof QueueFullError) return json({ error: error.message }, 429);
    if (error instanceof NotReadyToRunError) return json({ error: error.message, missing: error.missing }, 400);
    throw error;
  }
  if (!queued) return notFound();
  await wakeAppJobs("workflow-run");
  const job = await readJob(getPool(), user.id, "workflow-run", queued.jobId);
  const state = job?.state === "queued" ? "queued" : "started";
  return json({ runId: queued.runId, state, ahead: job ? await jobsAhead(getPool(), job) : 0 }, 202);
});
