/**
 * Telling "the database cannot be reached" apart from a bug: the first deserves a 503 with a short
 * reason (the app recovers by itself when the server is back), the second a 500 and a stack trace.
 */

/** Node's socket errors and PostgreSQL's connection-class and shutdown SQLSTATEs. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "EPIPE",
  "53300", // too_many_connections
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, in recovery)
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

// node-postgres reports a dropped or never-made connection by message only.
const UNAVAILABLE_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/, /Client has encountered a connection error/];

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 4) return false;
  const e = err as Error & { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
  if (UNAVAILABLE_MESSAGES.some((re) => re.test(e.message))) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

export const DATABASE_UNAVAILABLE_MESSAGE = "The database cannot be reached right now. Try again in a moment; if it lasts, ask your administrator.";

/**
 * Logs an outage once per `everyMs` per process (not once per request), in UTC like every server log.
 */
export function outageLogger(log: (line: string) => void = (l) => console.error(l), everyMs = 30_000, now: () => number = Date.now) {
  let lastAt = -Infinity;
  let suppressed = 0;
  return (err: unknown) => {
    const t = now();
    if (t - lastAt < everyMs) {
      suppressed++;
      return;
    }
    const e = err as Error & { code?: string };
    const more = suppressed > 0 ? ` (${suppressed} more since the last report)` : "";
    log(`[db] ${new Date(t).toISOString()} PostgreSQL is unavailable (${e.code ?? e.message}); API routes answer 503 until it is back${more}.`);
    lastAt = t;
    suppressed = 0;
  };
}
