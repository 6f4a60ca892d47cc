/** The notification routes' JSON shapes: UTC becomes Vietnam time here, and a channel never carries its secret. */
import { json } from "@/app/_lib/route";
import { ChannelInputError, type ChannelView } from "@/lib/notifications/channels";
import type { NotificationRow } from "@/lib/notifications/centre";
import { toVnIso } from "@/lib/time";

export function notificationJson(n: NotificationRow) {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    severity: n.severity,
    body: n.body,
    symbols: n.symbols,
    workflow: n.workflowId ? { id: n.workflowId, name: n.workflowName } : null,
    runId: n.runId,
    link: n.workflowId && n.runId ? `/workflows/${n.workflowId}/runs/${n.runId}` : null,
    read: n.readAt !== null,
    readAt: n.readAt ? toVnIso(n.readAt) : null,
    createdAt: toVnIso(n.createdAt),
  };
}

export function channelJson(c: ChannelView) {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    target: c.target,
    secretStored: c.secretStored,
    consecutiveFailures: c.consecutiveFailures,
    paused: c.pausedAt !== null,
    pausedAt: c.pausedAt ? toVnIso(c.pausedAt) : null,
    pausedReason: c.pausedReason,
    createdAt: toVnIso(c.createdAt),
  };
}

/** A refused channel: 400 (bad input) or 409 (the server's setup), with the field. */
export function channelErrorResponse(error: unknown) {
  if (error instanceof ChannelInputError) return json({ error: error.message, ...(error.field ? { field: error.field } : {}) }, error.status);
  throw error;
}
