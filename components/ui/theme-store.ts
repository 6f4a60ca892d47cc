"use client";

import { DEFAULT_THEME, THEME_STORAGE_KEY, type Theme } from "./theme";

/**
 * The theme lives on <html data-theme>, set before paint by the inline script of the root
 * layout. Components read it from there and are told when it changes.
 */
const listeners = new Set<() => void>();

export function readTheme(): Theme {
  const t = document.documentElement.getAttribute("data-theme");
  return t === "light" || t === "dark" ? t : DEFAULT_THEME;
}

export function subscribeTheme(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function storedTheme(): Theme | null {
  try {
    const t = localStorage.getItem(THEME_STORAGE_KEY);
    return t === "light" || t === "dark" ? t : null;
  } catch {
    return null;
  }
}

function setAttribute(theme: Theme) {
  document.documentElement.setAttribute("data-theme", theme);
  listeners.forEach((l) => l());
}

export function applyTheme(theme: Theme) {
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Storage may be disabled (private mode); the theme still applies to this page.
  }
  setAttribute(theme);
}

/**
 * Puts the saved theme back on <html> when React rendered the document on the client (error
 * and not-found shells), where the inline script did not run or its attribute was replaced.
 */
export function restoreStoredTheme() {
  const saved = storedTheme() ?? DEFAULT_THEME;
  if (document.documentElement.getAttribute("data-theme") !== saved) setAttribute(saved);
}
