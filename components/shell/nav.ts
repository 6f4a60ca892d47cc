/** The areas of the workbench, in rail order. The landing page describes the same areas. */
export type NavArea = "charts" | "workflows" | "value-chain" | "portfolio" | "memory" | "settings";

export interface NavItem {
  area: NavArea;
  href: `/${NavArea}`;
  label: string;
  /** One line for the landing page: what an analyst does there. */
  summary: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  {
    area: "charts",
    href: "/charts",
    label: "Charts",
    summary:
      "Candles from 1 minute to daily for HOSE, HNX and UPCOM stocks and indices, in Vietnam time, with price-board colours for reference, ceiling and floor.",
  },
  {
    area: "workflows",
    href: "/workflows",
    label: "Workflows",
    summary:
      "Build analyses visually — data, indicators, conditions, signals — run them on demand or on a schedule of trading days.",
  },
  {
    area: "value-chain",
    href: "/value-chain",
    label: "Value chain",
    summary:
      "Follow an industry from iron ore to steel makers to builders, with measured correlations and lead times between the links.",
  },
  {
    area: "portfolio",
    href: "/portfolio",
    label: "Portfolio",
    summary: "Generate allocations and turn them into orders of whole board lots of 100 shares.",
  },
  {
    area: "memory",
    href: "/memory",
    label: "Memory",
    summary: "Keep notes, theses and findings, and find them again by meaning, not just by keyword.",
  },
  {
    area: "settings",
    href: "/settings",
    label: "Settings",
    summary: "Connect your DNSE broker account and manage your profile.",
  },
];

/** Pages of an area with a rail link of their own, under the area's item. */
export interface NavSubItem {
  parent: NavArea;
  href: string;
  label: string;
}

export const NAV_SUB_ITEMS: readonly NavSubItem[] = [{ parent: "workflows", href: "/workflows/executions", label: "Executions" }];

/**
 * The rail item for a path: an area owns its own URL and everything below it, except the pages of its
 * sub-items, which are current themselves (one item is current at a time).
 */
export function isCurrentArea(pathname: string, href: string): boolean {
  const under = (h: string) => pathname === h || pathname.startsWith(`${h}/`);
  if (!under(href)) return false;
  return !NAV_SUB_ITEMS.some((s) => s.href !== href && s.href.startsWith(`${href}/`) && under(s.href));
}
