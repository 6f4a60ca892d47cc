/**
 * Server actions' body limit, answered by the app: Next refuses a body over
 * `serverActions.bodySizeLimit` (1 MB by default) by throwing inside its action handler, which logs an
 * error and answers 500. proxy.ts asks this first, so such a request gets a 413 naming the limit instead.
 * (A body sent without Content-Length still reaches Next's own check; browsers always send one.)
 */
/** Next's default, which next.config.mjs keeps. */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

export function actionBodyTooLarge(request: Request): Response | undefined {
  if (request.method !== "POST" || !request.headers.has("next-action")) return undefined;
  const length = Number(request.headers.get("content-length") ?? "");
  if (!Number.isFinite(length) || length <= ACTION_BODY_LIMIT_BYTES) return undefined;
  const mb = (length / 1e6).toFixed(1);
  return Response.json(
    {
      error: `The request is ${mb} MB; at most 1 MB can be sent (a workflow graph, saved or imported, is limited to 1 MB). Remove some nodes, or split the workflow in two.`,
    },
    { status: 413, headers: { "cache-control": "no-store" } },
  );
}
