/** next-auth's endpoints (sign-in, sign-out, session, CSRF) for the App Router. */
import NextAuth from "next-auth";
import { authOptions } from "@/app/_lib/auth-options";
import { env } from "@/lib/env";
import { requestIsHttps } from "@/lib/http/origin";
import { trustedProxyCount } from "@/lib/http/trusted-proxies";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: Context) {
  // The session cookie is Secure whenever this request reached the app over https (issue 9, item 7).
  const secureCookies = requestIsHttps({ url: request.url, headers: request.headers, trustedProxies: trustedProxyCount(), publicUrl: env().NEXTAUTH_URL });
  return (NextAuth as unknown as (req: Request, ctx: Context, options: ReturnType<typeof authOptions>) => Promise<Response>)(
    request,
    context,
    authOptions({ secureCookies }),
  );
}

export { handler as GET, handler as POST };
