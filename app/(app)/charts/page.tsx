import type { Metadata } from "next";
import { SymbolDirectory } from "@/components/charts/SymbolDirectory";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Charts" };

export default function ChartsPage() {
  return (
    <>
      <PageHeader
        title="Charts"
        description="Candle charts of the indices and of HOSE, HNX and UPCOM stocks, from 1 minute to daily. Press / to search a ticker."
      />
      <SymbolDirectory />
    </>
  );
}
