import { request, type ImportResolution, type ImportUnit } from "./api";

export type CorrectionAction = "delete" | "replace";

export interface CorrectionRequest {
  symbol: string;
  resolution: ImportResolution;
  action: CorrectionAction;
  /** Vietnam wall-clock time without a zone ("2025-03-04T10:00" or "2025-03-04"); the route reads it so. */
  from: string;
  to: string;
  /** "replace": the replacement bars as a CSV file in the import's format, and its price unit. */
  file?: File;
  unit?: ImportUnit;
}

export interface CorrectionResult {
  symbol: string;
  resolution: ImportResolution;
  from: string;
  to: string;
  deleted: number;
  written: number;
}

/** POST /api/candles/correct: deletes or replaces the range's bars; 1h/1D are refreshed before it answers. */
export function postCorrection(req: CorrectionRequest): Promise<CorrectionResult> {
  const form = new FormData();
  for (const key of ["symbol", "resolution", "action", "from", "to", "unit"] as const) {
    const value = req[key];
    if (value) form.set(key, value);
  }
  if (req.action === "replace" && req.file) form.set("file", req.file);
  return request<CorrectionResult>("/api/candles/correct", { method: "POST", body: form });
}
