/** The colour theme: dark by default, light as an option, remembered in localStorage. */
export type Theme = "dark" | "light";

export const THEME_STORAGE_KEY = "quantflow-theme";
export const DEFAULT_THEME: Theme = "dark";

/**
 * Runs inline in <head> before the first paint, so a saved light theme never flashes dark.
 * Kept tiny and dependency-free; it must not throw when storage is unavailable.
 */
export const themeInitScript = `(function(){try{var t=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)});if(t==="light"||t==="dark")document.documentElement.setAttribute("data-theme",t)}catch(e){}})()`;
