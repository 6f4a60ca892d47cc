"use client";
import "@xyflow/react/dist/style.css";
import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type Node,
  type NodeChange,
  type NodeTypes,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type DragEvent } from "react";
import { graphSizeProblem, validateGraph, type WorkflowGraph } from "@/lib/workflows/graph";
import { missingForRun, notReadyText } from "@/lib/workflows/readiness";
import { defaultRegistry } from "@/lib/workflows/registry";
import { canvasReducer, initCanvas } from "./builderState";
import { arrangeCanvas, legibleFit } from "./canvasView";
import { copySelection, pasteClip, type Clip } from "./clipboard";
import { checkConnection } from "./connection";
import { BuilderContext } from "./context";
import { DRAG_TYPE, NodePalette } from "./NodePalette";
import { NodePanel } from "./NodePanel";
import { nodeInputs } from "./nodeIO";
import { lastRunBanner, pinnedBanner, pinnedRunView, pinRun, type PinnedRun } from "./pinnedRun";
import { applyDone, applyNodeEvent, IDLE_RUN, parseNodeEvent, parseQueuedEvent, queuedText, startRun, type RunView } from "./runState";
import { freshId, fromSavedGraph, graphKey, labelOf, newNode, toSavedGraph, type CanvasNode } from "./serialise";
import { WorkflowNode } from "./WorkflowNode";
import styles from "./builder.module.css";

export type SaveResult = { ok: true; updatedAt: string | Date } | { ok?: false; error: string; problems?: { nodeId?: string; edgeId?: string; message: string }[] };

export interface WorkflowBuilderProps {
  workflowId: string;
  name: string;
  initialGraph: unknown;
  save: (input: { id: string; graph: WorkflowGraph }) => Promise<SaveResult>;
  /** A past run's node states and outputs pinned on the canvas (`?run=<runId>`), until unpinned or run again. */
  pinned?: PinnedRun | null;
  /** Why a requested run was not pinned. */
  pinNotice?: string | null;
  /** Node types this installation cannot run, with the reason (shown in the palette, not hidden). */
  unavailable?: Record<string, string>;
}

const registry = defaultRegistry;
const nodeTypes: NodeTypes = Object.fromEntries(registry.list().map((d) => [d.type, WorkflowNode])) as NodeTypes;
/** Where the palette and the node settings are drawers (builder.module.css's phone breakpoint). */
const PHONE_LAYOUT = "(max-width: 760px)";
const CATEGORY_COLOURS: Record<string, string> = { trigger: "#e0a526", data: "#2fb3c9", indicator: "#a77bf3", logic: "#5ea2ff", output: "#3ecf7a" };

export function WorkflowBuilder(props: WorkflowBuilderProps) {
  return (
    <ReactFlowProvider>
      <Builder {...props} />
    </ReactFlowProvider>
  );
}

type Status = { tone: "info" | "error" | "success"; text: string } | null;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
}

