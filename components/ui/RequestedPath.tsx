"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * The address the person asked for, in code style. Read from the browser after hydration: the
 * not-found page is prerendered once for every unknown address, so the server cannot know it.
 */
export function RequestedPath() {
  const pathname = useSyncExternalStore(
    subscribe,
    () => window.location.pathname,
    () => null,
  );
  return pathname ? <code>{pathname}</code> : <>this address</>;
}
