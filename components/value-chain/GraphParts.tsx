"use client";
import { BaseEdge, EdgeLabelRenderer, getBezierPath, Handle, Position, type EdgeProps, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { moveText, moveTone, sectorColour, type EdgeLook } from "./model";
import type { ChainNodeJson, NodeType } from "./types";
import styles from "./value-chain.module.css";

export type ChainNodeData = { node: ChainNodeJson; context: boolean };
export type LaneData = { lane: NodeType; count: number; width: number; height: number };
export type ChainEdgeData = { look: EdgeLook; sourceName: string; targetName: string };

/** A link of the chain: name, symbol, sector colour and the day's move in the price board's colours. */
function ChainNodeView({ data, selected }: NodeProps & { data: ChainNodeData }) {
  const n = data.node;
  const tone = moveTone(n.market?.changePct);
  return (
    <div
      className={styles.node}
      style={{ ["--sector" as string]: sectorColour(n.sector) }}
      data-selected={selected ? "true" : undefined}
      data-context={data.context ? "true" : undefined}
      data-testid={`chain-node-${n.symbol ?? n.id}`}
      title={`${n.name}${n.symbol ? ` (${n.symbol})` : ""} · ${n.sector} · ${n.nodeType}${data.context ? " · linked to the filtered nodes" : ""}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className={styles.handle} />
      <span className={styles.nodeName}>{n.name}</span>
      <span className={styles.nodeMeta}>
        <span className={styles.nodeSymbol}>{n.symbol ?? "not listed"}</span>
        <span className={styles.nodeSector}>{n.sector}</span>
        {n.market?.changePct !== null && n.market?.changePct !== undefined ? (
          <span className={styles.nodeMove} data-tone={tone} aria-label={`day's change ${moveText(n.market.changePct)}`}>
            {moveText(n.market.changePct)}
          </span>
        ) : null}
      </span>
      <Handle type="source" position={Position.Right} isConnectable={false} className={styles.handle} />
    </div>
  );
}
export const ChainNode = memo(ChainNodeView);

/** The background and header of a lane (Upstream, Midstream, Downstream), behind its column. */
function LaneView({ data }: NodeProps & { data: LaneData }) {
  return (
    <div className={styles.lane} data-lane={data.lane} style={{ width: data.width, height: data.height }} aria-hidden="true">
      <span className={styles.laneTitle}>
        {data.lane} <span className={styles.laneCount}>{data.count}</span>
      </span>
    </div>
  );
}
export const LaneNode = memo(LaneView);

/** A measured link: thicker by weight, coloured by the sign of ρ, dashed unless significant, labelled. */
function ChainEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected }: EdgeProps & { data?: ChainEdgeData }) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const look = data?.look;
  if (!look) return null;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={styles.edgePath}
        data-tone={look.tone}
        data-selected={selected ? "true" : undefined}
        style={{ strokeWidth: selected ? look.width + 1.5 : look.width, strokeDasharray: look.dashed ? "6 5" : undefined }}
        interactionWidth={16}
      />
      <EdgeLabelRenderer>
        <div
          className={styles.edgeLabel}
          data-tone={look.tone}
          data-selected={selected ? "true" : undefined}
          data-significant={look.significant ? "true" : "false"}
          data-testid={`chain-edge-label-${id}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
        >
          {look.label}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}
export const ChainEdge = memo(ChainEdgeView);
