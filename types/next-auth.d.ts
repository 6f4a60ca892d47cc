/** QuantFlow's session: the user's id (the JWT's subject) and email, nothing else. */
import "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string };
  }
}
