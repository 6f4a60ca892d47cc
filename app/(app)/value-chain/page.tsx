import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/NotBuiltYet";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Value chain" };

export default function ValueChainPage() {
  return (
    <>
      <PageHeader
        title="Value chain"
        description="How an industry's links move together: iron ore → steel makers → builders, and who leads whom."
      />
      <NotBuiltYet
        title="The value-chain graph is not built yet"
        arrivesWith="the value-chain release, after market data"
        features={[
          "A graph of an industry's links by sector and lane, with the listed companies at each link",
          "Correlations of daily log returns between links, with the band that means “no correlation”",
          "Lead times: how many trading days one link moves ahead of the next",
          "A side panel to add, edit and connect links",
        ]}
        meanwhile={<p>Charts come first: the value chain is measured on the same candles.</p>}
      />
    </>
  );
}
