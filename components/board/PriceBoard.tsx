"use client";

import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchSymbols } from "@/components/charts/api";
import { BOARD_TONE_CLASS } from "@/components/charts/board-tone";
import { formatAsOf } from "@/components/charts/chart-time";
import { abbreviate, formatChangePct, formatDayMonthYear, formatExact, formatPrice, formatVnd } from "@/components/charts/format";
import { Skeleton } from "@/components/ui/Skeleton";
import { arrangeBoard, type BoardSort, type BoardSortKey } from "@/lib/market/board-sort";
import {
  BOARD_QUERY_KEY,
  BOARD_REFRESH_MS,
  fetchBoard,
  fetchWatchlist,
  unwatch,
  watch,
  WATCHLIST_QUERY_KEY,
  type BoardRow,
  type WatchlistEntry,
} from "./api";
import styles from "./board.module.css";

const EXCHANGES = ["HOSE", "HNX", "UPCOM"] as const;
/** The top strip's indices, in its order; others follow by symbol. */
const INDEX_ORDER = ["VNINDEX", "VN30", "HNXINDEX"];

interface Column {
  key: BoardSortKey;
  label: string;
  title?: string;
}

const SORTABLE: Column[] = [
  { key: "last", label: "Last", title: "Last price, VND" },
  { key: "change", label: "+/−", title: "Change against the reference, VND" },
  { key: "changePct", label: "%", title: "Change against the reference, %" },
  { key: "volume", label: "Volume", title: "Shares traded this session" },
  { key: "value", label: "Value ₫", title: "Value traded this session, VND (exact on hover)" },
];

/** A new column sorts the way a board reader wants first: tickers A→Z, figures largest first. */
const firstDirection = (key: BoardSortKey): BoardSort["direction"] => (key === "symbol" ? "ascending" : "descending");

function toneClass(row: BoardRow): string {
  return row.tone ? BOARD_TONE_CLASS[row.tone] : "";
}

/** A change with its sign, as formatChangePct writes percentages ("+700", "-650", "0"). */
function signed(value: number, format: (v: number) => string): string {
  return value > 0 ? `+${format(value)}` : value < 0 ? `-${format(-value)}` : format(0);
}

function SortHeader({ column, sort, onSort, className }: { column: Column; sort: BoardSort | null; onSort: (key: BoardSortKey) => void; className?: string }) {
  const active = sort?.key === column.key;
  return (
    <th scope="col" aria-sort={active ? sort.direction : "none"} className={className} title={column.title}>
      <button type="button" className={styles.sortButton} onClick={() => onSort(column.key)}>
        {column.label}
        <span aria-hidden="true" className={styles.sortMark}>
          {active ? (sort.direction === "ascending" ? "▲" : "▼") : "↕"}
        </span>
      </button>
    </th>
  );
}

