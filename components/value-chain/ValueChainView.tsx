"use client";
import "@xyflow/react/dist/style.css";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type EdgeChange,
  type EdgeTypes,
  type Node,
  type NodeChange,
  type NodeTypes,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { Skeleton } from "@/components/ui/Skeleton";
import { CHAIN_KEY, fetchChain, recomputeChain } from "./api";
import { EdgeForm, NodeForm } from "./EditForms";
import { ChainEdge, ChainNode, LaneNode, type ChainEdgeData, type ChainNodeData, type LaneData } from "./GraphParts";
import { layoutChain, NODE_HEIGHT, NODE_WIDTH } from "./layout";
import { edgeLook, filterChain, LANES, NO_FILTER, searchNodes, sectorColour, sectorsOf, type ChainFilter } from "./model";
import { ADMIN_ONLY, ChangeLog, DEFAULT_RECOMPUTE, EdgePanel, NodePanel } from "./Panels";
import type { ChainEdgeJson, ChainJson, NodeType } from "./types";
import styles from "./value-chain.module.css";

type PanelState =
  | { kind: "none" }
  | { kind: "node"; id: string }
  | { kind: "edge"; id: string }
  | { kind: "addNode" }
  | { kind: "editNode"; id: string }
  | { kind: "addEdge"; preset?: Partial<ChainEdgeJson> }
  | { kind: "editEdge"; id: string }
  | { kind: "log" };

const nodeTypes: NodeTypes = { chain: ChainNode, lane: LaneNode } as NodeTypes;
const edgeTypes: EdgeTypes = { chain: ChainEdge } as EdgeTypes;
/** Below this zoom the names and labels stop being readable: the first view never goes lower. */
const LEGIBLE_ZOOM = 0.75;

