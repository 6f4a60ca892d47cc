import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/NotBuiltYet";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Broker (DNSE)" };

export default function BrokerSettingsPage() {
  return (
    <>
      <PageHeader
        title="Broker (DNSE)"
        parent={{ href: "/settings", label: "Settings" }}
        description="Connect QuantFlow to your DNSE account."
      />
      <NotBuiltYet
        title="The DNSE connection is not built yet"
        arrivesWith="the accounts release (sign-in, sessions and the DNSE broker connection)"
        features={[
          "Your DNSE client id (investor id) and token; the token stored encrypted and shown only by its last four characters",
          "“Test connection”, which shows your investor name or what DNSE answered",
          "“Disconnect”, which erases both",
        ]}
        meanwhile={<p>Do not paste a DNSE token anywhere in QuantFlow yet: there is no safe place for it until this page exists.</p>}
      />
    </>
  );
}
