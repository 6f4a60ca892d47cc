/**
 * next-auth's configuration: the credentials provider over lib/auth/accounts (argon2id, throttle)
 * and JWT sessions. A function, so that building the app does not need the secret.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { authenticate } from "@/lib/auth/accounts";
import { clientAddress } from "@/lib/auth/client-address";
import { signInSchema } from "@/lib/auth/credentials";
import { createSession, endSession } from "@/lib/auth/sessions";
import { env } from "@/lib/env";
import { publicUrlWarning } from "@/lib/http/public-url-warning";
import { sessionCookies } from "./session-cookie";

export const SIGN_IN_PATH = "/login";
/** A week: analysts come back daily; a stolen cookie should not last a month. */
export const SESSION_MAX_AGE_S = 7 * 24 * 3600;
/** What authorize() says for a wrong email or password (next-auth's own code for "returned null"). */
export const WRONG_CREDENTIALS = "CredentialsSignin";

export function authSecret(): string {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) {
    throw new Error(
      "NEXTAUTH_SECRET is not set. `npm start` generates one into the data dir; in production set it (32+ random characters).",
    );
  }
  return secret;
}

const options = new Map<boolean, NextAuthOptions>();
let warnedUrl = false;

/**
 * `secureCookies`: the request reached the app over https (directly or per a trusted proxy's
 * X-Forwarded-Proto), so the cookies next-auth sets are Secure. Only the sign-in route sets cookies;
 * readers may call this without it, the session cookie's name is the same (./session-cookie.ts).
 */
export function authOptions({ secureCookies = false }: { secureCookies?: boolean } = {}): NextAuthOptions {
  const cached = options.get(secureCookies);
  if (cached) return cached;
  const built: NextAuthOptions = {
    secret: authSecret(),
    useSecureCookies: secureCookies,
    cookies: sessionCookies(secureCookies),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: SIGN_IN_PATH, error: SIGN_IN_PATH },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const result = await authenticate(getDb(), parsed.data, clientAddress(req.headers ?? {}));
          if (result.ok) return { id: result.user.id, email: result.user.email };
          // next-auth hands a thrown error's message to the sign-in form; null becomes WRONG_CREDENTIALS.
          if (result.error === "throttled") throw new Error(result.message);
          return null;
        },
      }),
    ],
    callbacks: {
      // At sign-in the JWT gets the id of a new user_sessions row; it stays valid only while that row exists.
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.email = user.email;
          token.sid = await createSession(getDb(), user.id, SESSION_MAX_AGE_S);
        }
        return token;
      },
      session({ session, token }) {
        const sid = typeof token.sid === "string" ? token.sid : undefined;
        return { expires: session.expires, user: { id: token.sub ?? "", email: token.email ?? "", sid } };
      },
    },
    events: {
      // Sign-out ends this session for real: the cookie, even a copy of it, no longer signs anyone in.
      async signOut({ token }) {
        await endSession(getDb(), token?.sid);
      },
    },
    logger: {
      // next-auth's default logger prints request metadata; errors here never carry credentials.
      error: (code, metadata) => console.error(`[auth] ${code}`, metadata instanceof Error ? metadata.message : ""),
      // Without NEXTAUTH_URL next-auth builds its own redirect addresses on http://localhost:3000; QuantFlow's
      // forms never follow them (they navigate by path), so this only matters in production behind a proxy:
      // said once there, and nowhere else (lib/http/public-url-warning.ts).
      warn: (code) => {
        if (code !== "NEXTAUTH_URL") return void console.warn(`[auth] ${code}`);
        if (warnedUrl) return;
        warnedUrl = true;
        const config = env();
        const warning = publicUrlWarning({ nodeEnv: config.NODE_ENV, trustedProxies: config.QUANTFLOW_TRUSTED_PROXIES, nextAuthUrl: config.NEXTAUTH_URL });
        if (warning) console.warn(`[auth] ${warning}`);
      },
      debug: () => {},
    },
  };
  options.set(secureCookies, built);
  return built;
}
