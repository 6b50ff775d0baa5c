#!/usr/bin/env node
// Run a command against a real product server: the production build (`next build` must have run) on a
// fresh PostgreSQL database, dropped afterwards. The SDKs' and the CLI's tests use it, so they talk to
// the real API over a socket, never to a mock.
//
//   node scripts/with-server.mjs [--port N] -- <command> [args…]
//
// The command gets COUNTERSIGN_URL and COUNTERSIGN_ADMIN_TOKEN in its environment; its exit status is
// this script's. Tests that reach behind the API get COUNTERSIGN_TEST_DATABASE_URL (the server's scratch
// database) and COUNTERSIGN_CHECKPOINT_FILE (the audit checkpoint log the server appends to every second).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { nextStartArgs } from "./listen.mjs";
import { createScratchDatabase } from "./scratch-db.mjs";

const argv = process.argv.slice(2);
const sep = argv.indexOf("--");
if (sep < 0 || sep === argv.length - 1) {
  console.error("usage: node scripts/with-server.mjs [--port N] -- <command> [args…]");
  process.exit(2);
}
const own = argv.slice(0, sep);
const [cmd, ...args] = argv.slice(sep + 1);
const portFlag = own.indexOf("--port");
const port = portFlag >= 0 ? Number(own[portFlag + 1]) : await freePort();

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

const db = await createScratchDatabase("countersign_sdk");
const adminToken = process.env.COUNTERSIGN_ADMIN_TOKEN ?? `cs_admin_${crypto.randomBytes(18).toString("base64url")}`;
const url = `http://127.0.0.1:${port}`;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-with-server-"));
const checkpointFile = path.join(scratch, "audit-checkpoints.jsonl");
const env = {
  ...process.env,
  DATABASE_URL: db.url,
  COUNTERSIGN_ADMIN_TOKEN: adminToken,
  COUNTERSIGN_CHECKPOINT_FILE: checkpointFile,
  COUNTERSIGN_CHECKPOINT_SECONDS: "1",
  // A key of this run's own, so nothing is generated into the checkout's .data/ for it.
  COUNTERSIGN_CHECKPOINT_KEY:
    process.env.COUNTERSIGN_CHECKPOINT_KEY ?? crypto.generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  AUTH_SECRET: process.env.AUTH_SECRET ?? crypto.randomBytes(32).toString("base64url"),
  NEXT_MANUAL_SIG_HANDLE: "true",
};

// Its own process group, so stopping it stops everything it started.
const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", ...nextStartArgs(port, "127.0.0.1")], {
  stdio: ["ignore", "inherit", "inherit"],
  env,
  detached: true,
});

async function stopServer() {
  if (server.exitCode === null) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    await new Promise((r) => (server.exitCode !== null ? r() : server.once("exit", r)));
  }
  await db.drop();
  fs.rmSync(scratch, { recursive: true, force: true });
}

async function healthy() {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}) before it answered`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the server did not answer /api/health within 120 s");
}

let status = 1;
try {
  await healthy();
  const child = spawn(cmd, args, {
    stdio: "inherit",
    env: {
      ...process.env,
      COUNTERSIGN_URL: url,
      COUNTERSIGN_ADMIN_TOKEN: adminToken,
      COUNTERSIGN_TEST_DATABASE_URL: db.url,
      COUNTERSIGN_CHECKPOINT_FILE: checkpointFile,
    },
  });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  status = await new Promise((r) => child.on("exit", (code, signal) => r(code ?? (signal ? 1 : 0))));
} catch (err) {
  console.error(`[with-server] ${err instanceof Error ? err.message : err}`);
} finally {
  await stopServer();
}
process.exit(status);
