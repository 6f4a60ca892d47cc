"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { normalizeSymbol, SYMBOL_RULE } from "@/components/shell/symbol";
import { PageHeader } from "@/components/ui/PageHeader";

/**
 * Shown for /charts/<something that cannot be a symbol> and for a well-formed symbol the database does
 * not know (the page answers 404 then, so neither a chart nor its DNSE and import buttons are offered).
 */
export default function NotASymbol() {
  const params = useParams<{ symbol: string }>();
  let typed = params?.symbol ?? "";
  try {
    typed = decodeURIComponent(typed);
  } catch {
    // Keep the raw text if it is not valid percent-encoding.
  }
  const wellFormed = normalizeSymbol(typed);
  return (
    <>
      <PageHeader title={wellFormed ? `${wellFormed} is not a symbol we know` : "Not a symbol"} parent={{ href: "/charts", label: "Charts" }} />
      <div data-testid="unknown-symbol">
        <p>
          {wellFormed ? (
            <>QuantFlow has no symbol {wellFormed} on HOSE, HNX or UPCOM, nor an index of that name. Check the ticker, or search by name.</>
          ) : (
            <>
              {typed ? <>“{typed}” cannot be a symbol. </> : null}
              {SYMBOL_RULE}
            </>
          )}
        </p>
        <p style={{ marginTop: 12, display: "flex", gap: 8, flexWrap: "wrap" }}>
          <button type="button" className="btn btn-primary" onClick={() => window.dispatchEvent(new Event("qf:focus-symbol-search"))}>
            Search for a symbol
          </button>
          <Link href="/charts" className="btn">
            Browse all symbols
          </Link>
        </p>
      </div>
    </>
  );
}
