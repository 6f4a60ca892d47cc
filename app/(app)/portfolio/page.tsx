import type { Metadata } from "next";
import { requirePageUser } from "@/app/_lib/page-user";
import { savedSummaryJson } from "@/app/_lib/portfolio-json";
import type { SavedSummary } from "@/components/portfolio/api";
import { PortfolioWorkbench } from "@/components/portfolio/PortfolioWorkbench";
import { PageHeader } from "@/components/ui/PageHeader";
import { getDb, getPool } from "@/db/client";
import { listSavedAllocations } from "@/lib/portfolio/saved";
import { portfolioSettings } from "@/lib/portfolio/settings";
import { sectorGroups, valueChainLanes } from "@/lib/portfolio/universe-sources";

export const metadata: Metadata = { title: "Portfolio" };
export const dynamic = "force-dynamic";

export default async function PortfolioPage() {
  const user = await requirePageUser();
  const [sectors, lanes, saved] = await Promise.all([sectorGroups(getPool()), valueChainLanes(getPool()), listSavedAllocations(getDb(), user.id)]);
  return (
    <>
      <PageHeader
        title="Portfolio"
        description="Allocations across HOSE, HNX and UPCOM stocks from their daily closes, turned into orders of whole lots. Dates and times in GMT+7."
      />
      <PortfolioWorkbench sectors={sectors} lanes={lanes} initialSaved={saved.map(savedSummaryJson) as SavedSummary[]} defaultRiskFreeRate={portfolioSettings().riskFreeRate} />
    </>
  );
}
