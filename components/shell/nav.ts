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

/** The rail item for a path: an area owns its own URL and everything below it. */
export function isCurrentArea(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
