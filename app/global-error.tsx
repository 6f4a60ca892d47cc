"use client";

import { useEffect } from "react";

/**
 * Last resort when the root layout itself fails: it replaces the whole document, so it carries
 * its own minimal dark styling (globals.css does not reach it).
 */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <html lang="en">
      <body
        style={{
          margin: 0,
          minHeight: "100vh",
          display: "grid",
          placeItems: "center",
          background: "#0b0f14",
          color: "#e6edf3",
          fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif",
        }}
      >
        <title>QuantFlow could not start this page</title>
        <main style={{ maxWidth: 520, padding: 24 }} role="alert">
          <h1 style={{ fontSize: 24, margin: "0 0 10px" }}>QuantFlow could not start this page</h1>
          <p style={{ color: "#a3afbd", lineHeight: 1.5, margin: 0 }}>
            Something failed before the page could be drawn. Try again; if it keeps failing, whoever runs QuantFlow can
            check <code>/api/health</code> and the server log.
          </p>
          <button
            type="button"
            onClick={() => retry()}
            style={{
              marginTop: 20,
              minHeight: 36,
              padding: "0 14px",
              border: "1px solid #5ea2ff",
              borderRadius: 6,
              background: "#5ea2ff",
              color: "#06121f",
              font: "inherit",
              fontWeight: 600,
              cursor: "pointer",
            }}
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
