/**
 * The security headers of every answer (proxy.ts). Scripts run only with this request's nonce: Next
 * reads it from the request's Content-Security-Policy and puts it on its own scripts, the root layout
 * on the theme script (x-nonce). 'strict-dynamic' lets those scripts load Next's chunks.
 */
export const NONCE_HEADER = "x-nonce";

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code for its debugging aids; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    // Styles: 'unsafe-inline' (and so no nonce, which would switch it off). React Flow renders node and
    // edge positions as inline style attributes in the server's HTML, lightweight-charts and our own
    // components set style attributes too; a style cannot run code, and scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    // Charts draw on canvas and export PNGs as data:/blob: URLs.
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The other headers, the same for every answer; HSTS only over https (over http browsers ignore it anyway). */
export function securityHeaders(opts: { https: boolean }): Record<string, string> {
  return {
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-content-type-options": "nosniff",
    // Older browsers that ignore frame-ancestors.
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
    ...(opts.https ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