function BoardRowView({
  row,
  watched,
  latestDate,
  onToggle,
  busy,
}: {
  row: BoardRow;
  watched: boolean;
  latestDate: string | null;
  onToggle: (symbol: string, watched: boolean) => void;
  busy: boolean;
}) {
  const tone = toneClass(row);
  const stale = latestDate !== null && row.date < latestDate;
  return (
    <tr data-symbol={row.symbol} data-tone={row.tone ?? "none"}>
      <td className={styles.starCell}>
        <button
          type="button"
          className={watched ? `${styles.star} ${styles.starOn}` : styles.star}
          aria-pressed={watched}
          aria-label={watched ? `Remove ${row.symbol} from the watchlist` : `Add ${row.symbol} to the watchlist`}
          title={watched ? "On your watchlist: click to remove" : "Add to your watchlist (shown first)"}
          disabled={busy}
          onClick={() => onToggle(row.symbol, watched)}
        >
          {watched ? "★" : "☆"}
        </button>
      </td>
      <th scope="row" className={styles.symbolCell}>
        <Link href={`/charts/${encodeURIComponent(row.symbol)}`} className={`${styles.symbolLink} ${tone}`} title={`${row.name}: open the chart`}>
          {row.symbol}
        </Link>
        <span className={styles.symbolMeta}>
          {row.exchange}
          {row.sector ? ` · ${row.sector}` : ""}
          {stale ? (
            <span className={styles.stale} title={`Last traded ${formatDayMonthYear(row.date)}`}>
              {" "}
              · {formatDayMonthYear(row.date).slice(0, 5)}
            </span>
          ) : null}
        </span>
      </th>
      <td className={`num ${tone}`}>{formatVnd(row.last)}</td>
      <td className={`num ${tone}`}>{row.change === null ? "—" : signed(row.change, formatVnd)}</td>
      <td className={`num ${tone}`}>{row.changePct === null ? "—" : formatChangePct(row.changePct)}</td>
      <td className="num">{formatExact(row.volume)}</td>
      <td className="num" title={row.value === null ? undefined : `${formatExact(row.value)} VND`}>
        {row.value === null ? "—" : abbreviate(row.value)}
      </td>
      <td className="num price-ref">{row.reference === null ? "—" : formatVnd(row.reference)}</td>
      <td className="num price-ceiling">{row.ceiling === null ? "—" : formatVnd(row.ceiling)}</td>
      <td className="num price-floor">{row.floor === null ? "—" : formatVnd(row.floor)}</td>
    </tr>
  );
}

const COLUMN_COUNT = 10;

