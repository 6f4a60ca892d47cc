"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { SYMBOL_RULE } from "@/components/shell/symbol";
import { PageHeader } from "@/components/ui/PageHeader";

/** Shown for /charts/<something that cannot be a symbol>. */
export default function NotASymbol() {
  const params = useParams<{ symbol: string }>();
  let typed = params?.symbol ?? "";
  try {
    typed = decodeURIComponent(typed);
  } catch {
    // Keep the raw text if it is not valid percent-encoding.
  }
  return (
    <>
      <PageHeader title="Not a symbol" />
      <p>
        {typed ? <>“{typed}” cannot be a symbol. </> : null}
        {SYMBOL_RULE}
      </p>
      <p style={{ marginTop: 12 }}>
        Press <kbd>/</kbd> to search again, or go back to <Link href="/charts">Charts</Link>.
      </p>
    </>
  );
}
