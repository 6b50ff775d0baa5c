// The second reference: a bare Next.js app (one route handler answering like /api/ping, nothing else:
// no proxy, no instrumentation, no database), generated into a temporary folder, built once with the
// repo's own `next` and started in its own process. Its node_modules is a symlink to the repo's;
// Turbopack refuses a node_modules outside its root, so the root is set to "/" (webpack is the fallback).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CFG, LOG_DIR, root } from "../config.mjs";
import { load } from "../load.mjs";
import { NEXT_BIN, startServer } from "../server.mjs";
import { log, onCleanup } from "../util.mjs";

const FILES = {
  "package.json": JSON.stringify({ name: "countersign-bench-bare-next", private: true, version: "0.0.0" }, null, 2),
  "next.config.mjs": `export default { poweredByHeader: false, turbopack: { root: "/" }, outputFileTracingRoot: "/" };\n`,
  "app/layout.js": `export default function RootLayout({ children }) {\n  return children;\n}\n`,
  "app/api/ping/route.js": `export function GET() {\n  return Response.json({ ok: true });\n}\n`,
};

function build(dir, bundler) {
  const args = [NEXT_BIN, "build", ...(bundler === "webpack" ? ["--webpack"] : [])];
  const logFile = path.join(LOG_DIR, `bare-next-build-${bundler}.log`);
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  fs.mkdirSync(LOG_DIR, { recursive: true });
  fs.writeFileSync(logFile, `${r.stdout}\n${r.stderr}`);
  return r.status === 0 ? null : `${bundler} build failed (status ${r.status}); see ${path.relative(root, logFile)}`;
}

/** Generates, builds and starts the bare app; returns { server, info } (info: how it was built, in how long). */
export async function startBareNext() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-bench-bare-"));
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  const version = JSON.parse(fs.readFileSync(path.join(root, "node_modules", "next", "package.json"), "utf8")).version;
  log("building the bare Next.js app (reference)…");
  const t0 = Date.now();
  let bundler = "turbopack";
  const failed = build(dir, bundler);
  if (failed) {
    log(`${failed}; trying webpack`);
    bundler = "webpack";
    const again = build(dir, bundler);
    if (again) throw new Error(`the bare Next.js app did not build: ${failed}; ${again}`);
  }
  const info = `Next ${version}, ${bundler}, built in ${((Date.now() - t0) / 1000).toFixed(0)} s`;
  const server = await startServer({ name: "bare-next", port: CFG.barePort, cwd: dir, health: "/api/ping" });
  return { server, info };
}

/** The same closed-loop load as the in-app ping (connections, warm-up, duration). */
export function measureBare(bare) {
  return load({ base: bare.server.base, path: "/api/ping", token: "none", server: bare.server });
}
