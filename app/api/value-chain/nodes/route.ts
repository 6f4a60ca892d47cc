/**
 * POST /api/value-chain/nodes { name, sector, nodeType, symbol?, description? }: adds a node to the
 * shared chain (an admin: 403 otherwise). 201 { node }; 400 { error } with the reason and nothing
 * stored when a rule is broken (lane, unknown or taken symbol, empty name…).
 */
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { nodeJson, readJsonBody, valueChainErrorResponse } from "@/app/_lib/value-chain-json";
import { getDb } from "@/db/client";
import { createNode } from "@/lib/valuechain/edit";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = withSharedDataWriter(async (request, user) => {
  const read = await readJsonBody(request, "the node { name, sector, nodeType, symbol?, description? }");
  if ("response" in read) return read.response;
  try {
    return json({ node: nodeJson(await createNode(getDb(), user.id, read.body)) }, 201);
  } catch (error) {
    return valueChainErrorResponse(error);
  }
});
