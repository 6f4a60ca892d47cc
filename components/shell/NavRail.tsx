"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, type KeyboardEvent, type ReactNode } from "react";
import {
  ChartsIcon,
  LogoMark,
  MemoryIcon,
  PortfolioIcon,
  SettingsIcon,
  ValueChainIcon,
  WorkflowsIcon,
} from "./icons";
import { NAV_ITEMS, NAV_SUB_ITEMS, isCurrentArea, type NavArea } from "./nav";
import styles from "./shell.module.css";

const ICONS: Record<NavArea, ReactNode> = {
  charts: <ChartsIcon />,
  workflows: <WorkflowsIcon />,
  "value-chain": <ValueChainIcon />,
  portfolio: <PortfolioIcon />,
  memory: <MemoryIcon />,
  settings: <SettingsIcon />,
};

/** A small list mark for a sub-item (the rail shows only icons when narrow). */
function ListIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round">
      <path d="M5 4h9M5 8h9M5 12h9M2 4h.01M2 8h.01M2 12h.01" />
    </svg>
  );
}

/**
 * The left navigation rail. Tab moves through it like any links; inside it, the arrow keys,
 * Home and End move between items too. The current area carries aria-current="page".
 */
export function NavRail() {
  const pathname = usePathname() ?? "";
  const listRef = useRef<HTMLUListElement>(null);

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const links = Array.from(listRef.current?.querySelectorAll<HTMLAnchorElement>("a[href]") ?? []);
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index === -1 || links.length === 0) return;
    let next: number | null = null;
    if (event.key === "ArrowDown") next = (index + 1) % links.length;
    else if (event.key === "ArrowUp") next = (index - 1 + links.length) % links.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = links.length - 1;
    if (next === null) return;
    event.preventDefault();
    links[next]?.focus();
  }

  return (
    <nav className={styles.rail} aria-label="Main">
      <Link href="/" className={styles.brand} aria-label="QuantFlow home">
        <LogoMark />
        <span className={styles.brandName}>QuantFlow</span>
      </Link>
      <ul ref={listRef} className={styles.railList} onKeyDown={onKeyDown}>
        {NAV_ITEMS.map((item) => {
          const current = isCurrentArea(pathname, item.href);
          return (
            <li key={item.area} className={item.area === "settings" ? styles.railBottom : undefined}>
              <Link
                href={item.href}
                className={styles.railLink}
                aria-current={current ? "page" : undefined}
                title={item.label}
              >
                {ICONS[item.area]}
                <span className={styles.railLabel}>{item.label}</span>
              </Link>
              {NAV_SUB_ITEMS.filter((sub) => sub.parent === item.area).map((sub) => (
                <Link
                  key={sub.href}
                  href={sub.href}
                  className={`${styles.railLink} ${styles.railSub}`}
                  aria-current={isCurrentArea(pathname, sub.href) ? "page" : undefined}
                  title={sub.label}
                >
                  <ListIcon />
                  <span className={styles.railLabel}>{sub.label}</span>
                </Link>
              ))}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
