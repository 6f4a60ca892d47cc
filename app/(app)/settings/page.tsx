import type { Metadata } from "next";
import Link from "next/link";
import { NotBuiltYet } from "@/components/ui/NotBuiltYet";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Your broker connection and your account." />
      <NotBuiltYet
        title="Account settings are not built yet"
        arrivesWith="the accounts release (sign-in, sessions and the DNSE broker connection)"
        features={[
          <>
            <Link href="/settings/broker">Broker (DNSE)</Link>: your DNSE client id and token, stored encrypted, with a
            connection test
          </>,
          "Account: change your password, or delete your account and everything in it",
        ]}
        meanwhile={
          <p>
            The theme is already yours to choose: use the sun or moon button at the right of the top bar. This
            browser remembers it.
          </p>
        }
      />
    </>
  );
}
