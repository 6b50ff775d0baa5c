#!/usr/bin/env node
// Every test: unit and integration tests (vitest, real PostgreSQL), then the end-to-end suite
// (Playwright against the production build). Needs PostgreSQL at TEST_DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres); `.ci/run` starts one on a fresh machine.
import { spawnSync } from "node:child_process";

const run = (cmd, args) => {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run("npx", ["vitest", "run"]);
if (!process.argv.includes("--no-e2e")) run(process.execPath, ["node_modules/next/dist/bin/next", "build"]);
if (!process.argv.includes("--no-e2e")) run("npm", ["run", "test:server", "-w", "@countersign/sdk"]);
if (!process.argv.includes("--no-e2e")) run("npx", ["playwright", "test"]);
if (!process.argv.includes("--no-e2e")) run("bash", ["scripts/test-python.sh"]);
if (!process.argv.includes("--no-e2e")) run("npm", ["run", "test:server", "-w", "@countersign/cli"]);
