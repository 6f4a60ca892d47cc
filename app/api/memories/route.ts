/**
 * The caller's memories.
 * POST /api/memories { content, memoryType, company? }: embeds and stores one. 201 { memory }.
 * GET /api/memories?query=&type=&company=&from=&to=&limit=: by similarity to `query` when given, newest
 * first otherwise; 200 { mode, filters, memories: [{ …, similarity }] }.
 * 400 bad input (nothing stored), 409 memories of another embedding model, 503 Qdrant or the embeddings endpoint down.
 */
import { json, withSessionUser } from "@/app/_lib/route";
import { memoryErrorResponse, memoryJson } from "@/app/_lib/memory-json";
import { readJsonBody } from "@/app/_lib/value-chain-json";
import { getPool } from "@/db/client";
import { appMemoryDeps } from "@/lib/memory/app";
import { addMemory, findMemories } from "@/lib/memory/memories";
import { toVnIso } from "@/lib/time";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = withSessionUser(async (request, user) => {
  const read = await readJsonBody(request, 'the memory { "content", "memoryType", "company" }');
  if ("response" in read) return read.response;
  try {
    return json({ memory: memoryJson(await addMemory(appMemoryDeps(getPool()), user.id, read.body)) }, 201);
  } catch (error) {
    return memoryErrorResponse(error);
  }
});

export const GET = withSessionUser(async (request, user) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  try {
    const found = await findMemories(appMemoryDeps(getPool()), user.id, params);
    const { memoryType, company, from, to } = found.filters;
    return json({
      mode: found.mode,
      filters: { type: memoryType ?? null, company: company ?? null, from: from ? toVnIso(from) : null, to: to ? toVnIso(to) : null },
      memories: found.memories.map(memoryJson),
    });
  } catch (error) {
    return memoryErrorResponse(error);
  }
});
