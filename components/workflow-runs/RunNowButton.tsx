"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/**
 * Starts a run (POST /api/workflows/[id]/runs) and opens its page, where its node states show when it ends.
 * `notReady`: why the workflow cannot run yet (no trigger or no output); the button is then disabled, saying so.
 */
export function RunNowButton({ workflowId, notReady }: { workflowId: string; notReady?: string }) {
  const router = useRouter();
  const [state, setState] = useState<{ pending: boolean; error?: string }>({ pending: false });
  return (
    <>
      <button
        type="button"
        className="btn btn-primary"
        disabled={state.pending || notReady !== undefined}
        title={notReady}
        onClick={async () => {
          setState({ pending: true });
          try {
            const res = await fetch(`/api/workflows/${workflowId}/runs`, { method: "POST" });
            const body = (await res.json()) as { runId?: string; error?: string };
            if (!res.ok || !body.runId) throw new Error(body.error ?? `The run did not start (HTTP ${res.status}).`);
            router.push(`/workflows/${workflowId}/runs/${body.runId}`);
          } catch (e) {
            setState({ pending: false, error: (e as Error).message });
          }
        }}
      >
        {state.pending ? "Starting…" : "Run now"}
      </button>
      {state.error ? <span role="alert">{state.error}</span> : notReady ? (
        <span style={{ maxWidth: 380, color: "var(--text-muted)", fontSize: 13 }} data-testid="run-not-ready">
          {notReady}
        </span>
      ) : null}
    </>
  );
}
