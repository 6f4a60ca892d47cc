/**
 * GET /api/value-chain: the shared value chain for any signed-in user (session or personal API token):
 * { nodes: [...], edges: [...] }, each edge with its latest lead-lag analysis, each listed node with
 * the day's move; times in Vietnam time (+07:00). README "Value chain API" documents the fields.
 */
import { json, withSessionUser } from "@/app/_lib/route";
import { edgeJson, nodeJson } from "@/app/_lib/value-chain-json";
import { getDb } from "@/db/client";
import { readChain } from "@/lib/valuechain/read";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withSessionUser(async () => {
  const chain = await readChain(getDb());
  return json({ nodes: chain.nodes.map(nodeJson), edges: chain.edges.map(edgeJson) });
});
