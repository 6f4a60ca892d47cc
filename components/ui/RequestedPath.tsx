"use client";

import { usePathname } from "next/navigation";

/** The address the person asked for, shown in code style (empty until known). */
export function RequestedPath() {
  const pathname = usePathname();
  return pathname ? <code>{pathname}</code> : null;
}