function Builder({ workflowId, name, initialGraph, save, pinned: initialPinned = null, pinNotice = null, unavailable = {} }: WorkflowBuilderProps) {
  const initial = useMemo(() => fromSavedGraph(initialGraph), [initialGraph]);
  const [state, dispatch] = useReducer(canvasReducer, initial, initCanvas);
  const { nodes, edges } = state;
  const [savedKey, setSavedKey] = useState(() => graphKey(initial));
  const [status, setStatus] = useState<Status>(() => (pinNotice ? { tone: "error", text: pinNotice } : null));
  const [serverProblems, setServerProblems] = useState<{ nodeId?: string; edgeId?: string; message: string }[]>([]);
  const [saving, setSaving] = useState(false);
  const [pinned, setPinned] = useState<PinnedRun | null>(initialPinned);
  const [run, setRun] = useState<RunView>(() => (initialPinned ? pinnedRunView(initialPinned) : IDLE_RUN));
  // The record of the run last started here, read once it ends: the side panel shows a node's input and output.
  const [lastRun, setLastRun] = useState<PinnedRun | null>(null);
  const unpin = useCallback(() => {
    setPinned(null);
    setRun(IDLE_RUN);
  }, []);
  const [clip, setClip] = useState<{ clip: Clip; pasted: number } | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const stream = useRef<EventSource | null>(null);
  const flow = useReactFlow();

  const key = useMemo(() => graphKey({ nodes, edges }), [nodes, edges]);
  const dirty = key !== savedKey;
  const graph = useMemo(() => toSavedGraph({ nodes, edges }), [nodes, edges]);
  const problems = useMemo(() => validateGraph(graph, registry), [graph]);
  // A graph with no trigger or no output saves, but does not run: the Run button says what to add.
  const missing = useMemo(() => missingForRun(graph, registry), [graph]);
  const notReady = useMemo(() => notReadyText(graph, registry), [graph]);
  const problemsByNode = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const p of [...problems, ...serverProblems]) if (p.nodeId) m.set(p.nodeId, [...(m.get(p.nodeId) ?? []), p.message]);
    return m;
  }, [problems, serverProblems]);
  const badEdges = useMemo(() => new Set(problems.filter((p) => p.edgeId).map((p) => p.edgeId!)), [problems]);
  const view = useMemo(() => ({ registry, problems: problemsByNode, run }), [problemsByNode, run]);
  const shownEdges = useMemo(
    () =>
      edges.map((e) => {
        const s = run.nodes[e.source]?.status;
        return { ...e, animated: !pinned && s === "running", className: badEdges.has(e.id) ? styles.edgeInvalid : undefined };
      }),
    [edges, badEdges, run, pinned],
  );
  const selected = nodes.filter((n) => n.selected);

  const onNodesChange = useCallback((changes: NodeChange[]) => dispatch({ type: "nodes", changes }), []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => dispatch({ type: "edges", changes }), []);
  const isValidConnection = useCallback((c: Edge | Connection) => checkConnection(registry, nodes, edges, c).ok, [nodes, edges]);
  const onConnect = useCallback(
    (c: Connection) => {
      const check = checkConnection(registry, nodes, edges, c);
      if (!check.ok) {
        setStatus({ tone: "error", text: `Connection refused: ${check.reason}` });
        return;
      }
      dispatch({ type: "connect", connection: c });
      setStatus(null);
    },
    [nodes, edges],
  );
  const onConnectEnd = useCallback(
    (_e: MouseEvent | TouchEvent, c: FinalConnectionState) => {
      if (c.isValid !== false || !c.fromHandle || !c.toHandle) return;
      const forward = c.fromHandle.type === "source";
      const [from, to] = forward ? [c.fromHandle, c.toHandle] : [c.toHandle, c.fromHandle];
      const check = checkConnection(registry, nodes, edges, { source: from.nodeId, sourceHandle: from.id ?? null, target: to.nodeId, targetHandle: to.id ?? null });
      if (!check.ok) setStatus({ tone: "error", text: `Connection refused: ${check.reason}` });
    },
    [nodes, edges],
  );

  const addNodeAt = useCallback(
    (type: string, position: { x: number; y: number }) => {
      const def = registry.get(type);
      if (!def) return;
      const id = freshId(type, new Set(nodes.map((n) => n.id)));
      dispatch({ type: "add", nodes: [{ ...newNode(def, id, position), selected: true }] });
      setStatus({ tone: "info", text: `Added ${def.label} (${id}).` });
    },
    [nodes],
  );
  const addAtCentre = useCallback(
    (type: string) => {
      const r = wrapper.current?.getBoundingClientRect();
      const p = r ? flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
      const offset = (nodes.length % 5) * 24; // several adds in a row do not stack exactly
      addNodeAt(type, { x: p.x - 90 + offset, y: p.y - 30 + offset });
    },
    [flow, addNodeAt, nodes.length],
  );
  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const type = e.dataTransfer.getData(DRAG_TYPE);
      if (!type) return;
      addNodeAt(type, flow.screenToFlowPosition({ x: e.clientX - 90, y: e.clientY - 20 }));
    },
    [flow, addNodeAt],
  );

  const doSave = useCallback(async (): Promise<boolean> => {
    setSaving(true);
    try {
      const viewport = flow.getViewport();
      const graph = toSavedGraph({ nodes, edges, viewport });
      // Checked here too: a body over the server action's 1 MB limit would be refused before the app's own check.
      const tooLarge = graphSizeProblem(graph);
      if (tooLarge) {
        setStatus({ tone: "error", text: `Not saved: ${tooLarge.message}. Remove some nodes, or split the workflow in two.` });
        return false;
      }
      const result = await save({ id: workflowId, graph });
      if ("error" in result && result.error) {
        setServerProblems(result.problems ?? []);
        const count = result.problems?.length ?? 0;
        setStatus({ tone: "error", text: `Not saved: ${result.error}${count ? ` (${count} problem${count > 1 ? "s" : ""}, shown on the nodes)` : ""}` });
        return false;
      }
      setServerProblems([]);
      setSavedKey(key);
      setStatus({ tone: "success", text: "Saved." });
      return true;
    } catch (e) {
      setStatus({ tone: "error", text: `Not saved: ${(e as Error).message || "the server did not answer"}` });
      return false;
    } finally {
      setSaving(false);
    }
  }, [flow, save, workflowId, nodes, edges, key]);

  const loadRunRecord = useCallback(
    async (runId: string) => {
      try {
        const res = await fetch(`/api/workflows/${workflowId}/runs/${runId}`);
        if (!res.ok) return;
        const row = (await res.json()) as { id: string; status: string; executedAt: string | null; result: unknown };
        setLastRun(pinRun(row));
      } catch {
        // The panel simply shows no results; the run's page still has them.
      }
    },
    [workflowId],
  );

  const doRun = useCallback(async () => {
    if (notReady) {
      setStatus({ tone: "error", text: notReady });
      return;
    }
    if (problems.length > 0) {
      setStatus({ tone: "error", text: `Fix the ${problems.length} problem${problems.length > 1 ? "s" : ""} listed before running.` });
      return;
    }
    if (dirty && !(await doSave())) return;
    stream.current?.close();
    setPinned(null);
    setLastRun(null);
    setRun({ ...IDLE_RUN, status: "starting" });
    setStatus({ tone: "info", text: "Starting the run…" });
    try {
      const res = await fetch(`/api/workflows/${workflowId}/runs`, { method: "POST" });
      const body = (await res.json().catch(() => ({}))) as { runId?: string; error?: string; state?: string; ahead?: number };
      if (!res.ok || !body.runId) throw new Error(body.error ?? `the server answered ${res.status}`);
      const runId = body.runId;
      setRun(startRun(runId, nodes.map((n) => n.id)));
      setStatus({ tone: "info", text: body.state === "queued" ? queuedText(body.ahead ?? 0) : "Running…" });
      const es = new EventSource(`/api/workflows/${workflowId}/runs/${runId}/events`);
      stream.current = es;
      let started = body.state !== "queued";
      es.addEventListener("queued", (m) => {
        const ahead = parseQueuedEvent((m as MessageEvent<string>).data);
        if (!started && ahead !== null) setStatus({ tone: "info", text: queuedText(ahead) });
      });
      es.onmessage = (m) => {
        const ev = parseNodeEvent(m.data);
        if (!ev) return;
        if (!started) {
          started = true;
          setStatus({ tone: "info", text: "Running…" });
        }
        setRun((r) => applyNodeEvent(r, ev));
      };
      es.addEventListener("done", (m) => {
        es.close();
        void loadRunRecord(runId);
        const text = (m as MessageEvent<string>).data;
        const done = applyDone(IDLE_RUN, text);
        setRun((r) => applyDone(r, text));
        setStatus({
          tone: done.status === "success" ? "success" : "error",
          text: `Run ${done.status === "success" ? "succeeded" : "failed"}${done.durationMs !== undefined ? ` in ${done.durationMs} ms` : ""}${done.error ? `: ${done.error}` : ""}.`,
        });
      });
      es.onerror = () => {
        if (es.readyState === EventSource.CLOSED) return;
        es.close();
        setRun((r) => (r.status === "running" ? { ...r, status: "failed", error: "lost the run's event stream" } : r));
        setStatus({ tone: "error", text: "Lost the run's progress stream: see the run's page for its result." });
      };
    } catch (e) {
      setRun({ ...IDLE_RUN, status: "failed", error: (e as Error).message });
      setStatus({ tone: "error", text: `Could not start the run: ${(e as Error).message}` });
    }
  }, [notReady, problems.length, dirty, doSave, workflowId, nodes, loadRunRecord]);

  // Fit view never zooms below legible node text: a graph too big for the canvas is shown from its start.
  const fitLegibly = useCallback(() => {
    const r = wrapper.current?.getBoundingClientRect();
    const shown = flow.getNodes();
    if (!r || r.width === 0 || shown.length === 0) return;
    void flow.setViewport(legibleFit(flow.getNodesBounds(shown), r), { duration: 0 });
  }, [flow]);
  const nodesMeasured = useNodesInitialized();
  const fitOnOpen = useRef(!initial.viewport && initial.nodes.length > 0);
  const [fitAfterArrange, setFitAfterArrange] = useState(0);
  useEffect(() => {
    if (!nodesMeasured || !fitOnOpen.current) return;
    fitOnOpen.current = false;
    fitLegibly();
  }, [nodesMeasured, fitLegibly]);
  useEffect(() => {
    if (fitAfterArrange > 0) fitLegibly();
  }, [fitAfterArrange, fitLegibly]);
  const arrange = useCallback(() => {
    if (nodes.length === 0) return;
    const positions = arrangeCanvas(nodes, edges, registry, (id) => {
      const n = flow.getInternalNode(id);
      return n && { width: n.measured.width, height: n.measured.height, handles: n.internals.handleBounds };
    });
    dispatch({ type: "positions", positions });
    setFitAfterArrange((k) => k + 1);
    setStatus({ tone: "info", text: `Arranged ${nodes.length} node${nodes.length > 1 ? "s" : ""} left to right. Ctrl+Z puts them back.` });
  }, [nodes, edges, flow]);

  useEffect(() => () => stream.current?.close(), []);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    // In-app links (the navigation rail, "Open this run") do not unload the page: ask before following one.
    const onClick = (e: MouseEvent) => {
      const a = (e.target as HTMLElement | null)?.closest?.("a[href]");
      if (!a || e.defaultPrevented || a.getAttribute("target") === "_blank" || a.hasAttribute("download")) return;
      if (!window.confirm("This workflow has unsaved changes. Leave without saving?")) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", warn);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", warn);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Alt+Shift+T arranges, as n8n's "Tidy up" (the code, not the key: Alt changes the letter on a Mac).
      if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === "KeyT" && !isTyping(e.target)) {
        e.preventDefault();
        arrange();
        return;
      }
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const k = e.key.toLowerCase();
      if (k === "s") {
        e.preventDefault();
        void doSave();
        return;
      }
      if (isTyping(e.target)) return;
      if (k === "z" && !e.shiftKey) {
        e.preventDefault();
        dispatch({ type: "undo" });
      } else if ((k === "z" && e.shiftKey) || k === "y") {
        e.preventDefault();
        dispatch({ type: "redo" });
      } else if (k === "c") {
        const c = copySelection(nodes, edges);
        if (c) {
          setClip({ clip: c, pasted: 0 });
          setStatus({ tone: "info", text: `Copied ${c.nodes.length} node${c.nodes.length > 1 ? "s" : ""}.` });
        }
      } else if (k === "v" && clip) {
        e.preventDefault();
        const pasted = pasteClip(clip.clip, nodes, edges, clip.pasted + 1);
        dispatch({ type: "add", nodes: pasted.nodes, edges: pasted.edges });
        setClip({ clip: clip.clip, pasted: clip.pasted + 1 });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [doSave, nodes, edges, clip, arrange]);

  const selectNode = (id: string) => {
    onNodesChange(nodes.map((n) => ({ type: "select", id: n.id, selected: n.id === id })));
    const n = nodes.find((x) => x.id === id);
    if (n) void flow.setCenter(n.position.x + 90, n.position.y + 40, { duration: 200, zoom: flow.getZoom() });
  };
  const onData = useCallback((nodeId: string, data: CanvasNode["data"]) => dispatch({ type: "data", nodeId, data }), []);
  // On a phone the palette and the node settings are drawers over the canvas; only one is open at a time.
  const [drawer, setDrawer] = useState<"nodes" | "settings" | null>(null);
  const toggleDrawer = (which: "nodes" | "settings") => setDrawer((d) => (d === which ? null : which));
  // A tap on a node opens its settings where they are a drawer (a phone); elsewhere the panel is always shown.
  const onNodeClick = () => {
    if (window.matchMedia(PHONE_LAYOUT).matches) setDrawer("settings");
  };
  const shownRun = pinned ?? lastRun;
  const selectedResults =
    shownRun && selected.length === 1
      ? {
          kind: pinned ? ("pinned" as const) : ("last" as const),
          banner: pinned ? pinnedBanner(pinned.executedAt) : lastRunBanner(shownRun.executedAt, shownRun.status),
          node: shownRun.nodes[selected[0]!.id] ?? null,
          inputs: nodeInputs(selected[0]!.id, nodes, edges, registry, shownRun.nodes),
        }
      : null;
  const runStatusText = pinned ? null : run.status === "idle" ? null : run.status === "starting" ? "starting" : run.status;
  const live = !pinned && (run.status === "running" || run.status === "starting");

  return (
    <BuilderContext.Provider value={view}>
      <div className={styles.builder}>
        <div className={styles.toolbar}>
          <h1 className={styles.title}>
            {name}
            {dirty && (
              <span className={styles.dirty} data-testid="dirty-indicator" title="Unsaved changes">
                ● Unsaved changes
              </span>
            )}
          </h1>
          <div className={styles.toolbarActions}>
            <button type="button" className={`${styles.button} ${styles.drawerToggle}`} aria-expanded={drawer === "nodes"} aria-controls="wf-drawer-nodes" onClick={() => toggleDrawer("nodes")}>
              Nodes
            </button>
            <button type="button" className={`${styles.button} ${styles.drawerToggle}`} aria-expanded={drawer === "settings"} aria-controls="wf-drawer-settings" onClick={() => toggleDrawer("settings")}>
              Settings
            </button>
            <button type="button" className={styles.button} onClick={() => dispatch({ type: "undo" })} disabled={state.history.past.length === 0} title="Undo (Ctrl+Z)">
              Undo
            </button>
            <button type="button" className={styles.button} onClick={() => dispatch({ type: "redo" })} disabled={state.history.future.length === 0} title="Redo (Ctrl+Shift+Z or Ctrl+Y)">
              Redo
            </button>
            <button type="button" className={styles.button} onClick={arrange} disabled={nodes.length === 0} title="Lay the graph out left to right (Alt+Shift+T)" aria-keyshortcuts="Alt+Shift+T">
              Arrange
            </button>
            <button type="button" className={styles.button} onClick={() => void doSave()} disabled={saving} title="Save (Ctrl+S)">
              {saving ? "Saving…" : "Save"}
            </button>
            <button
              type="button"
              className={`${styles.button} ${styles.primary}`}
              onClick={() => void doRun()}
              disabled={live || notReady !== undefined}
              title={notReady}
            >
              {live ? "Running…" : "Run"}
            </button>
            {run.runId && (
              <a className={styles.link} href={`/workflows/${workflowId}/runs/${run.runId}`}>
                Open this run
              </a>
            )}
          </div>
        </div>
        <p className={styles.status} role="status" aria-live="polite" data-tone={status?.tone} data-testid="builder-status">
          {status?.text ?? (runStatusText ? `Run ${runStatusText}.` : (notReady ?? "\u00a0"))}
        </p>
        {pinned && (
          <div className={styles.pinnedBanner} role="note" data-testid="pinned-run-banner">
            <span>{pinnedBanner(pinned.executedAt)}</span>
            <button type="button" className={styles.button} onClick={unpin}>
              Unpin
            </button>
          </div>
        )}
        <div className={styles.workspace} data-drawer={drawer ?? undefined}>
          <NodePalette
            registry={registry}
            onAdd={(type) => {
              addAtCentre(type);
              setDrawer(null);
            }}
            unavailable={unavailable}
          />
          <div className={styles.canvas} ref={wrapper} onDragOver={onDragOver} onDrop={onDrop} data-testid="workflow-canvas">
            <ReactFlow
              nodes={nodes as Node[]}
              edges={shownEdges as Edge[]}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onConnectEnd={onConnectEnd}
              onNodeClick={onNodeClick}
              isValidConnection={isValidConnection}
              deleteKeyCode={["Backspace", "Delete"]}
              multiSelectionKeyCode={["Control", "Meta", "Shift"]}
              selectionKeyCode="Shift"
              defaultViewport={initial.viewport}
              minZoom={0.2}
              maxZoom={2}
              proOptions={{ hideAttribution: false }}
              className={styles.flow}
            >
              <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
              <MiniMap pannable zoomable ariaLabel="Mini map" nodeColor={(n) => CATEGORY_COLOURS[registry.get(n.type ?? "")?.category ?? ""] ?? "#888"} />
              <Controls aria-label="Zoom and fit view" showFitView={false}>
                <ControlButton onClick={fitLegibly} title="Fit view" aria-label="Fit view">
                  <svg viewBox="0 0 32 30" aria-hidden="true">
                    <path d="M3.7 11.2V3.7h7.5V0H0v11.2h3.7zM20.8 0v3.7h7.5v7.5H32V0H20.8zM28.3 26.3h-7.5V30H32V18.8h-3.7v7.5zM3.7 18.8H0V30h11.2v-3.7H3.7v-7.5z" />
                  </svg>
                </ControlButton>
              </Controls>
            </ReactFlow>
            {nodes.length === 0 && <p className={styles.empty}>Drag a node from the palette, or search for one and press Enter. Start with a trigger, then Candles.</p>}
          </div>
          <aside className={styles.panel} aria-label="Node settings" id="wf-drawer-settings">
            {selected.length === 1 ? (
              <NodePanel key={`${selected[0]!.id}:${state.version}`} node={selected[0]!} registry={registry} runState={run.nodes[selected[0]!.id]}
                results={selectedResults}
                onUnpin={unpin}
                onChange={onData}
              />
            ) : (
              <div className={styles.panelBody}>
                <h2 className={styles.panelTitle}>{selected.length > 1 ? `${selected.length} nodes selected` : "Workflow"}</h2>
                {missing.length > 0 && (
                  <>
                    <h3 className={styles.panelSubtitle}>Not ready to run</h3>
                    <ul className={styles.problemList} id="run-readiness" data-testid="run-readiness">
                      {missing.map((m) => (
                        <li key={m}>{m}</li>
                      ))}
                    </ul>
                  </>
                )}
                <h3 className={styles.panelSubtitle}>
                  {problems.length > 0 ? `${problems.length} problem${problems.length > 1 ? "s" : ""}` : missing.length > 0 ? "No problems" : "No problems: ready to run"}
                </h3>
                {problems.length > 0 && (
                  <ul className={styles.problemList} data-testid="problem-list">
                    {problems.map((p, i) => (
                      <li key={`${i}:${p.message}`}>
                        {p.nodeId && nodes.some((n) => n.id === p.nodeId) ? (
                          <button type="button" className={styles.linkButton} onClick={() => selectNode(p.nodeId!)}>
                            {p.message}
                          </button>
                        ) : (
                          p.message
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                <h3 className={styles.panelSubtitle}>Keyboard</h3>
                <dl className={styles.keys}>
                  <dt>Ctrl+Z / Ctrl+Shift+Z</dt>
                  <dd>Undo / redo</dd>
                  <dt>Ctrl+C / Ctrl+V</dt>
                  <dd>Copy / paste the selection</dd>
                  <dt>Delete</dt>
                  <dd>Delete the selection</dd>
                  <dt>Shift-drag, Ctrl-click</dt>
                  <dd>Select several</dd>
                  <dt>Ctrl+S</dt>
                  <dd>Save</dd>
                  <dt>Alt+Shift+T</dt>
                  <dd>Arrange the graph left to right</dd>
                </dl>
                {nodes.length > 0 && selected.length === 0 && <p className={styles.hint}>Select a node to change its settings. {nodes.length} nodes: {nodes.slice(0, 6).map((n) => labelOf(n, registry)).join(", ")}{nodes.length > 6 ? "…" : ""}.</p>}
              </div>
            )}
          </aside>
        </div>
      </div>
    </BuilderContext.Provider>
  );
}
