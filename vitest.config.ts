import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["{lib,db,scripts,app,components,test}/**/*.test.ts"],
    // One fresh database per run (DATABASE_URL's server, or the embedded one), migrated once.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests share one database; files run in parallel on 2 cores but each file's tests run in order.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
