/**
 * The node registry: every node type the builder's palette offers and the engine can run. Other issues
 * (value chain, portfolio, memory) add their node types by passing more definitions to createRegistry.
 */
import type { AnyNodeDefinition } from "./nodes/define";
import { dataNodes } from "./nodes/data";
import { indicatorNodes } from "./nodes/indicators";
import { logicNodes } from "./nodes/logic";
import { memoryNodes } from "./nodes/memory";
import { outputNodes } from "./nodes/outputs";
import { portfolioNodes } from "./nodes/portfolio";
import { triggerNodes } from "./nodes/triggers";
import { valueChainNodes } from "./nodes/valuechain";

export { defineNode, type AnyNodeDefinition } from "./nodes/define";

export interface NodeRegistry {
  get(type: string): AnyNodeDefinition | undefined;
  list(): AnyNodeDefinition[];
}

export function createRegistry(definitions: readonly AnyNodeDefinition[]): NodeRegistry {
  const byType = new Map<string, AnyNodeDefinition>();
  for (const d of definitions) {
    if (byType.has(d.type)) throw new Error(`Node type "${d.type}" is registered twice`);
    byType.set(d.type, d);
  }
  return { get: (type) => byType.get(type), list: () => [...byType.values()] };
}

export const BUILT_IN_NODES: readonly AnyNodeDefinition[] = [...triggerNodes, ...dataNodes, ...indicatorNodes, ...logicNodes, ...valueChainNodes, ...outputNodes, ...portfolioNodes, ...memoryNodes];

export const defaultRegistry = createRegistry(BUILT_IN_NODES);
