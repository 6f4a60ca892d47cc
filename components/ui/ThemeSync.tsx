"use client";

import { useLayoutEffect } from "react";
import { restoreStoredTheme } from "./theme-store";

/** Keeps <html data-theme> equal to the saved choice (see restoreStoredTheme). Renders nothing. */
export function ThemeSync() {
  useLayoutEffect(() => {
    restoreStoredTheme();
  }, []);
  return null;
}
