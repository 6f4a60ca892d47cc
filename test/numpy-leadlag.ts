/**
 * Runs test/numpy-leadlag.py: the lead-lag analysis and Φ⁻¹ computed independently with numpy and scipy,
 * for the tests to compare lib/analytics/leadlag.ts against.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { DailyClose } from "../lib/analytics/leadlag";

const SCRIPT = fileURLToPath(new URL("./numpy-leadlag.py", import.meta.url));

export interface NumpyLeadLagCase {
  source: readonly DailyClose[];
  target: readonly DailyClose[];
  windowYears: number;
  asOf: string;
  maxLag: number;
}

export interface NumpyLeadLag {
  n: number;
  days: number;
  lags: { k: number; rho: number }[];
  leadTimeDays: number;
  correlation: number;
}

/** Why the reference cannot run here (no python3, or no numpy), or undefined when it can. */
export function numpyMissingReason(): string | undefined {
  const probe = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  if (probe.error) return `python3 is not installed (${probe.error.message})`;
  if (probe.status !== 0) return `python3 has no numpy (${probe.stderr.trim().split("\n").pop() ?? ""})`;
  return undefined;
}

export function scipyMissingReason(): string | undefined {
  const probe = spawnSync("python3", ["-c", "import scipy.stats"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return "python3 has no scipy";
  return undefined;
}

export function numpyReference(request: { cases?: NumpyLeadLagCase[]; quantiles?: number[] }): { cases: NumpyLeadLag[]; quantiles: number[] | null } {
  const run = spawnSync("python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`numpy-leadlag.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { cases: NumpyLeadLag[]; quantiles: number[] | null };
}
