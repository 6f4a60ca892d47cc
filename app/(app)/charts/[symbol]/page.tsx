import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { normalizeSymbol } from "@/components/shell/symbol";
import { NotBuiltYet } from "@/components/ui/NotBuiltYet";
import { PageHeader } from "@/components/ui/PageHeader";

type Props = { params: Promise<{ symbol: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const symbol = normalizeSymbol(decodeURIComponent((await params).symbol));
  return { title: symbol ? `${symbol} · Charts` : "Not a symbol" };
}

export default async function SymbolChartPage({ params }: Props) {
  const raw = decodeURIComponent((await params).symbol);
  const symbol = normalizeSymbol(raw);
  if (!symbol) notFound();
  // One address per symbol: /charts/hpg becomes /charts/HPG.
  if (symbol !== raw) redirect(`/charts/${symbol}`);

  return (
    <>
      <PageHeader title={symbol} parent={{ href: "/charts", label: "Charts" }} />
      <NotBuiltYet
        title={`The chart of ${symbol} is not built yet`}
        arrivesWith="the market-data release (DNSE history and live feed, the candle chart, the market snapshot)"
        features={[
          `${symbol}'s candles at 1m, 5m, 15m, 1h and 1D with volume, in GMT+7`,
          "The day's reference price, ceiling and floor from the exchange's price limits",
          "A crosshair legend with OHLC, change % and volume; indicator overlays",
          "A button to load older history from DNSE, and CSV import",
        ]}
        meanwhile={
          <p>
            Whether {symbol} is listed on HOSE, HNX or UPCOM will be checked against the symbol list that
            arrives with market data; for now any well-formed symbol opens this page.
          </p>
        }
      />
    </>
  );
}
