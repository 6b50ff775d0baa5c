import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signalGroup, startOwnServer, type OwnServer } from "./support/server";

// Shutdown on the embedded database. A second SIGTERM while the server is closing PGlite (a second
// Ctrl-C, a supervisor that signals twice) must not kill the process mid-close: PGlite would replay
// crash recovery at its next start, and whatever it had not written would be at risk. This spec runs
// a production server of its own (port 3130, PGlite in a scratch folder), signals its process group
// twice 10 ms apart, and checks that it exits 0 and that what it stored is there after a restart.
// It needs no browser and the normal e2e servers (3100/3101) are not used.

const PORT = 3130;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN_TOKEN = "shutdown-installation-admin-token-0123456789";
const AUTH_SECRET = "shutdown-auth-secret-shutdown-auth-secret-0123";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The embedded default: no DATABASE_URL, PGlite in `dataDir`. */
const start = (dataDir: string) =>
  startOwnServer(PORT, { DATABASE_URL: undefined, COUNTERSIGN_DATA_DIR: dataDir, COUNTERSIGN_ADMIN_TOKEN: ADMIN_TOKEN, AUTH_SECRET });

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
  let server: OwnServer | null = null;
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
      signalGroup(server, "SIGKILL");
      await server.exited;
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
