import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/NotBuiltYet";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Workflows" };

export default function WorkflowsPage() {
  return (
    <>
      <PageHeader
        title="Workflows"
        description="Analyses built visually: data → indicators → conditions → signals, run on demand or on a schedule."
      />
      <NotBuiltYet
        title="The workflow builder is not built yet"
        arrivesWith="the workflows release (the visual builder, the engine, schedules and run history)"
        features={[
          "Your workflows: create, rename, duplicate, activate, import and export as JSON",
          "A canvas with a searchable node palette: candles, SMA, EMA, RSI, MACD, Bollinger, ATR, crosses, filters, signals and alerts",
          "Validation before you run: cycles, missing inputs and wrong connections are named on the nodes",
          "Schedules in GMT+7, trading days only if you ask, with the next five run times",
          "A history of runs with each node's output",
          "Starter templates such as “RSI oversold steel stocks” and “Golden cross on VN30”",
        ]}
        meanwhile={<p>Nothing to set up yet: your workflows will be private to your account, which arrives first.</p>}
      />
    </>
  );
}
