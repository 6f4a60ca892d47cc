"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * On the page of a run that has not ended: follows its events stream and counts the nodes that finished;
 * when the run ends the page reloads its row.
 */
export function RunWatcher({ workflowId, runId }: { workflowId: string; runId: string }) {
  const router = useRouter();
  const [finished, setFinished] = useState(0);
  useEffect(() => {
    const source = new EventSource(`/api/workflows/${workflowId}/runs/${runId}/events`);
    source.onmessage = (e) => {
      const event = JSON.parse(e.data as string) as { status: string };
      if (event.status === "success" || event.status === "failed" || event.status === "skipped") setFinished((n) => n + 1);
    };
    source.addEventListener("done", () => {
      source.close();
      router.refresh();
    });
    source.onerror = () => {
      source.close();
      setTimeout(() => router.refresh(), 1000);
    };
    return () => source.close();
  }, [workflowId, runId, router]);
  return (
    <p role="status" aria-live="polite">
      Running… {finished} node{finished === 1 ? "" : "s"} done.
    </p>
  );
}
