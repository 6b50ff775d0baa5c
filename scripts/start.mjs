#!/usr/bin/env node
// `npm start`: build if needed, then serve the product. Without DATABASE_URL it runs on the embedded
// PGlite database in .data/, so a fresh checkout needs no database server.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { keptSecret } from "../lib/kept-secret.mjs";
import { buildState } from "./build-state.mjs";
import { listenHost, localUrl, nextStartArgs, reachLine } from "./listen.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);

const { stale } = buildState(root);
if (stale) {
  console.log("[countersign] building the production server (first start or sources changed)…");
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The installation admin token (API), and the key that signs console sessions.
const adminToken = keptSecret("admin-token", process.env.COUNTERSIGN_ADMIN_TOKEN, () => `cs_admin_${crypto.randomBytes(24).toString("base64url")}`);
const authSecret = keptSecret("auth-secret", process.env.AUTH_SECRET, () => crypto.randomBytes(32).toString("base64url"));
const demo = process.argv.includes("--demo");

const port = process.env.PORT ?? "8081";
const host = listenHost();
const url = localUrl(host, port);
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", ...nextStartArgs(port, host)], {
  stdio: "inherit",
  env: {
    ...process.env,
    PORT: port,
    COUNTERSIGN_ADMIN_TOKEN: adminToken,
    AUTH_SECRET: authSecret,
    NEXT_MANUAL_SIG_HANDLE: "true",
    ...(demo ? { COUNTERSIGN_DEMO: "1" } : {}),
  },
});
console.log(`
[countersign] ${url}  (database: ${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite in .data/"})
[countersign] ${reachLine(host)}
[countersign] installation admin token: ${adminToken}
[countersign] console: ${url}/signin${demo ? "  (demo people and their password are printed below once seeded)" : "  (on a first run, the setup link for the first admin is printed below)"}
[countersign] try the API: see "Try it" in README.md
`);

// Forward signals so the server closes its database cleanly, then leave with its status.
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