export function ValueChainView({ canEdit }: { canEdit: boolean }) {
  const chain = useQuery({ queryKey: CHAIN_KEY, queryFn: fetchChain });
  if (chain.isPending) return <ChainSkeleton />;
  if (chain.error) {
    return (
      <div className={styles.stateCard} role="alert" data-testid="chain-error">
        <h2 className={styles.panelTitle}>The value chain could not be loaded</h2>
        <p>{chain.error.message}</p>
        <button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => void chain.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <ChainWorkspace chain={chain.data} canEdit={canEdit} />
    </ReactFlowProvider>
  );
}

function ChainSkeleton() {
  return (
    <div className={styles.page} role="status" aria-live="polite" data-testid="chain-loading">
      <span className="visually-hidden">Loading the value chain…</span>
      <div className={styles.toolbar}>
        <Skeleton width={180} height={30} />
        <Skeleton width={140} height={30} />
        <Skeleton width={140} height={30} />
      </div>
      <div className={styles.skeletonLanes}>
        {LANES.map((l) => (
          <div key={l} className={styles.skeletonLane}>
            <Skeleton width="50%" height={16} />
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} height={NODE_HEIGHT - 10} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
}

function ChainWorkspace({ chain, canEdit }: { chain: ChainJson; canEdit: boolean }) {
  const flow = useReactFlow();
  const client = useQueryClient();
  const canvas = useRef<HTMLDivElement>(null);
  const [filter, setFilter] = useState<ChainFilter>(NO_FILTER);
  const [panel, setPanel] = useState<PanelState>({ kind: "none" });
  const [query, setQuery] = useState("");
  const sectors = useMemo(() => sectorsOf(chain), [chain]);
  const shown = useMemo(() => filterChain(chain, filter), [chain, filter]);
  const layout = useMemo(() => layoutChain(shown.nodes, shown.edges), [shown]);
  const names = useMemo(() => new Map(chain.nodes.map((n) => [n.id, n.name])), [chain]);

  const selectedNode = panel.kind === "node" ? panel.id : null;
  const selectedEdge = panel.kind === "edge" ? panel.id : null;
  const laneCount = useMemo(() => {
    const m = new Map<NodeType, number>();
    for (const n of shown.nodes) m.set(n.nodeType, (m.get(n.nodeType) ?? 0) + 1);
    return m;
  }, [shown]);
  const nodes = useMemo<Node[]>(
    () => [
      ...layout.lanes.map(
        (l): Node<LaneData> => ({
          id: `lane-${l.lane}`,
          type: "lane",
          position: { x: l.x, y: l.y },
          data: { lane: l.lane, count: laneCount.get(l.lane) ?? 0, width: l.width, height: l.height },
          width: l.width,
          height: l.height,
          selectable: false,
          focusable: false,
          draggable: false,
          zIndex: -1,
        }),
      ),
      ...shown.nodes.map(
        (n): Node<ChainNodeData> => ({
          id: n.id,
          type: "chain",
          position: layout.positions[n.id] ?? { x: 0, y: 0 },
          data: { node: n, context: shown.context.has(n.id) },
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
          selected: n.id === selectedNode,
          draggable: false,
          ariaLabel: `${n.name}${n.symbol ? `, ${n.symbol}` : ""}, ${n.sector}, ${n.nodeType}. Press Enter for its links.`,
        }),
      ),
    ],
    [layout, shown, laneCount, selectedNode],
  );
  const edges = useMemo<Edge[]>(
    () =>
      shown.edges.map(
        (e): Edge<ChainEdgeData> => ({
          id: e.id,
          type: "chain",
          source: e.sourceId,
          target: e.targetId,
          selected: e.id === selectedEdge,
          data: { look: edgeLook(e), sourceName: names.get(e.sourceId) ?? "?", targetName: names.get(e.targetId) ?? "?" },
          ariaLabel: `Link ${names.get(e.sourceId)} to ${names.get(e.targetId)}: ${edgeLook(e).label}. Press Enter for its analysis.`,
        }),
      ),
    [shown, selectedEdge, names],
  );

  // Enter on a focused node or link (React Flow selects it) and a click open its panel.
  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const picked = changes.find((c) => c.type === "select" && c.selected);
    if (picked && picked.type === "select" && !picked.id.startsWith("lane-")) setPanel({ kind: "node", id: picked.id });
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const picked = changes.find((c) => c.type === "select" && c.selected);
    if (picked && picked.type === "select") setPanel({ kind: "edge", id: picked.id });
  }, []);
  const close = useCallback(() => setPanel({ kind: "none" }), []);

  // The first view (and the view after a filter): readable names, the top of the lanes in sight. It
  // waits for every box of the layout to be in the page (the mark the page-draw benchmark reads).
  const fittedFor = useRef<unknown>(null);
  useEffect(() => {
    if (fittedFor.current === layout) return;
    let frame = 0;
    const tryFit = () => {
      const el = canvas.current;
      if (!el) return;
      const drawn = [...el.querySelectorAll<HTMLElement>(".react-flow__node-chain")].filter((n) => n.offsetWidth > 0 && n.style.visibility !== "hidden").length;
      if (drawn < shown.nodes.length || layout.lanes.length === 0) {
        frame = requestAnimationFrame(tryFit);
        return;
      }
      fittedFor.current = layout;
      const box = el.getBoundingClientRect();
      const left = Math.min(...layout.lanes.map((l) => l.x));
      const right = Math.max(...layout.lanes.map((l) => l.x + l.width));
      const zoom = Math.max(LEGIBLE_ZOOM, Math.min(1, (box.width - 32) / (right - left)));
      const x = (right - left) * zoom < box.width ? (box.width - (right - left) * zoom) / 2 - left * zoom : 12 - left * zoom;
      void flow.setViewport({ x, y: 12, zoom });
      if (el.dataset.drawn !== "true") {
        performance.mark("qf:value-chain-drawn");
        el.dataset.drawn = "true";
      }
    };
    frame = requestAnimationFrame(tryFit);
    return () => cancelAnimationFrame(frame);
  }, [layout, flow, shown.nodes.length]);

  const focusNode = useCallback(
    (id: string) => {
      if (!shown.nodes.some((n) => n.id === id)) setFilter(NO_FILTER);
      setPanel({ kind: "node", id });
      setQuery("");
      // After the (possibly unfiltered) layout is drawn.
      requestAnimationFrame(() => {
        const p = layoutChain(chain.nodes, chain.edges).positions[id];
        const pos = shown.nodes.some((n) => n.id === id) ? layout.positions[id] : p;
        if (pos) void flow.setCenter(pos.x + NODE_WIDTH / 2, pos.y + NODE_HEIGHT / 2, { zoom: Math.max(flow.getZoom(), 0.9), duration: 250 });
        canvas.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)?.focus({ preventScroll: true });
      });
    },
    [shown, layout, chain, flow],
  );
  const openEdge = useCallback((id: string) => setPanel({ kind: "edge", id }), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || panel.kind === "none") return;
      if (isTyping(e.target) && (panel.kind === "node" || panel.kind === "edge")) return;
      setPanel({ kind: "none" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [panel.kind]);

  const recomputeAll = useMutation({
    mutationFn: () => recomputeChain(DEFAULT_RECOMPUTE),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: CHAIN_KEY }), client.invalidateQueries({ queryKey: ["value-chain", "analyses"] })]),
  });
  const results = useMemo(() => {
    const edges = recomputeAll.data?.edges ?? [];
    return { done: edges.filter((e) => e.ok).length, failed: edges.filter((e): e is { edgeId: string; ok: false; error: string } => !e.ok) };
  }, [recomputeAll.data]);
  const edgeName = (id: string) => {
    const e = chain.edges.find((x) => x.id === id);
    return e ? `${names.get(e.sourceId)} → ${names.get(e.targetId)}` : "a removed link";
  };

  const matches = useMemo(() => searchNodes(chain.nodes, query), [chain.nodes, query]);
  const onSearchKey = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" && matches[0]) {
      e.preventDefault();
      focusNode(matches[0].id);
    } else if (e.key === "Escape") setQuery("");
  };

  const panelNode = panel.kind === "node" || panel.kind === "editNode" ? chain.nodes.find((n) => n.id === panel.id) : undefined;
  const panelEdge = panel.kind === "edge" || panel.kind === "editEdge" ? chain.edges.find((e) => e.id === panel.id) : undefined;
  const empty = chain.nodes.length === 0;
  const filtered = filter.sector !== "" || filter.lane !== "" || filter.significantOnly;

  let panelContent: React.ReactNode = null;
  let panelLabel = "";
  if (panel.kind === "node" && panelNode) {
    panelLabel = "Node";
    panelContent = (
      <NodePanel
        key={panelNode.id}
        node={panelNode}
        chain={chain}
        canEdit={canEdit}
        onOpenEdge={openEdge}
        onEdit={() => setPanel({ kind: "editNode", id: panelNode.id })}
        onAddLink={() => setPanel({ kind: "addEdge", preset: { sourceId: panelNode.id } })}
        onClosed={close}
      />
    );
  } else if (panel.kind === "edge" && panelEdge) {
    panelLabel = "Link";
    panelContent = (
      <EdgePanel key={panelEdge.id} edge={panelEdge} chain={chain} canEdit={canEdit} onOpenNode={focusNode} onEdit={() => setPanel({ kind: "editEdge", id: panelEdge.id })} onClosed={close} />
    );
  } else if (panel.kind === "addNode" || (panel.kind === "editNode" && panelNode)) {
    panelLabel = "Node form";
    panelContent = <NodeForm key={panelNode?.id ?? "new"} node={panelNode} onDone={(n) => setPanel({ kind: "node", id: n.id })} onCancel={() => setPanel(panelNode ? { kind: "node", id: panelNode.id } : { kind: "none" })} />;
  } else if (panel.kind === "addEdge" || (panel.kind === "editEdge" && panelEdge)) {
    panelLabel = "Link form";
    panelContent = (
      <EdgeForm
        key={panelEdge?.id ?? "new"}
        edge={panelEdge}
        preset={panel.kind === "addEdge" ? panel.preset : undefined}
        nodes={chain.nodes}
        onDone={(e) => setPanel({ kind: "edge", id: e.id })}
        onCancel={() => setPanel(panelEdge ? { kind: "edge", id: panelEdge.id } : { kind: "none" })}
      />
    );
  } else if (panel.kind === "log") {
    panelLabel = "Change log";
    panelContent = <ChangeLog />;
  }
  const open = panelContent !== null;

  return (
    <div className={styles.page} data-testid="value-chain">
      <div className={styles.toolbar} role="toolbar" aria-label="Filters and actions">
        <div className={styles.search}>
          <label htmlFor="vc-search" className="visually-hidden">
            Find a node
          </label>
          <input
            id="vc-search"
            type="search"
            className={styles.input}
            placeholder="Find a node (name or symbol)"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onSearchKey}
            autoComplete="off"
            aria-controls="vc-search-results"
            aria-expanded={matches.length > 0}
            role="combobox"
          />
          {matches.length > 0 ? (
            <ul id="vc-search-results" className={styles.searchResults} role="listbox" aria-label="Matching nodes">
              {matches.map((n) => (
                <li key={n.id} role="option" aria-selected={false}>
                  <button type="button" onClick={() => focusNode(n.id)} className={styles.searchResult}>
                    <span className={styles.sectorDot} style={{ ["--sector" as string]: sectorColour(n.sector) }} aria-hidden="true" />
                    {n.name}
                    {n.symbol ? <span className={styles.mono}> {n.symbol}</span> : null}
                    <span className={styles.muted}> · {n.nodeType}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <label className={styles.inline}>
          <span>Sector</span>
          <select className={styles.input} value={filter.sector} onChange={(e) => setFilter((f) => ({ ...f, sector: e.target.value }))}>
            <option value="">All sectors</option>
            {sectors.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.inline}>
          <span>Lane</span>
          <select className={styles.input} value={filter.lane} onChange={(e) => setFilter((f) => ({ ...f, lane: e.target.value as NodeType | "" }))}>
            <option value="">All lanes</option>
            {LANES.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.inline}>
          <input type="checkbox" checked={filter.significantOnly} onChange={(e) => setFilter((f) => ({ ...f, significantOnly: e.target.checked }))} />
          <span>Significant links only</span>
        </label>
        {filtered ? (
          <button type="button" className={styles.button} onClick={() => setFilter(NO_FILTER)}>
            Clear filters
          </button>
        ) : null}
        <span className={styles.spacer} />
        {canEdit ? (
          <>
            <button type="button" className={styles.button} onClick={() => setPanel({ kind: "addNode" })}>
              Add node
            </button>
            <button type="button" className={styles.button} onClick={() => setPanel({ kind: "addEdge" })} disabled={chain.nodes.length < 2} title={chain.nodes.length < 2 ? "A link needs two nodes" : undefined}>
              Add link
            </button>
          </>
        ) : null}
        <button
          type="button"
          className={styles.button}
          onClick={() => recomputeAll.mutate()}
          disabled={!canEdit || recomputeAll.isPending || chain.edges.length === 0}
          title={canEdit ? "Recompute every link: 3 years of daily bars, K = 20" : ADMIN_ONLY}
          aria-describedby={canEdit ? undefined : "vc-readonly-note"}
        >
          {recomputeAll.isPending ? "Recomputing…" : "Recompute chain"}
        </button>
        <button type="button" className={styles.button} aria-pressed={panel.kind === "log"} onClick={() => setPanel(panel.kind === "log" ? { kind: "none" } : { kind: "log" })}>
          Change log
        </button>
      </div>
      <div className={styles.statusLine} role="status" aria-live="polite" data-testid="chain-status">
        {recomputeAll.error ? (
          <span className={styles.fieldError}>Not recomputed: {recomputeAll.error.message}</span>
        ) : recomputeAll.data ? (
          <span>
            Recomputed {results.done} of {recomputeAll.data.edges.length} links
            {results.failed.length ? (
              <details className={styles.inlineDetails}>
                <summary>{results.failed.length} could not be</summary>
                <ul>
                  {results.failed.map((f) => (
                    <li key={f.edgeId}>
                      {edgeName(f.edgeId)}: {f.error}
                    </li>
                  ))}
                </ul>
              </details>
            ) : (
              "."
            )}
          </span>
        ) : !canEdit ? (
          <span id="vc-readonly-note" data-testid="chain-readonly-note">
            {ADMIN_ONLY}
          </span>
        ) : (
          <span className={styles.muted}>
            {shown.nodes.length} nodes, {shown.edges.length} links{filtered ? " (filtered)" : ""}. Tab to a node and press Enter for its links; Escape closes the panel. Times in GMT+7.
          </span>
        )}
      </div>
      <div className={styles.workspace} data-panel={open ? "open" : "closed"}>
        <div className={styles.canvas} ref={canvas} data-testid="chain-canvas" data-nodes={shown.nodes.length}>
          {empty ? (
            <div className={styles.emptyState} data-testid="chain-empty">
              <h2 className={styles.panelTitle}>The value chain is empty</h2>
              <p>
                {canEdit
                  ? "Add the first node with “Add node” (say an input such as iron ore, Upstream), then the companies it feeds and the links between them."
                  : "An admin of this installation can add its nodes and links."}{" "}
                To load the demo chain (steel, energy, retail), run <code>npm run db:seed</code> on an empty chain.
              </p>
            </div>
          ) : (
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onPaneClick={() => (panel.kind === "node" || panel.kind === "edge" ? close() : undefined)}
              nodesDraggable={false}
              nodesConnectable={false}
              deleteKeyCode={null}
              panOnScroll
              zoomOnPinch
              minZoom={0.15}
              maxZoom={2}
              proOptions={{ hideAttribution: false }}
              className={styles.flow}
            >
              <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
              <MiniMap pannable zoomable ariaLabel="Mini map" className={styles.minimap} bgColor="var(--surface)" maskColor="rgba(0, 0, 0, 0.35)" nodeColor={(n) => (n.type === "lane" ? "transparent" : sectorColour((n.data as ChainNodeData).node.sector))} />
              <Controls aria-label="Zoom and fit view" showInteractive={false} />
            </ReactFlow>
          )}
          {!empty ? <Legend /> : null}
          {!empty && shown.nodes.length === 0 ? <p className={styles.emptyOverlay}>No node matches these filters.</p> : null}
        </div>
        {open ? (
          <aside className={styles.panel} aria-label={panelLabel} data-kind={panel.kind} data-testid="chain-panel">
            <button type="button" className={styles.closeButton} onClick={close} aria-label="Close the panel (Escape)">
              ×
            </button>
            {panelContent}
          </aside>
        ) : null}
      </div>
    </div>
  );
}

/** How to read the graph: a small disclosure in the canvas's corner, closed by default. */
function Legend() {
  return (
    <details className={styles.legendBox} data-testid="chain-legend">
      <summary>Legend</summary>
      <ul className={styles.legend}>
        <li>
          <span className={styles.legendLine} data-tone="positive" /> ρ &gt; 0: they move together
        </li>
        <li>
          <span className={styles.legendLine} data-tone="negative" /> ρ &lt; 0: they move apart
        </li>
        <li>
          <span className={styles.legendLine} data-tone="none" data-dashed="true" /> dashed: not significant, or not computed yet
        </li>
        <li>Thicker: more weight (|ρ| of a significant link).</li>
        <li>“leads 3 d”: the source moves 3 trading days first.</li>
        <li>
          Day&apos;s change: <span className={styles.nodeMove} data-tone="up">up</span>, <span className={styles.nodeMove} data-tone="down">down</span>,{" "}
          <span className={styles.nodeMove} data-tone="unchanged">unchanged</span>.
        </li>
        <li className={styles.muted}>Correlation is not causation: a lead says which series moved first in the window, not why.</li>
      </ul>
    </details>
  );
}
