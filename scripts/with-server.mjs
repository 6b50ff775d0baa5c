#!/usr/bin/env node
// Run a command against a real product server: the production build (`next build` must have run) on a
// fresh PostgreSQL database, dropped afterwards. The SDKs' and the CLI's tests use it, so they talk to
// the real API over a socket, never to a mock.
//
//   node scripts/with-server.mjs [--port N] -- <command> [args…]
//
// The command gets COUNTERSIGN_URL and COUNTERSIGN_ADMIN_TOKEN in its environment; its exit status is
// this script's.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import net from "node:net";
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
const env = {
  ...process.env,
  DATABASE_URL: db.url,
  COUNTERSIGN_ADMIN_TOKEN: adminToken,
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
    env: { ...process.env, COUNTERSIGN_URL: url, COUNTERSIGN_ADMIN_TOKEN: adminToken },
  });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  status = await new Promise((r) => child.on("exit", (code, signal) => r(code ?? (signal ? 1 : 0))));
} catch (err) {
  console.error(`[with-server] ${err instanceof Error ? err.message : err}`);
} finally {
  await stopServer();
}
process.exit(status);
