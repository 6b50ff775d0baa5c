#!/usr/bin/env node
// `npm start`: build if needed, then serve the product. Without DATABASE_URL it runs on the embedded
// PGlite database in .data/, so a fresh checkout needs no database server.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildState } from "./build-state.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);

const { stale } = buildState(root);
if (stale) {
  console.log("[countersign] building the production server (first start or sources changed)…");
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The installation admin token: from the environment, else generated once and kept in .data/.
let adminToken = process.env.COUNTERSIGN_ADMIN_TOKEN;
if (!adminToken) {
  const file = path.join(root, ".data", "admin-token");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, `cs_admin_${crypto.randomBytes(24).toString("base64url")}\n`, { mode: 0o600 });
  adminToken = fs.readFileSync(file, "utf8").trim();
}

const port = process.env.PORT ?? "8081";
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], {
  stdio: "inherit",
  env: { ...process.env, COUNTERSIGN_ADMIN_TOKEN: adminToken, NEXT_MANUAL_SIG_HANDLE: "true" },
});
console.log(`
[countersign] http://localhost:${port}  (database: ${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite in .data/"})
[countersign] installation admin token: ${adminToken}
[countersign] try it: see "Try it" in README.md (mint a reviewer and an agent token with this admin token)
`);

// Forward signals so the server closes its database cleanly, then leave with its status.
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
