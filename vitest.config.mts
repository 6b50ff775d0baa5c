import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: [
      // The SDK from source, as tsconfig.json maps it (its dist/ is for consumers outside the repository).
      { find: /^@countersign\/sdk$/, replacement: path.resolve(import.meta.dirname, "packages/sdk/src/index.ts") },
      { find: /^@countersign\/sdk\/ai$/, replacement: path.resolve(import.meta.dirname, "packages/sdk/src/ai.ts") },
      // Server modules say `import "server-only"`, which throws outside React's server condition: tests
      // run them on the server side, as Next does (the same marker module Next resolves it to).
      { find: /^server-only$/, replacement: path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") },
      { find: "@", replacement: path.resolve(import.meta.dirname) },
    ],
  },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Integration tests share one PostgreSQL database per run; files run one at a time so
    // truncation between files cannot pull rows from under another file.
    fileParallelism: false,
    testTimeout: 30_000,
    // next-auth imports "next/server" without an extension, which Node's ESM loader refuses; through Vite
    // it resolves, so tests can sign in and out through its real route handlers (test/auth-flow.ts).
    server: { deps: { inline: ["next-auth"] } },
    hookTimeout: 60_000,
  },
});
