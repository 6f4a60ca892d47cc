/**
 * Whether to warn that NEXTAUTH_URL is unset. QuantFlow's forms navigate by path, so next-auth's own
 * redirect addresses (built on http://localhost:3000 without NEXTAUTH_URL) only reach a person when a
 * production server sits behind a proxy (QUANTFLOW_TRUSTED_PROXIES > 0): a laptop's `npm start` or a
 * development server has nothing to fix, and a warning there would teach people to ignore warnings.
 */
export interface PublicUrlFacts {
  nodeEnv: "development" | "production" | "test";
  trustedProxies: number;
  nextAuthUrl: string | undefined;
}

export const NEXTAUTH_URL_WARNING =
  "NEXTAUTH_URL is not set, and QuantFlow runs in production behind a proxy (QUANTFLOW_TRUSTED_PROXIES > 0): set it to the public https:// address.";

export function publicUrlWarning(facts: PublicUrlFacts): string | undefined {
  return facts.nodeEnv === "production" && facts.trustedProxies > 0 && !facts.nextAuthUrl ? NEXTAUTH_URL_WARNING : undefined;
}
