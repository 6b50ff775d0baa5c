import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Tests read loosely typed JSON answers; the product code stays free of `any`.
    files: ["test/**/*.ts", "e2e/**/*.ts", "**/*.test.ts", "packages/*/test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", ".data/**", "test-results/**", "playwright-report/**", "**/.venv/**", "packages/*/dist/**"]),
]);
