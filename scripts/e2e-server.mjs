#!/usr/bin/env node
// The server Playwright tests run against: production build, a fresh PostgreSQL database dropped on exit.
import { spawn } from "node:child_process";
import postgres from "postgres";

const base = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `countersign_e2e_${Date.now()}_${process.pid}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
await admin.end();
const url = new URL(base);
url.pathname = `/${name}`;

const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", process.env.PORT ?? "3100"], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: url.toString(), NEXT_MANUAL_SIG_HANDLE: "true" },
});

let stopping = false;
async function stop(sig) {
  if (stopping) return;
  stopping = true;
  child.kill(sig);
  await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
  const drop = postgres(base, { max: 1, onnotice: () => {} });
  await drop.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
  await drop.end();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
child.on("exit", () => void stop("SIGTERM"));
