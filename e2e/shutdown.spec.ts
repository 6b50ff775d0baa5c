import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

// Shutdown on the embedded database. A second SIGTERM while the server is closing PGlite (a second
// Ctrl-C, a supervisor that signals twice) must not kill the process mid-close: PGlite would replay
// crash recovery at its next start, and whatever it had not written would be at risk. This spec runs
// a production server of its own (port 3130, PGlite in a scratch folder), signals its process group
// twice 10 ms apart, and checks that it exits 0 and that what it stored is there after a restart.
// It needs no browser and the normal e2e servers (3100/3101) are not used.

const ROOT = path.resolve(__dirname, "..");
const PORT = 3130;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN_TOKEN = "shutdown-installation-admin-token-0123456789";
const AUTH_SECRET = "shutdown-auth-secret-shutdown-auth-secret-0123";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(dataDir: string): Promise<Running> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_ADMIN_TOKEN: ADMIN_TOKEN,
    AUTH_SECRET,
    NEXT_MANUAL_SIG_HANDLE: "true",
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let log = "";
  const append = (chunk: Buffer) => (log += chunk.toString());
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited at start\n${log}`);
    const res = await fetch(`${BASE}/api/health`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (res?.status === 200) return { child, output: () => log, exited };
    if (Date.now() > deadline) {
      process.kill(-child.pid!, "SIGKILL");
      await exited;
      throw new Error(`the server did not become healthy\n${log}`);
    }
    await sleep(100);
  }
}

/** Signal the whole group (`next start` and the server it runs), as a terminal's Ctrl-C does. */
function signalGroup(server: Running, signal: NodeJS.Signals): void {
  process.kill(-server.child.pid!, signal);
}

async function admin(method: string, url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${BASE}${url}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

test.describe.configure({ mode: "serial" });

test("a second SIGTERM while PGlite closes is ignored: the server exits 0 and what it stored survives", async () => {
  test.setTimeout(180_000);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-shutdown-"));
  const dataDir = path.join(scratch, "pglite");
  let server: Running | null = null;
  try {
    server = await start(dataDir);
    expect((await admin("POST", "/api/v1/admin/tenants", { id: "shutdown" })).status).toBe(201);
    const user = await admin("POST", "/api/v1/admin/users", { tenant: "shutdown", email: "first@shutdown.example", roles: ["oncall"] });
    expect(user.status, JSON.stringify(user.body)).toBe(201);

    signalGroup(server, "SIGTERM");
    await sleep(10);
    signalGroup(server, "SIGTERM");
    const first = await server.exited;
    const log = server.output();
    server = null;
    expect(first, log).toEqual({ code: 0, signal: null });
    expect(log).toContain("SIGTERM: closing the database");
    expect(log).toContain("SIGTERM again: still closing the database");

    // The same folder again: the user written before the signals is there (a second one with the same
    // email is refused), and a new write works.
    server = await start(dataDir);
    const again = await admin("POST", "/api/v1/admin/users", { tenant: "shutdown", email: "first@shutdown.example", roles: ["oncall"] });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect((await admin("POST", "/api/v1/admin/users", { tenant: "shutdown", email: "second@shutdown.example", roles: [] })).status).toBe(201);

    signalGroup(server, "SIGINT");
    const second = await server.exited;
    expect(second, server.output()).toEqual({ code: 0, signal: null });
    server = null;
  } finally {
    if (server) {
      try {
        signalGroup(server, "SIGKILL");
      } catch {
        // already gone
      }
      await server.exited;
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
