import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/NotBuiltYet";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Memory" };

export default function MemoryPage() {
  return (
    <>
      <PageHeader
        title="Memory"
        description="Your notes, theses and findings, searchable by meaning."
      />
      <NotBuiltYet
        title="Memory is not built yet"
        arrivesWith="the memory release, after workflows"
        features={[
          "Notes and findings tied to symbols, sectors and workflow runs",
          "Search by meaning: “steel margins when iron ore falls” finds the note that never used those words",
          "Memories written by workflows, such as a signal and the reason it fired",
        ]}
        meanwhile={<p>Nothing is stored yet, so there is nothing to lose: memories will be private to your account.</p>}
      />
    </>
  );
}
