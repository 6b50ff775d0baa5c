#!/usr/bin/env node
// The servers Playwright tests run against: the production build, twice (ports PORT and PORT+1) on
// one fresh PostgreSQL database, as several instances share one database in production. The database
// is dropped when they stop.
import { spawn } from "node:child_process";
import { nextStartArgs } from "./listen.mjs";
import { createScratchDatabase } from "./scratch-db.mjs";

const db = await createScratchDatabase("countersign_e2e");
const port = Number(process.env.PORT ?? 3100);

const children = [port, port + 1].map((p) =>
  spawn(process.execPath, ["node_modules/next/dist/bin/next", ...nextStartArgs(p)], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: db.url, NEXT_MANUAL_SIG_HANDLE: "true" },
  }),
);

let stopping = false;
async function stop(sig) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map((child) => {
      if (child.exitCode === null) child.kill(sig);
      return new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    }),
  );
  await db.drop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
for (const child of children) child.on("exit", () => void stop("SIGTERM"));
