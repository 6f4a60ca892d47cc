"use client";

import { z } from "zod";

// zod 4 probes for eval (`Function("")`) on its first object parse to compile faster parsers; under the
// Content-Security-Policy (no 'unsafe-eval', proxy.ts) the probe fails harmlessly but the browser reports
// a violation on every page with a form. Jitless parsing is as correct, and fast enough for forms.
// In the browser only: the server has no policy and keeps the compiled parsers.
if (typeof window !== "undefined") z.config({ jitless: true });

/** Rendered once in the root layout so the setting applies before any client-side parse. */
export function CspSafeZod() {
  return null;
}
