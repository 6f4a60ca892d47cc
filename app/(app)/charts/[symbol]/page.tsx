import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { shapeCandleSeries } from "@/app/_lib/candles";
import { canWriteSharedData } from "@/lib/auth/roles";
import { getSessionUser } from "@/app/_lib/session";
import { CANDLES_PAGE_SIZE, type CandlesPage, type SymbolInfo } from "@/components/charts/api";
import { ChartWorkspace } from "@/components/charts/ChartWorkspace";
import { isResolution, type Resolution } from "@/components/charts/chart-time";
import { normalizeSymbol } from "@/components/shell/symbol";
import { PageHeader } from "@/components/ui/PageHeader";
import { getPool } from "@/db/client";
import { NONCE_HEADER } from "@/lib/http/security-headers";
import { queryCandles } from "@/lib/market/candles";
import { findSymbol } from "@/lib/market/symbols";

/**
 * Runs as soon as the HTML up to it is parsed: the server-rendered candles (CandleChart's preview) are
 * then in the document, and the next frame paints them; that frame is `qf:first-candles` for
 * bench:chart (the live chart marks it itself when it comes first, e.g. after a client navigation).
 */
const FIRST_CANDLES_MARK =
  "document.querySelector('[data-testid=chart-preview]')&&requestAnimationFrame(function(){performance.getEntriesByName('qf:first-candles').length||performance.mark('qf:first-candles')})";

type Props = { params: Promise<{ symbol: string }>; searchParams: Promise<{ r?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const symbol = normalizeSymbol(decodeURIComponent((await params).symbol));
  return { title: symbol ? `${symbol} · Charts` : "Not a symbol" };
}

/**
 * The first page of candles and the symbol's facts, read here (in parallel) so the browser draws
 * without asking /api/candles first: the same lib call and the same shaping as that route. An unknown
 * symbol (info null) is a 404; anything else that goes wrong (a database hiccup) is left to the
 * browser's own request, which shows the route's reason.
 */
async function initialData(symbol: string, resolution: Resolution): Promise<{ page?: CandlesPage; info?: SymbolInfo | null; at: number }> {
  const pool = getPool();
  const [candles, info] = await Promise.allSettled([
    queryCandles(pool, { symbol, resolution, limit: CANDLES_PAGE_SIZE }),
    findSymbol(pool, symbol),
  ]);
  return {
    page: candles.status === "fulfilled" ? shapeCandleSeries(candles.value) : undefined,
    info: info.status === "fulfilled" ? (info.value ?? null) : undefined,
    at: Date.now(),
  };
}

export default async function SymbolChartPage({ params, searchParams }: Props) {
  const raw = decodeURIComponent((await params).symbol);
  const symbol = normalizeSymbol(raw);
  if (!symbol) notFound();
  const r = (await searchParams).r;
  const resolution = isResolution(r) ? r : "1D";
  // One address per symbol: /charts/hpg becomes /charts/HPG.
  if (symbol !== raw) redirect(`/charts/${symbol}${isResolution(r) ? `?r=${r}` : ""}`);
  // The layout checks the session too, but it renders alongside the page, not before it.
  const user = await getSessionUser();
  if (!user) redirect("/login");

  const initial = await initialData(symbol, resolution);
  // A symbol the database does not know answers 404, so no chart, DNSE or import button is offered for it
  // (both would be refused). A failed lookup (undefined) is left to the browser's request, which says why.
  if (initial.info === null) notFound();
  return (
    <>
      <PageHeader title={symbol} parent={{ href: "/charts", label: "Charts" }} />
      <ChartWorkspace
        key={symbol}
        symbol={symbol}
        initialResolution={resolution}
        initialPage={initial.page}
        initialInfo={initial.info}
        initialAt={initial.at}
        canWriteSharedData={canWriteSharedData(user)}
      />
      <script nonce={(await headers()).get(NONCE_HEADER) ?? undefined} dangerouslySetInnerHTML={{ __html: FIRST_CANDLES_MARK }} />
    </>
  );
}
