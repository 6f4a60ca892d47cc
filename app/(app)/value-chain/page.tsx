import type { Metadata } from "next";
import { requirePageUser } from "@/app/_lib/page-user";
import { ValueChainView } from "@/components/value-chain/ValueChainView";
import { canWriteSharedData } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Value chain" };

/**
 * The shared value chain as a graph (Upstream → Midstream → Downstream). The browser reads it from
 * /api/value-chain (so it shows a skeleton, then the graph, and refreshes after an edit); the page
 * only decides whether the editing and recompute controls are offered: the routes check again.
 */
export default async function ValueChainPage() {
  const user = await requirePageUser();
  return (
    <>
      <h1 className="visually-hidden">Value chain</h1>
      <ValueChainView canEdit={canWriteSharedData(user)} />
    </>
  );
}
