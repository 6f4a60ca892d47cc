/**
 * GET /api/workflows/[id]/runs/[runId]/events: the run's node states as Server-Sent Events until it ends.
 * Each state is `data: {"nodeId","status","durationMs"?,"error"?}`; the end is `event: done` with
 * `{"status","durationMs","error"?,"result"?}` (`error` when the run failed before any node ran; `result` the
 * run's whole result when followed live here, the stored copy, perhaps trimmed, when replayed from its row). While the run waits in
 * the queue, `event: queued` with `{"ahead"}` (jobs before it) is sent whenever that number changes. A run of
 * this process is followed live; one of another instance (or one that already ended) is followed through its
 * row: its node states when it ends, then done.
 */
import { notFound, withSessionUser } from "@/app/_lib/route";
import { getDb, getPool } from "@/db/client";
import { jobsAhead, readJobOfRun } from "@/lib/jobs/queue";
import { parseId } from "@/lib/ownership/owned";
import { getRun, runChannel, type RunDoneEvent, type RunStreamEvent } from "@/lib/workflows/run";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string; runId: string }> };

const POLL_MS = 500;
const MAX_STREAM_MS = 10 * 60_000;

export const GET = withSessionUser<Ctx>(async (request, user, { params }) => {
  const p = await params;
  const [id, runId] = [parseId(p.id), parseId(p.runId)];
  if (!id || !runId) return notFound();
  const db = getDb();
  const pool = getPool();
  if (!(await getRun(db, user.id, id, runId))) return notFound();

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const sendState = (e: RunStreamEvent) => send(`data: ${JSON.stringify(e)}\n\n`);
      const finish = (done: RunDoneEvent) => {
        send(`event: done\ndata: ${JSON.stringify(done)}\n\n`);
        close();
      };
      let unsubscribe = () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearTimeout(timer);
        controller.close();
      };
      cleanup = close;
      request.signal.addEventListener("abort", close, { once: true });

      // A run of this process is followed live from its channel.
      const follow = (channel: NonNullable<ReturnType<typeof runChannel>>) => {
        let sent = 0;
        const flush = () => {
          const events = channel.events();
          while (sent < events.length) sendState(events[sent++]!);
          const done = channel.done();
          if (done) finish(done);
        };
        unsubscribe = channel.subscribe(flush);
        flush();
      };
      const channel = runChannel(runId);
      if (channel) return follow(channel);
      // Queued, or another instance's run: while it waits, `event: queued` tells how many jobs are ahead;
      // once this process starts it, it is followed live; otherwise its row is replayed when it ends.
      const started = Date.now();
      let lastAhead: number | undefined;
      const poll = async () => {
        if (closed) return;
        try {
          const live = runChannel(runId);
          if (live) return follow(live);
          const row = await getRun(db, user.id, id, runId);
          if (!row) return close();
          if (row.status === "success" || row.status === "failed") {
            const nodes = ((row.result as { nodes?: Record<string, { status: RunStreamEvent["status"]; durationMs?: number; error?: string }> } | null)?.nodes) ?? {};
            for (const [nodeId, s] of Object.entries(nodes)) {
              sendState({ nodeId, status: s.status, ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}), ...(s.error ? { error: s.error } : {}) });
            }
            return finish({
              status: row.status,
              durationMs: row.durationMs ?? 0,
              ...(row.errorMessage && Object.keys(nodes).length === 0 ? { error: row.errorMessage } : {}),
              ...(row.result ? { result: row.result } : {}),
            });
          }
          if (row.status === "pending") {
            const job = await readJobOfRun(pool, user.id, runId);
            if (job?.state === "queued") {
              const ahead = await jobsAhead(pool, job);
              if (ahead !== lastAhead) send(`event: queued\ndata: ${JSON.stringify({ ahead })}\n\n`);
              lastAhead = ahead;
            }
          }
          if (Date.now() - started > MAX_STREAM_MS) return close();
          timer = setTimeout(() => void poll(), POLL_MS);
        } catch {
          close();
        }
      };
      void poll();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
});
