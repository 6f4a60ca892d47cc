import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/NotBuiltYet";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Charts" };

export default function ChartsPage() {
  return (
    <>
      <PageHeader
        title="Charts"
        description="Candle charts of HOSE, HNX and UPCOM stocks and of the indices, from 1 minute to daily."
      />
      <NotBuiltYet
        title="Candle charts are not built yet"
        arrivesWith="the market-data release (DNSE history and live feed, the candle chart, the market snapshot)"
        features={[
          "Candles with a volume histogram at 1m, 5m, 15m, 1h and 1D, in GMT+7 with no gaps for nights or the lunch break",
          "A crosshair legend with open, high, low, close, change % and volume in VND",
          "Reference, ceiling and floor lines on intraday charts, in price-board colours",
          "SMA, EMA and Bollinger overlays; older history loaded as you scroll left",
          "Import of daily candles from CSV and a history backfill from DNSE",
        ]}
        meanwhile={
          <p>
            Every symbol will have its own page. Press <kbd>/</kbd> and type a ticker such as HPG, VCB or FPT,
            then Enter, to open it.
          </p>
        }
      />
    </>
  );
}
