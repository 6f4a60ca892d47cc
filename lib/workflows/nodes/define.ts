import type { NodeDefinition } from "../types";

/** Node definitions with their parameter type erased, as the registry and engine hold them. */
export type AnyNodeDefinition = NodeDefinition<unknown>;

/** Keeps `execute`'s params typed from the zod schema while the definition is written. */
export function defineNode<P>(definition: NodeDefinition<P>): AnyNodeDefinition {
  return definition as unknown as AnyNodeDefinition;
}
