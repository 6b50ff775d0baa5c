#!/usr/bin/env node
// Every test: unit and integration tests (vitest, real PostgreSQL), then, against the production build,
// the TypeScript SDK's tests, the end-to-end suite (Playwright, Chromium), the Python SDK's tests and the
// CLI's (MCP gateway, Claude Code hook). Needs PostgreSQL at TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres); `.ci/run` starts one on a fresh machine.
// `--no-e2e` runs vitest only. Every suite runs even when an earlier one failed (one run shows every
// failure); the build is the exception, since the suites after it need it.
import { spawnSync } from "node:child_process";

const failed = [];
const run = (name, cmd, args) => {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (r.status !== 0) failed.push(name);
  return r.status === 0;
};

run("vitest", "npx", ["vitest", "run"]);
if (!process.argv.includes("--no-e2e") && run("next build", process.execPath, ["node_modules/next/dist/bin/next", "build"])) {
  run("TypeScript SDK", "npm", ["run", "test:server", "-w", "@countersign/sdk"]);
  run("Playwright", "npx", ["playwright", "test"]);
  run("Python SDK", "bash", ["scripts/test-python.sh"]);
  run("CLI", "npm", ["run", "test:server", "-w", "@countersign/cli"]);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(", ")}`);
  process.exit(1);
}
console.log("\nevery suite passed");
