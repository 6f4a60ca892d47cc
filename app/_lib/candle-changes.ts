/**
 * Stored bars a write replaced, as the JSON routes answer them (CSV import, correction, backfill job):
 * times in Vietnam (+07:00), before → after (after null: removed by a correction).
 */
import type { CandleChange } from "@/lib/market/ingest";
import { toVnIso } from "@/lib/time";

export function shapeCandleChanges(changes: readonly CandleChange[]) {
  return changes.map((c) => ({ symbol: c.symbol, time: toVnIso(c.time), before: c.before, after: c.after }));
}
