"use client";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { formatDateTimeVn } from "@/components/ui/datetime";
import { Skeleton } from "@/components/ui/Skeleton";
import { CHAIN_KEY, CHANGES_KEY, deleteEdge, deleteNode, fetchChanges, fetchHistory, historyKey, recomputeEdge, type RecomputeParams } from "./api";
import { ACTION_WORDS, describeChange } from "./forms";
import { LagChart } from "./LagChart";
import { edgeLabel, edgeLook, leadText, linksOf, moveText, moveTone, sectorColour } from "./model";
import type { ChainEdgeJson, ChainJson, ChainNodeJson } from "./types";
import styles from "./value-chain.module.css";

const when = (iso: string) => formatDateTimeVn(new Date(iso));
const rho = (x: number) => (x < 0 ? `−${Math.abs(x).toFixed(2)}` : x.toFixed(2));

export const ADMIN_ONLY = "Editing the chain and recomputing its links are for admins (it is shared by every user). Ask an admin of this installation.";

/** Removing needs a second, explicit press: no modal, the question stays in the panel. */
function ConfirmDelete({ question, onConfirm, pending, error }: { question: string; onConfirm: () => void; pending: boolean; error?: string }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={`${styles.button} ${styles.danger}`} onClick={() => setAsking(true)}>
        Delete…
      </button>
    );
  }
  return (
    <div className={styles.confirm} role="group" aria-label="Confirm removal">
      <p>{question}</p>
      <div className={styles.formActions}>
        <button type="button" className={`${styles.button} ${styles.danger}`} onClick={onConfirm} disabled={pending} autoFocus>
          {pending ? "Deleting…" : "Yes, delete"}
        </button>
        <button type="button" className={styles.button} onClick={() => setAsking(false)}>
          Keep it
        </button>
      </div>
      {error ? (
        <p role="alert" className={styles.fieldError}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function useRemove(fn: () => Promise<unknown>, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: CHAIN_KEY }), client.invalidateQueries({ queryKey: CHANGES_KEY })]);
      onDone();
    },
  });
}

