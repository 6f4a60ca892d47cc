"use client";
import { createContext, useContext } from "react";
import { defaultRegistry, type NodeRegistry } from "@/lib/workflows/registry";
import { IDLE_RUN, type RunView } from "./runState";

/** What the nodes read besides their own data: the registry, validation problems and the watched run. */
export interface BuilderView {
  registry: NodeRegistry;
  problems: ReadonlyMap<string, string[]>;
  run: RunView;
}

export const BuilderContext = createContext<BuilderView>({ registry: defaultRegistry, problems: new Map(), run: IDLE_RUN });

export const useBuilderView = () => useContext(BuilderContext);
