import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    // db/ is the ground floor (ARCHITECTURE.md): it imports nothing from lib/ but the validated environment.
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)lib/(?!env$)",
              message: "db/ imports nothing from lib/ but lib/env.ts; put domain code (like the demo generator, lib/demo/) in lib/.",
            },
          ],
        },
      ],
    },
  },
  { ignores: [".next/**", ".data/**", "node_modules/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
];

export default config;
