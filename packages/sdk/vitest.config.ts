import { defineConfig } from "vitest/config";

// The SDK's tests talk to a real server (node scripts/with-server.mjs -- npm test -w @countersign/sdk,
// or `npm run test:server -w @countersign/sdk`), through the built package as a consumer imports it.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
