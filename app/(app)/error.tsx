"use client";

import { ErrorState } from "@/components/ui/ErrorState";

/** Errors of a workbench page stay inside the shell, so the rail and search still work. */
export default function AppErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState error={error} retry={retry} inShell />;
}
