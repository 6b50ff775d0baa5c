#!/usr/bin/env node
// The server Playwright tests run against: production build, a fresh PostgreSQL database dropped on exit.
import { spawn } from "node:child_process";
import { createScratchDatabase } from "./scratch-db.mjs";

const db = await createScratchDatabase("countersign_e2e");

const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", process.env.PORT ?? "3100"], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: db.url, NEXT_MANUAL_SIG_HANDLE: "true" },
});

let stopping = false;
async function stop(sig) {
  if (stopping) return;
  stopping = true;
  child.kill(sig);
  await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
  await db.drop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
child.on("exit", () => void stop("SIGTERM"));
