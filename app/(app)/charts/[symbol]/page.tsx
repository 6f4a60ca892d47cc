import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ChartWorkspace } from "@/components/charts/ChartWorkspace";
import { isResolution } from "@/components/charts/chart-time";
import { normalizeSymbol } from "@/components/shell/symbol";
import { PageHeader } from "@/components/ui/PageHeader";

type Props = { params: Promise<{ symbol: string }>; searchParams: Promise<{ r?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const symbol = normalizeSymbol(decodeURIComponent((await params).symbol));
  return { title: symbol ? `${symbol} · Charts` : "Not a symbol" };
}

export default async function SymbolChartPage({ params, searchParams }: Props) {
  const raw = decodeURIComponent((await params).symbol);
  const symbol = normalizeSymbol(raw);
  if (!symbol) notFound();
  const r = (await searchParams).r;
  const resolution = isResolution(r) ? r : "1D";
  // One address per symbol: /charts/hpg becomes /charts/HPG.
  if (symbol !== raw) redirect(`/charts/${symbol}${isResolution(r) ? `?r=${r}` : ""}`);

  return (
    <>
      <PageHeader title={symbol} parent={{ href: "/charts", label: "Charts" }} />
      <ChartWorkspace key={symbol} symbol={symbol} initialResolution={resolution} />
    </>
  );
}
