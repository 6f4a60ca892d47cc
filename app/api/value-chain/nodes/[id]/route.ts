/**
 * PATCH /api/value-chain/nodes/{id} { any of name, sector, nodeType, symbol, description }: changes a
 * node; DELETE removes it with every edge that touches it. Admins only (403 otherwise); 404 for an
 * unknown id; 400 { error } with the reason, nothing changed, when a rule is broken.
 */
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { nodeJson, readJsonBody, valueChainErrorResponse } from "@/app/_lib/value-chain-json";
import { getDb } from "@/db/client";
import { deleteNode, updateNode } from "@/lib/valuechain/edit";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = withSharedDataWriter<Ctx>(async (request, user, { params }) => {
  const read = await readJsonBody(request, "the fields to change { name?, sector?, nodeType?, symbol?, description? }");
  if ("response" in read) return read.response;
  try {
    return json({ node: nodeJson(await updateNode(getDb(), user.id, (await params).id, read.body)) });
  } catch (error) {
    return valueChainErrorResponse(error);
  }
});

export const DELETE = withSharedDataWriter<Ctx>(async (_request, user, { params }) => {
  try {
    const { node, edgesRemoved } = await deleteNode(getDb(), user.id, (await params).id);
    return json({ deleted: nodeJson(node), edgesRemoved });
  } catch (error) {
    return valueChainErrorResponse(error);
  }
});
