import { describe, expect, it } from "vitest";
import { NEXTAUTH_URL_WARNING, publicUrlWarning } from "./public-url-warning";

describe("the NEXTAUTH_URL warning", () => {
  it("appears only in production behind a proxy with no public URL set", () => {
    expect(publicUrlWarning({ nodeEnv: "production", trustedProxies: 1, nextAuthUrl: undefined })).toBe(NEXTAUTH_URL_WARNING);
    // A laptop's npm start (production mode, no proxy), a development server, a configured public URL: nothing to say.
    expect(publicUrlWarning({ nodeEnv: "production", trustedProxies: 0, nextAuthUrl: undefined })).toBeUndefined();
    expect(publicUrlWarning({ nodeEnv: "development", trustedProxies: 1, nextAuthUrl: undefined })).toBeUndefined();
    expect(publicUrlWarning({ nodeEnv: "production", trustedProxies: 2, nextAuthUrl: "https://qf.example.com" })).toBeUndefined();
  });
});
