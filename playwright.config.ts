import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_ADMIN_TOKEN = "e2e-installation-admin-token-0123456789";
export const E2E_AUTH_SECRET = "e2e-auth-secret-e2e-auth-secret-0123456789";
// The audit keys and checkpoint log of the shared servers, kept out of the checkout's .data/.
const E2E_AUDIT_KEY = "e2e-audit-key-e2e-audit-key-0123456789";
const E2E_CHECKPOINT_KEY = crypto.generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const E2E_CHECKPOINT_FILE = path.join(os.tmpdir(), `countersign-e2e-checkpoints-${PORT}.jsonl`);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  reporter: [["list"]],
  // Failure screenshots and traces land here (`npx playwright show-trace <file>`).
  outputDir: "test-results",
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    // A fresh PostgreSQL database for the run, served by the production build.
    command: `node scripts/e2e-server.mjs`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    // Every spec signs people in from 127.0.0.1: the per-source sign-in limit (20 a minute by default,
    // tested in test/limits.test.ts) would otherwise throttle the suite itself.
    env: {
      PORT: String(PORT),
      COUNTERSIGN_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      AUTH_SECRET: E2E_AUTH_SECRET,
      COUNTERSIGN_AUDIT_KEY: E2E_AUDIT_KEY,
      COUNTERSIGN_CHECKPOINT_KEY: E2E_CHECKPOINT_KEY,
      COUNTERSIGN_CHECKPOINT_FILE: E2E_CHECKPOINT_FILE,
      COUNTERSIGN_SIGNIN_PER_SOURCE_PER_MINUTE: "10000",
    },
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
