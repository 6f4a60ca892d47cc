import type { Metadata } from "next";
import { PriceBoard } from "@/components/board/PriceBoard";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Charts" };

export default function ChartsPage() {
  return (
    <>
      <PageHeader
        title="Charts"
        description="The price board: every stock's last price against the day's reference, in the board's colours; star a stock to keep it at the top. Open a chart from its ticker, or press / to search one."
      />
      <PriceBoard />
    </>
  );
}
