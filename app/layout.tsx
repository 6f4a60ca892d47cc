import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { themeInitScript } from "@/components/ui/theme";
import { CspSafeZod } from "@/components/ui/CspSafeZod";
import { ThemeSync } from "@/components/ui/ThemeSync";
import { NONCE_HEADER } from "@/lib/http/security-headers";
import "./globals.css";

export const metadata: Metadata = {
  title: {
    default: "QuantFlow — workbench for Vietnamese stock analysts",
    template: "%s · QuantFlow",
  },
  description:
    "Candle charts, visual analysis workflows, industry value chains and portfolio allocations for stocks on HOSE, HNX and UPCOM.",
  applicationName: "QuantFlow",
};

export const viewport: Viewport = {
  colorScheme: "dark light",
  themeColor: [
    { media: "(prefers-color-scheme: dark)", color: "#0b0f14" },
    { media: "(prefers-color-scheme: light)", color: "#f4f6f9" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The Content-Security-Policy's nonce for this request (proxy.ts). Reading it makes every page render
  // per request, which a nonce needs: a prerendered page would carry no nonce and its scripts would not run.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    // Dark unless <html data-theme="light">: the inline script sets the saved theme before the
    // first paint, so the attribute differs from the server's markup on purpose.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeInitScript }} />
      </head>
      <body>
        <CspSafeZod />
        <ThemeSync />
        {children}
      </body>
    </html>
  );
}
