"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { BOARD_QUERY_KEY, BOARD_REFRESH_MS, fetchBoard, type BoardRow } from "@/components/board/api";
import { fetchSnapshot } from "@/components/charts/api";
import { BOARD_TONE_CLASS } from "@/components/charts/board-tone";
import { formatAsOf } from "@/components/charts/chart-time";
import { abbreviate, directionOf, formatChangePct, formatExact, formatPrice } from "@/components/charts/format";
import { Skeleton } from "@/components/ui/Skeleton";
import styles from "./shell.module.css";
import own from "./snapshot.module.css";

/** Refreshed every 30 s (the server caches it for 60 s). */
export const SNAPSHOT_REFRESH_MS = 30_000;
const NOT_AVAILABLE = "not available from our data source yet";
const DIRECTION_CLASS = { up: "price-up", down: "price-down", flat: "price-ref" } as const;

function Missing({ what }: { what: string }) {
  return (
    <span title={NOT_AVAILABLE} aria-label={`${what}: ${NOT_AVAILABLE}`} className={styles.snapshotMissing}>
      —
    </span>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={styles.snapshotItem}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** VN30 and HNX-Index come from the price board's rows (the snapshot names only VN-Index). */
const BOARD_INDICES = [
  { symbol: "VN30", label: "VN30" },
  { symbol: "HNXINDEX", label: "HNX-Index" },
] as const;

function BoardIndex({ label, row, pending }: { label: string; row: BoardRow | undefined; pending: boolean }) {
  if (!row) return <Item label={label}>{pending ? <Skeleton width={90} height={12} /> : <Missing what={label} />}</Item>;
  const tone = row.tone ? BOARD_TONE_CLASS[row.tone] : "";
  return (
    <Item label={label}>
      <span className={tone} title={`${row.name} on ${row.date.split("-").reverse().join("/")}`}>
        {formatPrice(row.last, "points")}
      </span>
      {row.changePct === null ? null : (
        <>
          {" "}
          <span className={tone}>{formatChangePct(row.changePct)}</span>
        </>
      )}
    </Item>
  );
}

/**
 * The market snapshot strip of the top bar: VN-Index, VN30 and HNX-Index with their change (board colours), the session's
 * liquidity and foreign net flow in VND (abbreviated; exact on hover), DXY, and the as-of time in
 * GMT+7. It refreshes itself; when the snapshot cannot be had it says so quietly and keeps trying.
 */
export function MarketSnapshot() {
  const q = useQuery({
    queryKey: ["market-snapshot", "HOSE"],
    queryFn: ({ signal }) => fetchSnapshot("HOSE", signal),
    refetchInterval: SNAPSHOT_REFRESH_MS,
    staleTime: SNAPSHOT_REFRESH_MS,
  });
  // The same query as the price board's (one request serves both when the board is open).
  const board = useQuery({ queryKey: BOARD_QUERY_KEY, queryFn: ({ signal }) => fetchBoard(signal), refetchInterval: BOARD_REFRESH_MS, staleTime: BOARD_REFRESH_MS });
  const boardRow = (symbol: string) => board.data?.rows.find((r) => r.symbol === symbol);

  let content: ReactNode;
  if (q.isPending) {
    content = (
      <span role="status" className={styles.snapshotLoading}>
        <span className="visually-hidden">Loading the market snapshot…</span>
        <Skeleton width={130} height={12} />
        <Skeleton width={100} height={12} />
        <Skeleton width={110} height={12} />
        <Skeleton width={70} height={12} />
      </span>
    );
  } else if (!q.data) {
    content = (
      <span className={styles.snapshotTitle} title={q.error?.message}>
        Market snapshot unavailable · retrying
      </span>
    );
  } else {
    const s = q.data;
    const dir = directionOf(s.vn_index_change_pct);
    const flowDir = directionOf(s.foreign_net_flow);
    content = (
      <>
        <dl className={styles.snapshotList}>
          <Item label="VN-Index">
            {s.vn_index === null ? (
              <Missing what="VN-Index" />
            ) : (
              <>
                <span className={DIRECTION_CLASS[dir]}>{formatPrice(s.vn_index, "points")}</span>{" "}
                {s.vn_index_change_pct === null ? null : (
                  <span className={DIRECTION_CLASS[dir]}>{formatChangePct(s.vn_index_change_pct)}</span>
                )}
              </>
            )}
          </Item>
          {BOARD_INDICES.map((i) => (
            <BoardIndex key={i.symbol} label={i.label} row={boardRow(i.symbol)} pending={board.isPending} />
          ))}
          <Item label="Liquidity">
            {s.market_liquidity === null ? (
              <Missing what="Liquidity" />
            ) : (
              <span title={`${formatExact(s.market_liquidity)} VND traded this session`}>{abbreviate(s.market_liquidity)} ₫</span>
            )}
          </Item>
          <Item label="Foreign">
            {s.foreign_net_flow === null ? (
              <Missing what="Foreign net flow" />
            ) : (
              <span className={DIRECTION_CLASS[flowDir]} title={`${formatExact(s.foreign_net_flow)} VND`}>
                {s.foreign_net_flow > 0 ? "+" : ""}
                {abbreviate(s.foreign_net_flow)} ₫
              </span>
            )}
          </Item>
          <Item label="DXY">{s.dxy === null ? <Missing what="DXY" /> : formatPrice(s.dxy, "points")}</Item>
        </dl>
        <span className={styles.snapshotAsOf} title={q.isError ? `Could not refresh: ${q.error.message}` : `Source: ${s.source}`}>
          as of {formatAsOf(s.timestamp)}
          {q.isError ? " · stale" : ""}
        </span>
      </>
    );
  }

  return (
    <section className={`${styles.snapshot} ${own.strip}`} aria-label="Market snapshot" data-testid="market-snapshot">
      {content}
    </section>
  );
}