function LinkList({ title, edges, chain, side, onOpenEdge, testId }: { title: string; edges: ChainEdgeJson[]; chain: ChainJson; side: "source" | "target"; onOpenEdge: (id: string) => void; testId: string }) {
  const byId = new Map(chain.nodes.map((n) => [n.id, n]));
  return (
    <section className={styles.section} aria-label={title}>
      <h3 className={styles.sectionTitle}>
        {title} ({edges.length})
      </h3>
      {edges.length === 0 ? (
        <p className={styles.muted}>None.</p>
      ) : (
        <ul className={styles.linkList} data-testid={testId}>
          {edges.map((e) => {
            const other = byId.get(side === "source" ? e.sourceId : e.targetId);
            const look = edgeLook(e);
            return (
              <li key={e.id}>
                <button type="button" className={styles.linkButton} onClick={() => onOpenEdge(e.id)}>
                  <span className={styles.linkName}>
                    {side === "source" ? `${other?.name ?? "?"} →` : `→ ${other?.name ?? "?"}`}
                    {e.relationship ? <span className={styles.muted}> · {e.relationship}</span> : null}
                  </span>
                  <span className={styles.linkValue} data-tone={look.tone} data-significant={look.significant ? "true" : "false"}>
                    {look.label}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function NodePanel({
  node,
  chain,
  canEdit,
  onOpenEdge,
  onEdit,
  onAddLink,
  onClosed,
}: {
  node: ChainNodeJson;
  chain: ChainJson;
  canEdit: boolean;
  onOpenEdge: (id: string) => void;
  onEdit: () => void;
  onAddLink: () => void;
  onClosed: () => void;
}) {
  const { upstream, downstream } = linksOf(chain, node.id);
  const remove = useRemove(() => deleteNode(node.id), onClosed);
  const links = upstream.length + downstream.length;
  return (
    <div className={styles.panelBody} data-testid="node-panel">
      <p className={styles.kicker} style={{ ["--sector" as string]: sectorColour(node.sector) }}>
        <span className={styles.sectorDot} aria-hidden="true" /> {node.sector} · {node.nodeType}
      </p>
      <h2 className={styles.panelTitle}>{node.name}</h2>
      <dl className={styles.facts}>
        <dt>Symbol</dt>
        <dd>{node.symbol ? <span className={styles.mono}>{node.symbol}</span> : "not listed"}</dd>
        {node.market ? (
          <>
            <dt>Last close</dt>
            <dd>
              {node.market.close.toLocaleString("en-US")}{" "}
              <span className={styles.nodeMove} data-tone={moveTone(node.market.changePct)}>
                {moveText(node.market.changePct)}
              </span>
            </dd>
            <dt>As of</dt>
            <dd>{when(node.market.asOf)}</dd>
          </>
        ) : null}
      </dl>
      {node.description ? <p className={styles.description}>{node.description}</p> : null}
      {node.symbol ? (
        <Link href={`/charts/${encodeURIComponent(node.symbol)}`} className={styles.chartLink}>
          Open the {node.symbol} chart →
        </Link>
      ) : null}
      <LinkList title="Upstream links" edges={upstream} chain={chain} side="source" onOpenEdge={onOpenEdge} testId="upstream-links" />
      <LinkList title="Downstream links" edges={downstream} chain={chain} side="target" onOpenEdge={onOpenEdge} testId="downstream-links" />
      {canEdit ? (
        <div className={styles.formActions}>
          <button type="button" className={styles.button} onClick={onEdit}>
            Edit node
          </button>
          <button type="button" className={styles.button} onClick={onAddLink}>
            Add a link from here
          </button>
          <ConfirmDelete
            question={`Delete ${node.name}${links ? ` and its ${links} link${links === 1 ? "" : "s"}` : ""}? The change log keeps what it was.`}
            onConfirm={() => remove.mutate()}
            pending={remove.isPending}
            error={remove.error?.message}
          />
        </div>
      ) : null}
    </div>
  );
}

const WINDOWS = [1, 3, 5] as const;

export function RecomputeFields({ value, onChange, idPrefix }: { value: RecomputeParams; onChange: (p: RecomputeParams) => void; idPrefix: string }) {
  return (
    <div className={styles.fieldRow}>
      <div className={styles.field}>
        <label htmlFor={`${idPrefix}-window`} className={styles.fieldLabel}>
          Window
        </label>
        <select id={`${idPrefix}-window`} className={styles.input} value={value.windowYears} onChange={(e) => onChange({ ...value, windowYears: Number(e.target.value) as 1 | 3 | 5 })}>
          {WINDOWS.map((w) => (
            <option key={w} value={w}>
              {w} year{w > 1 ? "s" : ""}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.field}>
        <label htmlFor={`${idPrefix}-k`} className={styles.fieldLabel}>
          Lags K
        </label>
        <input id={`${idPrefix}-k`} className={styles.input} type="number" min={1} max={250} value={value.maxLag} onChange={(e) => onChange({ ...value, maxLag: Number(e.target.value) })} />
      </div>
      <div className={styles.field}>
        <label htmlFor={`${idPrefix}-asof`} className={styles.fieldLabel}>
          As of (dd/mm/yyyy)
        </label>
        <input id={`${idPrefix}-asof`} className={styles.input} type="text" inputMode="numeric" placeholder="latest" value={value.asOf ?? ""} onChange={(e) => onChange({ ...value, asOf: e.target.value || undefined })} />
      </div>
    </div>
  );
}

export const DEFAULT_RECOMPUTE: RecomputeParams = { windowYears: 3, maxLag: 20 };

export function EdgePanel({
  edge,
  chain,
  canEdit,
  onOpenNode,
  onEdit,
  onClosed,
}: {
  edge: ChainEdgeJson;
  chain: ChainJson;
  canEdit: boolean;
  onOpenNode: (id: string) => void;
  onEdit: () => void;
  onClosed: () => void;
}) {
  const client = useQueryClient();
  const source = chain.nodes.find((n) => n.id === edge.sourceId);
  const target = chain.nodes.find((n) => n.id === edge.targetId);
  const a = edge.latestAnalysis;
  const history = useQuery({ queryKey: historyKey(edge.id), queryFn: () => fetchHistory(edge.id) });
  const [params, setParams] = useState<RecomputeParams>(() => (a ? { windowYears: a.windowYears as 1 | 3 | 5, maxLag: a.maxLag } : DEFAULT_RECOMPUTE));
  const recompute = useMutation({
    mutationFn: () => recomputeEdge(edge.id, params),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: CHAIN_KEY }), client.invalidateQueries({ queryKey: historyKey(edge.id) })]),
  });
  const remove = useRemove(() => deleteEdge(edge.id), onClosed);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    recompute.mutate();
  };
  const look = edgeLook(edge);
  return (
    <div className={styles.panelBody} data-testid="edge-panel">
      <p className={styles.kicker}>Link{edge.relationship ? ` · ${edge.relationship}` : ""}</p>
      <h2 className={styles.panelTitle}>
        <button type="button" className={styles.titleLink} onClick={() => source && onOpenNode(source.id)}>
          {source?.name ?? "?"}
        </button>{" "}
        →{" "}
        <button type="button" className={styles.titleLink} onClick={() => target && onOpenNode(target.id)}>
          {target?.name ?? "?"}
        </button>
      </h2>
      <p className={styles.edgeSummary} data-tone={look.tone} data-testid="edge-summary">
        {edgeLabel(edge)}
        {a ? (a.significant ? " · significant" : " · not significant") : edge.correlationCoeff !== null ? " · set by hand" : ""}
      </p>
      {a ? (
        <section className={styles.section} aria-label="Analysis" data-testid="edge-analysis">
          <h3 className={styles.sectionTitle}>Cross-correlation of daily log returns</h3>
          <LagChart analysis={a} />
          <dl className={styles.facts}>
            <dt>Lead</dt>
            <dd>
              {leadText(a.leadTimeDays)} (k = {a.leadTimeDays})
            </dd>
            <dt>ρ at the lead</dt>
            <dd>{rho(a.correlation)}</dd>
            <dt>Significant</dt>
            <dd>{a.significant ? "yes, beyond the corrected band" : "no: within the band corrected for the lags tested"}</dd>
            <dt>n</dt>
            <dd>{a.n.toLocaleString("en-US")} common trading days</dd>
            <dt>Window</dt>
            <dd>
              {a.windowYears} year{a.windowYears > 1 ? "s" : ""} to {a.asOf.split("-").reverse().join("/")}, K = {a.maxLag}
            </dd>
            <dt>Computed</dt>
            <dd data-testid="edge-computed-at">{when(a.computedAt)}</dd>
          </dl>
        </section>
      ) : (
        <p className={styles.muted} data-testid="edge-not-computed">
          Not computed yet: {canEdit ? "recompute it below" : "an admin can recompute it"}. Both ends need daily price series.
        </p>
      )}
      <form onSubmit={submit} className={styles.section} aria-label="Recompute this link">
        <h3 className={styles.sectionTitle}>Recompute</h3>
        <RecomputeFields value={params} onChange={setParams} idPrefix="vc-edge-recompute" />
        <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={!canEdit || recompute.isPending} aria-describedby={canEdit ? undefined : "vc-edge-admin-only"}>
          {recompute.isPending ? "Recomputing…" : "Recompute this link"}
        </button>
        {!canEdit ? (
          <p id="vc-edge-admin-only" className={styles.fieldHint}>
            {ADMIN_ONLY}
          </p>
        ) : null}
        {recompute.error ? (
          <p role="alert" className={styles.fieldError} data-testid="recompute-error">
            Not recomputed: {recompute.error.message}
          </p>
        ) : recompute.data ? (
          <p role="status" className={styles.success} data-testid="recompute-result">
            Recomputed: ρ {rho(recompute.data.correlation)} · {leadText(recompute.data.leadTimeDays)}, n = {recompute.data.n},{" "}
            {recompute.data.significant ? "significant" : "not significant"}.
          </p>
        ) : null}
      </form>
      <section className={styles.section} aria-label="History of recomputations">
        <h3 className={styles.sectionTitle}>History</h3>
        {history.isPending ? (
          <Skeleton height={60} />
        ) : history.error ? (
          <p role="alert" className={styles.fieldError}>
            The history could not be read: {history.error.message}
          </p>
        ) : history.data.analyses.length === 0 ? (
          <p className={styles.muted}>Never computed.</p>
        ) : (
          <div className={styles.tableWrap}>
            <table className={styles.table} data-testid="edge-history">
              <thead>
                <tr>
                  <th scope="col">Computed (GMT+7)</th>
                  <th scope="col">Window</th>
                  <th scope="col" className={styles.num}>
                    Lead
                  </th>
                  <th scope="col" className={styles.num}>
                    ρ
                  </th>
                  <th scope="col" className={styles.num}>
                    n
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.data.analyses.map((h) => (
                  <tr key={h.id} data-significant={h.significant ? "true" : "false"}>
                    <td>{when(h.computedAt).replace(" GMT+7", "")}</td>
                    <td>
                      {h.windowYears} y, K {h.maxLag}
                    </td>
                    <td className={styles.num}>{h.leadTimeDays} d</td>
                    <td className={styles.num}>
                      {rho(h.correlation)}
                      {h.significant ? "" : "*"}
                    </td>
                    <td className={styles.num}>{h.n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className={styles.fieldHint}>* not significant</p>
          </div>
        )}
      </section>
      {canEdit ? (
        <div className={styles.formActions}>
          <button type="button" className={styles.button} onClick={onEdit}>
            Edit link
          </button>
          <ConfirmDelete question="Delete this link and its history of analyses? The change log keeps what it was." onConfirm={() => remove.mutate()} pending={remove.isPending} error={remove.error?.message} />
        </div>
      ) : null}
    </div>
  );
}

/** Who changed what in the chain, newest first, a page at a time. */
export function ChangeLog() {
  const q = useInfiniteQuery({
    queryKey: CHANGES_KEY,
    queryFn: ({ pageParam }) => fetchChanges(pageParam),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
  });
  const changes = q.data?.pages.flatMap((p) => p.changes) ?? [];
  return (
    <div className={styles.panelBody} data-testid="change-log">
      <h2 className={styles.panelTitle}>Change log</h2>
      <p className={styles.muted}>Every change to the chain: who, when (GMT+7), before → after.</p>
      {q.isPending ? (
        <Skeleton height={80} />
      ) : q.error ? (
        <p role="alert" className={styles.fieldError}>
          The change log could not be read: {q.error.message}
        </p>
      ) : changes.length === 0 ? (
        <p className={styles.muted}>No change yet.</p>
      ) : (
        <ol className={styles.log}>
          {changes.map((c) => (
            <li key={c.id} className={styles.logItem} data-testid="change-entry">
              <p className={styles.logHead}>
                <strong>
                  {c.entity === "node" ? "Node" : "Link"} {ACTION_WORDS[c.action]}
                </strong>
                : {c.label}
              </p>
              <p className={styles.logMeta}>
                {c.userEmail ?? "the demo seed (or a deleted account)"} · {when(c.changedAt)}
              </p>
              <ul className={styles.logFields}>
                {describeChange(c).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {q.hasNextPage ? (
        <button type="button" className={styles.button} onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          {q.isFetchingNextPage ? "Loading…" : "Older changes"}
        </button>
      ) : null}
    </div>
  );
}
