"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { ApiError, fetchBackfill, startBackfill } from "./api";
import type { Resolution } from "./chart-time";
import { formatDayMonthYear, formatExact, formatLongDate, parseDayMonthYear } from "./format";
import styles from "./charts.module.css";
import { DEFAULT_MINUTE_HISTORY_DAYS } from "@/lib/market/dnse-limits";

// Everything finer than a day is built from 1-minute bars, which DNSE serves for about 90 days.
const DEFAULT_DAYS: Record<Resolution, number> = { "1m": 30, "5m": 90, "15m": 90, "30m": 90, "1h": 90, "4h": 90, "1D": 5 * 365, "1W": 5 * 365, "1M": 10 * 365 };
const DONE = new Set(["done", "completed", "complete", "succeeded", "success", "finished"]);
const FAILED = new Set(["failed", "error", "cancelled", "canceled"]);

/** YYYY-MM-DD of the Vietnamese calendar, `daysAgo` days before today. */
function vnDate(daysAgo = 0): string {
  return new Date(Date.now() + 7 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** A job waiting for a free slot (one backfill per user at a time, a few in all). */
function queuedLabel(ahead: number | undefined): string {
  return ahead ? `Queued, ${ahead} backfill${ahead === 1 ? "" : "s"} ahead` : "Queued";
}

/** A refusal about the broker connection gets a way to fix it (not one about DNSE's history or data). */
function needsBroker(message: string): boolean {
  if (/DNSE returned no bars|DNSE serves 1-minute|DNSE's (answer|bars)|DNSE (refused|did not answer) chunk/i.test(message)) return false;
  return /dnse|broker|connect|credential|token|sign in to/i.test(message);
}

/**
 * "Load history from DNSE": a date range, then the job's progress (chunks done of total, bars
 * fetched and stored), polled every second until it ends; the chart reloads when it is done.
 */
export function BackfillPanel({ symbol, resolution, onClose }: { symbol: string; resolution: Resolution; onClose: () => void }) {
  const queryClient = useQueryClient();
  // Typed as dd/mm/yyyy: a native date input shows the browser's own order (mm/dd/yyyy in many).
  const [fromText, setFromText] = useState(() => formatDayMonthYear(vnDate(DEFAULT_DAYS[resolution])));
  const [toText, setToText] = useState(() => formatDayMonthYear(vnDate(0)));
  const from = parseDayMonthYear(fromText);
  const to = parseDayMonthYear(toText);
  const rangeProblem =
    !from || !to
      ? `Write ${!from ? "the From" : "the To"} date as day/month/year, for example 26/11/2026.`
      : from > to
        ? "From is after To: swap them."
        : null;
  const fromId = useId();
  const toId = useId();
  const hintId = useId();
  const rangeId = useId();
  const headingId = useId();

  const start = useMutation({
    mutationFn: (range: { from: string; to: string }) =>
      startBackfill({ symbol, resolution, from: `${range.from}T00:00:00+07:00`, to: `${range.to}T23:59:59+07:00` }),
  });
  const jobId = start.data?.jobId;
  const job = useQuery({
    queryKey: ["backfill", jobId],
    queryFn: ({ signal }) => fetchBackfill(jobId as string, signal),
    enabled: !!jobId,
    refetchInterval: (q) => {
      const s = q.state.data?.status;
      return s && (DONE.has(s) || FAILED.has(s)) ? false : 1000;
    },
  });
  const status = job.data?.status;
  const finished = !!status && DONE.has(status);
  const failed = (!!status && FAILED.has(status)) || job.isError;

  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: ["candles", symbol] });
  }, [finished, queryClient, symbol]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (from && to && !rangeProblem) start.mutate({ from, to });
  }

  const running = start.isPending || (!!jobId && !finished && !failed);
  const startError = start.error;
  const jobError = job.error instanceof ApiError ? job.error.message : job.data?.error;

  return (
    <section aria-labelledby={headingId} className={styles.panelBody} data-testid="backfill-panel">
      <div className={styles.panelHead}>
        <h2 id={headingId} className={styles.panelTitle}>
          Load history from DNSE
        </h2>
        <button type="button" className={styles.closeButton} onClick={onClose} aria-label="Close the history panel">
          ×
        </button>
      </div>
      <p className={styles.panelText}>
        {symbol}&apos;s {resolution} bars for the dates below, fetched from DNSE&apos;s chart history in chunks.
      </p>
      {resolution !== "1D" ? (
        <p className={styles.panelText} data-testid="backfill-depth">
          DNSE serves 1-minute bars{resolution === "1m" ? "" : `, which ${resolution} bars are built from,`} for about the last {DEFAULT_MINUTE_HISTORY_DAYS} days: start on{" "}
          {formatDayMonthYear(vnDate(DEFAULT_MINUTE_HISTORY_DAYS))} or later. For older history, load 1D.
        </p>
      ) : null}
      <form onSubmit={onSubmit} className={styles.panelForm}>
        <p id={hintId} className={styles.panelText}>
          Dates as day/month/year, in Vietnam (GMT+7).
        </p>
        <div className={styles.dateFields}>
          <div className={styles.fieldRow}>
            <label htmlFor={fromId}>From</label>
            <input
              id={fromId}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              placeholder="dd/mm/yyyy"
              value={fromText}
              required
              aria-describedby={`${hintId} ${rangeId}`}
              aria-invalid={!from}
              onChange={(e) => setFromText(e.target.value)}
              disabled={running}
            />
          </div>
          <div className={styles.fieldRow}>
            <label htmlFor={toId}>To</label>
            <input
              id={toId}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              placeholder="dd/mm/yyyy"
              value={toText}
              required
              aria-describedby={`${hintId} ${rangeId}`}
              aria-invalid={!to}
              onChange={(e) => setToText(e.target.value)}
              disabled={running}
            />
          </div>
        </div>
        <p id={rangeId} className={rangeProblem ? styles.fieldProblem : styles.panelText} data-testid="backfill-range" aria-live="polite">
          {rangeProblem ?? (from && to ? `${formatLongDate(from)} → ${formatLongDate(to)}` : "")}
        </p>
        <button type="submit" className="btn btn-primary" disabled={running || !!rangeProblem}>
          {running ? "Loading…" : jobId ? "Load again" : "Start loading"}
        </button>
      </form>

      {startError ? (
        <div role="alert" className={styles.panelError}>
          <p>{startError.message}</p>
          {needsBroker(startError.message) ? (
            <p>
              Connect your DNSE account in <Link href="/settings/broker">Settings → Broker</Link>, then try again.
            </p>
          ) : null}
        </div>
      ) : null}

      {jobId ? (
        <div className={styles.progressBox} data-testid="backfill-progress">
          <label className={styles.progressLabel}>
            {finished ? "Done" : failed ? "Stopped" : status === "queued" ? queuedLabel(job.data?.ahead) : "Loading"}: {job.data?.chunksDone ?? 0} of{" "}
            {job.data?.chunksTotal ?? "…"} chunks
            <progress max={Math.max(job.data?.chunksTotal ?? 1, 1)} value={job.data?.chunksDone ?? 0} />
          </label>
          <p className={styles.panelText} role="status">
            {formatExact(job.data?.fetched ?? 0)} bars fetched, {formatExact(job.data?.stored ?? 0)} stored
            {finished ? ". The chart has been reloaded." : "."}
          </p>
          {failed ? (
            <div role="alert" className={styles.panelError}>
              <p>{jobError ?? "The job stopped without saying why."}</p>
              {jobError && needsBroker(jobError) ? (
                <p>
                  Check your DNSE connection in <Link href="/settings/broker">Settings → Broker</Link>.
                </p>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
