/**
 * `npm start`, `npm run demo` and the test servers listen on 127.0.0.1 unless HOST says otherwise
 * (Next alone listens on every interface, and README.md publishes the demo password), and the start
 * line says where it listens and how to widen it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listenHost, localUrl, nextStartArgs, reachLine } from "../scripts/listen.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");

describe("where next start listens", () => {
  it.each([
    [{}, "127.0.0.1"],
    [{ HOST: "" }, "127.0.0.1"],
    [{ HOST: "  " }, "127.0.0.1"],
    [{ HOST: "0.0.0.0" }, "0.0.0.0"],
    [{ HOST: "::" }, "::"],
    [{ HOST: "192.0.2.7" }, "192.0.2.7"],
  ])("HOST %j → %s", (env, host) => {
    expect(listenHost(env)).toBe(host);
    expect(nextStartArgs(8081, listenHost(env))).toEqual(["start", "-p", "8081", "-H", host]);
  });

  it("the start line says who can reach it and how to change that", () => {
    expect(reachLine("127.0.0.1")).toMatch(/127\.0\.0\.1 only: this machine\. Set HOST/);
    expect(reachLine("0.0.0.0")).toMatch(/0\.0\.0\.0 \(HOST\): every interface: other machines can reach it\. Unset HOST/);
    expect(reachLine("192.0.2.7")).toMatch(/192\.0\.2\.7 \(HOST\): other machines/);
    expect(localUrl("127.0.0.1", 8081)).toBe("http://localhost:8081");
    expect(localUrl("0.0.0.0", 8081)).toBe("http://localhost:8081");
    expect(localUrl("192.0.2.7", 8081)).toBe("http://192.0.2.7:8081");
    expect(localUrl("fd00::7", 8081)).toBe("http://[fd00::7]:8081");
  });

  it("every script that runs next start passes the address", () => {
    for (const file of ["scripts/start.mjs", "scripts/e2e-server.mjs", "e2e/support/server.ts", "bench/server.mjs", "scripts/with-server.mjs"]) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      expect(text, file).toContain("...nextStartArgs(");
      expect(text, `${file} starts next without an address`).not.toMatch(/"start",\s*"-p"/);
    }
  });
});

/**
 * Run the real scripts/start.mjs in a scratch copy of the checkout whose `next` is a stand-in: it
 * records its arguments and listens where it is told, as `next start` does, so the test needs no build.
 */
async function runStart(env: Record<string, string>): Promise<{ out: string; args: string[]; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-start-"));
  fs.mkdirSync(path.join(dir, "scripts"));
  for (const f of ["start.mjs", "listen.mjs", "build-state.mjs"]) fs.copyFileSync(path.join(ROOT, "scripts", f), path.join(dir, "scripts", f));
  fs.mkdirSync(path.join(dir, "lib"));
  fs.copyFileSync(path.join(ROOT, "lib/kept-secret.mjs"), path.join(dir, "lib/kept-secret.mjs"));
  fs.mkdirSync(path.join(dir, ".next"));
  fs.writeFileSync(path.join(dir, ".next", "BUILD_ID"), "stub"); // no sources here: never stale
  fs.mkdirSync(path.join(dir, "node_modules/next/dist/bin"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "node_modules/next/dist/bin/next"),
    `const net = require("node:net");
const a = process.argv.slice(2);
console.log("NEXT-ARGS " + JSON.stringify(a));
net.createServer((s) => s.end()).listen(Number(a[a.indexOf("-p") + 1]), a[a.indexOf("-H") + 1], () => console.log("NEXT-LISTENING"));
process.on("SIGTERM", () => process.exit(0));
`,
  );
  const child = spawn(process.execPath, [path.join(dir, "scripts/start.mjs")], { cwd: dir, env: { PATH: process.env.PATH, NODE_ENV: "production", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 15_000;
  while (!out.includes("NEXT-LISTENING")) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`start.mjs did not come up:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const args = JSON.parse(/NEXT-ARGS (.*)/.exec(out)![1]!) as string[];
  return {
    out,
    args,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host, port }, () => (s.destroy(), resolve(true)));
    s.on("error", () => resolve(false));
  });
const externalAddress = () => Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal)?.address;

describe("npm start (scripts/start.mjs)", () => {
  it("listens on 127.0.0.1 only by default, and says so and how to widen it", async () => {
    const port = await freePort();
    const run = await runStart({ PORT: String(port) });
    try {
      expect(run.args).toEqual(["start", "-p", String(port), "-H", "127.0.0.1"]);
      expect(run.out).toContain(`[countersign] listening on 127.0.0.1 only: this machine. Set HOST (e.g. HOST=0.0.0.0) to accept other machines.`);
      expect(run.out).toContain(`[countersign] http://localhost:${port}`);
      expect(await reachable("127.0.0.1", port)).toBe(true);
      const external = externalAddress();
      if (external) expect(await reachable(external, port)).toBe(false);
    } finally {
      await run.stop();
    }
  });

  it("HOST widens it, and the start line says so", async () => {
    const port = await freePort();
    const run = await runStart({ PORT: String(port), HOST: "0.0.0.0" });
    try {
      expect(run.args).toEqual(["start", "-p", String(port), "-H", "0.0.0.0"]);
      expect(run.out).toContain("[countersign] listening on 0.0.0.0 (HOST): every interface: other machines can reach it.");
      const external = externalAddress();
      if (external) expect(await reachable(external, port)).toBe(true);
    } finally {
      await run.stop();
    }
  });
});
