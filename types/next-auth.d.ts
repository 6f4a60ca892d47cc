/** QuantFlow's session: the user's id (the JWT's subject), email and session id (lib/auth/sessions.ts). */
import "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; sid?: string };
  }
}
