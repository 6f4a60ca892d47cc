/**
 * How large a CSV of candles may be (the chart page's import, `POST /api/candles/import` and
 * `/api/candles/correct`). Kept apart from csv-import.ts so that proxy.ts can refuse an oversized
 * upload from its Content-Length without loading the parser and the database code.
 */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;
/** The multipart envelope (boundaries, the form's other fields) adds a little to the file. */
export const MAX_CSV_REQUEST_BYTES = MAX_CSV_BYTES + 64 * 1024;
export const CSV_TOO_LARGE = `The file is larger than the ${MAX_CSV_BYTES / 1048576} MB limit; nothing was imported.`;
