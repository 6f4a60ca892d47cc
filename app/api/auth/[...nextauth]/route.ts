/** next-auth's endpoints (sign-in, sign-out, session, CSRF) for the App Router. */
import NextAuth from "next-auth";
import { authOptions } from "@/app/_lib/auth-options";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: Context) {
  return (NextAuth as unknown as (req: Request, ctx: Context, options: ReturnType<typeof authOptions>) => Promise<Response>)(
    request,
    context,
    authOptions(),
  );
}

export { handler as GET, handler as POST };
