import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { nextStartArgs } from "../../scripts/listen.mjs";

const ROOT = path.resolve(__dirname, "../..");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A production server a spec runs for itself: `next start` and the server it runs, one process group. */
export interface OwnServer {
  child: ChildProcess;
  /** The last 20,000 characters it printed. */
  output(): string;
  /** How `next start` ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Start the production build on `port` with `env` over this process's environment (a key set to
 * undefined is removed), and wait until /api/health answers 200. If it does not within 60 s, its group
 * is killed and the start fails with what it printed.
 */
export async function startOwnServer(port: number, env: Record<string, string | undefined>): Promise<OwnServer> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), NEXT_MANUAL_SIG_HANDLE: "true", ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", ...nextStartArgs(port)], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv,
  });
  let log = "";
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const server: OwnServer = { child, output: () => log, exited };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited at start\n${log.slice(-4000)}`);
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (res?.status === 200) return server;
    if (Date.now() > deadline) {
      signalGroup(server, "SIGKILL");
      await exited;
      throw new Error(`the server did not become healthy\n${log.slice(-4000)}`);
    }
    await sleep(100);
  }
}

/** Signal the whole group, as a terminal's Ctrl-C does; a group already gone is not an error. */
export function signalGroup(server: OwnServer, signal: NodeJS.Signals): void {
  try {
    process.kill(-server.child.pid!, signal);
  } catch {
    // already gone
  }
}
