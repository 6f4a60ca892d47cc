/**
 * POST /api/notifications/read { "ids": [...] } or { "all": true }: marks the caller's notifications read
 * (ids of other users' notifications change nothing). 200 { marked, unread }; 400 bad input.
 */
import { json, withSessionUser } from "@/app/_lib/route";
import { readJsonBody } from "@/app/_lib/value-chain-json";
import { getPool } from "@/db/client";
import { markRead, markReadSchema } from "@/lib/notifications/centre";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = withSessionUser(async (request, user) => {
  const read = await readJsonBody(request, '{ "ids": [...] } or { "all": true }');
  if ("response" in read) return read.response;
  const parsed = markReadSchema.safeParse(read.body);
  if (!parsed.success) return json({ error: 'Send { "ids": [notification ids] } or { "all": true }.' }, 400);
  return json(await markRead(getPool(), user.id, parsed.data));
});
