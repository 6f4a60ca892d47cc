import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { themeInitScript } from "@/components/ui/theme";
import { ThemeSync } from "@/components/ui/ThemeSync";
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

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // Dark unless <html data-theme="light">: the inline script sets the saved theme before the
    // first paint, so the attribute differs from the server's markup on purpose.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeInitScript }} />
      </head>
      <body>
        <ThemeSync />
        {children}
      </body>
    </html>
  );
}
