/** How the run pages write durations and node values. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") return numberFormat.format(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return String(v);
}

/** A stored output's heading: its port's label; the notes a node adds about its output (INFO_KEY) as "Notes". */
export function outputLabel(ports: readonly { id: string; label: string }[] | undefined, key: string): string {
  return ports?.find((o) => o.id === key)?.label ?? (key === "info" ? "Notes" : key);
}
