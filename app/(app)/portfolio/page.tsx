import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/NotBuiltYet";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Portfolio" };

export default function PortfolioPage() {
  return (
    <>
      <PageHeader
        title="Portfolio"
        description="Allocations across HOSE, HNX and UPCOM stocks, turned into orders you can place."
      />
      <NotBuiltYet
        title="Portfolio allocations are not built yet"
        arrivesWith="the portfolio release, after market data and workflows"
        features={[
          "Allocations generated from your universe and constraints, as percentages that sum to 100",
          "Orders in whole board lots of 100 shares at valid tick sizes, with the money left over in VND",
          "Allocations saved from workflows, side by side for comparison",
        ]}
        meanwhile={<p>Connect your DNSE account under Settings once accounts arrive; orders will be prepared for it.</p>}
      />
    </>
  );
}
