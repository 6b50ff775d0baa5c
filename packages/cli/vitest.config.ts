import { defineConfig } from "vitest/config";

// Run against a real server: `node scripts/with-server.mjs -- npx vitest run --config packages/cli/vitest.config.ts`
// (after `next build`), which sets COUNTERSIGN_URL and COUNTERSIGN_ADMIN_TOKEN.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/build.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
