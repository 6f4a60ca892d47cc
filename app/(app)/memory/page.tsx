import type { Metadata } from "next";
import { requirePageUser } from "@/app/_lib/page-user";
import { PageHeader } from "@/components/ui/PageHeader";
import { MemoryWorkbench } from "@/components/memory/MemoryWorkbench";
import { memoryConfiguration } from "@/lib/memory/app";
import { MEMORY_TYPES } from "@/lib/memory/types";

export const metadata: Metadata = { title: "Memory" };
export const dynamic = "force-dynamic";

export default async function MemoryPage() {
  await requirePageUser();
  const { store, embedder } = memoryConfiguration();
  // The embedder's honest name: the local one matches words, not meaning.
  const embedderName = embedder.kind === "lexical" ? `lexical matching (local, ${embedder.model})` : `embeddings model ${embedder.model}`;
  return (
    <>
      <PageHeader
        title="Memory"
        description={
          <>
            Your notes, theses and findings, private to your account. Search compares by {embedder.kind === "lexical" ? "shared words (diacritics ignored)" : "meaning"}; times in GMT+7.
          </>
        }
      />
      <MemoryWorkbench types={[...MEMORY_TYPES]} embedderName={embedderName} embedderKind={embedder.kind} store={store} />
    </>
  );
}