/** A labelled filter of the board's toolbar: "All" (empty) or one of `options`. */
function FilterSelect({ label, value, options, onChange }: { label: string; value: string; options: readonly string[]; onChange: (value: string) => void }) {
  return (
    <label className={styles.field}>
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

function GroupHeader({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <tr className={styles.groupRow} data-testid={testId}>
      <th scope="colgroup" colSpan={COLUMN_COUNT}>
        <span className={styles.groupLabel}>{children}</span>
      </th>
    </tr>
  );
}

/** VN-Index, VN30, HNX-Index (and any other index) as cards linking to their charts. */
function IndexCards({ rows }: { rows: BoardRow[] }) {
  const indices = [...rows].sort((a, b) => {
    const ia = INDEX_ORDER.indexOf(a.symbol);
    const ib = INDEX_ORDER.indexOf(b.symbol);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.symbol.localeCompare(b.symbol);
  });
  if (indices.length === 0) return null;
  return (
    <ul className={styles.indexCards} aria-label="Indices">
      {indices.map((r) => (
        <li key={r.symbol}>
          <Link href={`/charts/${encodeURIComponent(r.symbol)}`} className={styles.indexCard} data-symbol={r.symbol}>
            <span className={styles.indexName}>{r.name}</span>
            <span className={`${styles.indexLast} ${toneClass(r)}`}>{formatPrice(r.last, "points")}</span>
            <span className={toneClass(r)}>
              {r.change === null ? "—" : signed(r.change, (v) => formatPrice(v, "points"))} {r.changePct === null ? "" : formatChangePct(r.changePct)}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** The series that are not on the board (commodities), as links to their charts. */
function OtherSeries() {
  const q = useQuery({ queryKey: ["symbols", "all"], queryFn: ({ signal }) => fetchSymbols("", 100, signal), staleTime: 10 * 60_000 });
  const others = (q.data ?? []).filter((s) => s.kind === "commodity").sort((a, b) => a.symbol.localeCompare(b.symbol));
  if (others.length === 0) return null;
  return (
    <section aria-label="Commodities" className={styles.others}>
      <h2 className={styles.othersTitle}>Commodities</h2>
      <ul className={styles.otherLinks}>
        {others.map((s) => (
          <li key={s.symbol}>
            <Link href={`/charts/${encodeURIComponent(s.symbol)}`}>{s.symbol}</Link> <span className={styles.symbolMeta}>{s.name}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The charts index as a price board: every stock's last price, change and % change against the day's
 * reference, volume and value, in the board's colours (purple ceiling, cyan floor, yellow reference,
 * green up, red down); sortable by column, filtered by exchange, sector and text; the user's watchlist
 * first. It refreshes itself every 15 s while the tab is visible (react-query pauses in the background).
 */
export function PriceBoard() {
  const client = useQueryClient();
  const board = useQuery({ queryKey: BOARD_QUERY_KEY, queryFn: ({ signal }) => fetchBoard(signal), refetchInterval: BOARD_REFRESH_MS, staleTime: BOARD_REFRESH_MS });
  const watchlist = useQuery({ queryKey: WATCHLIST_QUERY_KEY, queryFn: ({ signal }) => fetchWatchlist(signal) });
  const [sort, setSort] = useState<BoardSort | null>(null);
  const [text, setText] = useState("");
  const [exchange, setExchange] = useState("");
  const [sector, setSector] = useState("");

  const toggle = useMutation({
    mutationFn: async ({ symbol, watched }: { symbol: string; watched: boolean }): Promise<unknown> => (watched ? unwatch(symbol) : watch(symbol)),
    onMutate: async ({ symbol, watched }) => {
      await client.cancelQueries({ queryKey: WATCHLIST_QUERY_KEY });
      const before = client.getQueryData<WatchlistEntry[]>(WATCHLIST_QUERY_KEY);
      const list = before ?? [];
      client.setQueryData<WatchlistEntry[]>(
        WATCHLIST_QUERY_KEY,
        watched ? list.filter((e) => e.symbol !== symbol) : [...list, { symbol, position: list.length ? Math.max(...list.map((e) => e.position)) + 1 : 0, addedAt: "" }],
      );
      return { before } as { before: WatchlistEntry[] | undefined };
    },
    onError: (_error, _vars, context) => client.setQueryData(WATCHLIST_QUERY_KEY, context?.before),
    onSettled: () => client.invalidateQueries({ queryKey: WATCHLIST_QUERY_KEY }),
  });

  const rows = board.data?.rows;
  const stocks = useMemo(() => (rows ?? []).filter((r) => r.kind === "stock"), [rows]);
  const indices = useMemo(() => (rows ?? []).filter((r) => r.kind === "index"), [rows]);
  const sectors = useMemo(() => [...new Set(stocks.map((r) => r.sector).filter((s): s is string => !!s))].sort(), [stocks]);
  const latestDate = useMemo(() => stocks.reduce<string | null>((m, r) => (m && m >= r.date ? m : r.date), null), [stocks]);
  const watchedSymbols = useMemo(() => (watchlist.data ?? []).map((e) => e.symbol), [watchlist.data]);
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const filtered = stocks.filter(
      (r) =>
        (!exchange || r.exchange === exchange) &&
        (!sector || r.sector === sector) &&
        (!needle || r.symbol.toLowerCase().startsWith(needle) || r.name.toLowerCase().includes(needle)),
    );
    return arrangeBoard(filtered, watchedSymbols, sort);
  }, [stocks, exchange, sector, text, watchedSymbols, sort]);

  const onSort = (key: BoardSortKey) =>
    setSort((s) => (s?.key === key ? { key, direction: s.direction === "ascending" ? "descending" : "ascending" } : { key, direction: firstDirection(key) }));
  const onToggle = (symbol: string, watched: boolean) => toggle.mutate({ symbol, watched });
  const watchedSet = new Set(watchedSymbols);

  if (board.isPending) {
    return (
      <div role="status" aria-live="polite" className={styles.board}>
        <span className="visually-hidden">Loading the price board…</span>
        <div aria-hidden="true" className={styles.skeletonRows}>
          {Array.from({ length: 10 }, (_, i) => (
            <Skeleton key={i} height={28} />
          ))}
        </div>
      </div>
    );
  }
  if (!board.data) {
    return (
      <div role="alert" className={styles.error}>
        <p>The price board could not be loaded: {board.error?.message}</p>
        <button type="button" className="btn" onClick={() => void board.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (rows!.length === 0) {
    return (
      <p className={styles.empty}>
        No prices yet. Run <code>npm run db:seed</code> for the demo data, or open a chart by its ticker (press <kbd>/</kbd>) and import a CSV or
        load its history from DNSE.
      </p>
    );
  }

  const filtering = !!(text || exchange || sector);
  return (
    <div className={styles.board}>
      <IndexCards rows={indices} />
      <div className={styles.toolbar} role="group" aria-label="Filter the board">
        <label className={styles.field}>
          <span>Find</span>
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Ticker or name" autoComplete="off" spellCheck={false} />
        </label>
        <FilterSelect label="Exchange" value={exchange} options={EXCHANGES} onChange={setExchange} />
        <FilterSelect label="Sector" value={sector} options={sectors} onChange={setSector} />
        <p className={styles.status} aria-live="polite">
          {shown.watched.length + shown.others.length} of {stocks.length} stocks
          {board.data.asOf ? ` · as of ${formatAsOf(board.data.asOf)} (GMT+7)` : ""}
          {board.isError ? " · could not refresh, retrying" : " · refreshes every 15 s"}
        </p>
      </div>
      {toggle.isError ? (
        <p role="alert" className={styles.error}>
          The watchlist was not changed: {toggle.error.message}
        </p>
      ) : null}
      <div className={styles.scroller} tabIndex={0} role="region" aria-label="Price board (scrolls sideways)">
        <table className={styles.table} data-testid="price-board">
          <caption className="visually-hidden">
            Stocks with their last price, change against the reference, volume and value; prices in VND. Sort by a column with its header button.
          </caption>
          <thead>
            <tr>
              <th scope="col" className={styles.starCell}>
                <span className="visually-hidden">Watchlist</span>
              </th>
              <SortHeader column={{ key: "symbol", label: "Symbol" }} sort={sort} onSort={onSort} className={styles.symbolHead} />
              {SORTABLE.map((c) => (
                <SortHeader key={c.key} column={c} sort={sort} onSort={onSort} className={styles.numHead} />
              ))}
              <th scope="col" className={`${styles.numHead} price-ref`} title="Reference price (tham chiếu), VND">
                Ref
              </th>
              <th scope="col" className={`${styles.numHead} price-ceiling`} title="Ceiling (trần), VND">
                Ceil
              </th>
              <th scope="col" className={`${styles.numHead} price-floor`} title="Floor (sàn), VND">
                Floor
              </th>
            </tr>
          </thead>
          <tbody data-testid="board-watchlist">
            <GroupHeader testId="watchlist-heading">
              Watchlist
              {shown.watched.length === 0 ? (
                <span className={styles.groupHint}>
                  {watchedSymbols.length === 0 ? " · star a stock (☆) to keep it here, at the top" : " · none match the filters"}
                </span>
              ) : null}
            </GroupHeader>
            {shown.watched.map((r) => (
              <BoardRowView key={r.symbol} row={r} watched latestDate={latestDate} onToggle={onToggle} busy={toggle.isPending && toggle.variables?.symbol === r.symbol} />
            ))}
          </tbody>
          <tbody data-testid="board-others">
            <GroupHeader testId="others-heading">
              {filtering ? "Matching stocks" : "All stocks"}
              {shown.others.length === 0 ? <span className={styles.groupHint}> · none match the filters</span> : null}
            </GroupHeader>
            {shown.others.map((r) => (
              <BoardRowView
                key={r.symbol}
                row={r}
                watched={watchedSet.has(r.symbol)}
                latestDate={latestDate}
                onToggle={onToggle}
                busy={toggle.isPending && toggle.variables?.symbol === r.symbol}
              />
            ))}
          </tbody>
        </table>
      </div>
      <p className={styles.legend}>
        Colours as on Vietnamese boards: <span className="price-ceiling">ceiling</span>, <span className="price-up">up</span>,{" "}
        <span className="price-ref">reference</span>, <span className="price-down">down</span>, <span className="price-floor">floor</span>. The reference
        is computed from stored bars (the previous close; UPCOM: the previous session&apos;s average price).
      </p>
      <OtherSeries />
    </div>
  );
}
