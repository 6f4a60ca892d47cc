/**
 * One of the caller's memories: GET, PATCH { content?, memoryType?, company? } (new content is
 * re-embedded), DELETE. Another user's id, like an unknown one, is 404.
 */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { memoryErrorResponse, memoryJson } from "@/app/_lib/memory-json";
import { readJsonBody } from "@/app/_lib/value-chain-json";
import { getPool } from "@/db/client";
import { appMemoryDeps } from "@/lib/memory/app";
import { deleteMemory, getMemory, updateMemory } from "@/lib/memory/memories";
import { parseId } from "@/lib/ownership/owned";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withSessionUser<Ctx>(async (_request, user, { params }) => {
  const id = parseId((await params).id);
  if (!id) return notFound();
  try {
    const memory = await getMemory(appMemoryDeps(getPool()), user.id, id);
    return memory ? json({ memory: memoryJson(memory) }) : notFound();
  } catch (error) {
    return memoryErrorResponse(error);
  }
});

export const PATCH = withSessionUser<Ctx>(async (request, user, { params }) => {
  const id = parseId((await params).id);
  if (!id) return notFound();
  const read = await readJsonBody(request, 'the change { "content"?, "memoryType"?, "company"? }');
  if ("response" in read) return read.response;
  try {
    const memory = await updateMemory(appMemoryDeps(getPool()), user.id, id, read.body);
    return memory ? json({ memory: memoryJson(memory) }) : notFound();
  } catch (error) {
    return memoryErrorResponse(error);
  }
});

export const DELETE = withSessionUser<Ctx>(async (_request, user, { params }) => {
  const id = parseId((await params).id);
  if (!id) return notFound();
  try {
    return (await deleteMemory(appMemoryDeps(getPool()), user.id, id)) ? json({ deleted: true }) : notFound();
  } catch (error) {
    return memoryErrorResponse(error);
  }
});
