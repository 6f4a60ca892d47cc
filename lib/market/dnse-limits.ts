/**
 * What DNSE serves, as numbers both the server and the browser use (no imports: the backfill panel
 * reads it too). DNSE serves 1-minute bars for about the last 90 days (issue 16, after vnstock's DNSE
 * notes); older minute requests answer empty. DNSE_MINUTE_HISTORY_DAYS overrides it on the server.
 */
export const DEFAULT_MINUTE_HISTORY_DAYS = 90;
