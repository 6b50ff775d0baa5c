// A real Countersign server (scripts/with-server.mjs gives COUNTERSIGN_URL and the admin token), a
// tenant of our own provisioned through the API, and the gateway run as a real child process.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export const BASE = process.env.COUNTERSIGN_URL ?? "";
const ADMIN = process.env.COUNTERSIGN_ADMIN_TOKEN ?? "";
export const CLI = path.resolve(import.meta.dirname, "../bin/countersign.js");
export const EVERYTHING = path.resolve(import.meta.dirname, "../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const PASSWORD = "gateway-test-password-1";

export interface Res { status: number; body: any; headers: Headers }

export async function api(method: string, p: string, opts: { token?: string; cookie?: string; body?: unknown; yaml?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) Object.assign(headers, { cookie: opts.cookie, origin: BASE });
  let body: string | undefined;
  if (opts.yaml !== undefined) [headers["content-type"], body] = ["application/yaml", opts.yaml];
  else if (opts.body !== undefined) [headers["content-type"], body] = ["application/json", JSON.stringify(opts.body)];
  const res = await fetch(`${BASE}${p}`, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

function must(res: Res, status: number, what: string): any {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A reviewer's browser session, as the console gets it (next-auth credentials). */
async function signIn(email: string): Promise<string> {
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar, origin: BASE },
    body: new URLSearchParams({ email, password: PASSWORD, csrfToken, callbackUrl: BASE }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => /session-token=/.test(c));
  if (!session) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  return session.split(";")[0]!;
}

export interface World {
  tenant: string;
  agent: string;
  /** The agent's own jobs, newest first (GET /jobs). */
  jobs(q?: { topic?: string; job_hash?: string }): Promise<any[]>;
  approve(id: string): Promise<void>;
  reject(id: string, reason: string): Promise<void>;
  /** The job's audit events (the completion's detail is there). */
  audit(jobId: string): Promise<{ type: string; data: any }[]>;
  /** The first job of this topic that reaches `state`, waiting up to `ms`. */
  waitFor(topic: string, state: string, ms?: number): Promise<any>;
}

export async function makeWorld(name: string, policy: string, opts: { submitPerMinute?: number } = {}): Promise<World> {
  const tenant = `${name}-${randomBytes(4).toString("hex")}`;
  must(await api("POST", "/api/v1/admin/tenants", { token: ADMIN, body: { id: tenant } }), 201, "tenant");
  const owner = must(await api("POST", "/api/v1/admin/users", { token: ADMIN, body: { tenant, email: `owner@${tenant}.example`, roles: ["admin"], password: PASSWORD } }), 201, "owner");
  const policyToken = must(
    await api("POST", "/api/v1/admin/tokens", { token: ADMIN, body: { tenant, kind: "user", name: "policy", user_id: owner.id, scopes: ["policy:read", "policy:write", "audit:read"] } }),
    201,
    "policy token",
  ).token as string;
  must(await api("PUT", "/api/v1/policy", { token: policyToken, yaml: policy }), 200, "policy");
  const reviewerEmail = `reviewer@${tenant}.example`;
  must(await api("POST", "/api/v1/admin/users", { token: ADMIN, body: { tenant, email: reviewerEmail, roles: ["reviewer"], password: PASSWORD } }), 201, "reviewer");
  const cookie = await signIn(reviewerEmail);
  const agent = must(
    await api("POST", "/api/v1/admin/tokens", { token: ADMIN, body: { tenant, kind: "agent", name: "gateway", scopes: ["jobs:submit", "jobs:read", "jobs:execute"], owner_email: owner.email, ...(opts.submitPerMinute ? { rate_limits: { submit_per_minute: opts.submitPerMinute } } : {}) } }),
    201,
    "agent token",
  ).token as string;
  const jobs = async (q: { topic?: string; job_hash?: string } = {}) => {
    const qs = new URLSearchParams({ limit: "50", ...q }).toString();
    return must(await api("GET", `/api/v1/jobs?${qs}`, { token: agent }), 200, "jobs").items as any[];
  };
  const vote = async (verb: string, id: string, reason: string) =>
    void must(await api("POST", `/api/v1/approvals/${id}/${verb}`, { cookie, body: { reason } }), 200, verb);
  return {
    tenant,
    agent,
    jobs,
    audit: async (id) => must(await api("GET", `/api/v1/audit?job_id=${id}`, { token: policyToken }), 200, "audit").items,
    approve: (id) => vote("approve", id, "looks right"),
    reject: (id, reason) => vote("reject", id, reason),
    async waitFor(topic, state, ms = 15_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = (await jobs({ topic })).find((j) => j.job.state === state);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no ${topic} job reached ${state}: ${JSON.stringify((await jobs({ topic })).map((j) => j.job.state))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const everythingStdio = (name = "everything") => `  - name: ${name}\n    command: ["${process.execPath}", "${EVERYTHING}", "stdio"]\n`;

export function writeConfig(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cs-gw-"));
  const file = path.join(dir, "gateway.yaml");
  writeFileSync(file, yaml);
  return file;
}

export function gatewayYaml(opts: { url?: string; hold?: string; upstreams: string; extra?: string }): string {
  return `countersign: { url: ${opts.url ?? BASE}, token_env: GW_TOKEN }\nhold: ${opts.hold ?? "5s"}\n${opts.extra ?? ""}upstreams:\n${opts.upstreams}`;
}

export interface Running {
  client: Client;
  stderr: () => string;
  /** The gateway process (stdio: the one the client spawned). */
  pid: number;
  /** The gateway's MCP endpoint, over HTTP. */
  url?: string;
  close(): Promise<void>;
}

/** The gateway as a child process, driven by the official MCP client over stdio or streamable HTTP. */
export async function startGateway(configFile: string, token: string, opts: { http?: boolean; stateDir: string; env?: Record<string, string> }): Promise<Running> {
  const env: Record<string, string> = { ...getDefaultEnvironment(), GW_TOKEN: token, COUNTERSIGN_STATE_DIR: opts.stateDir, ...opts.env };
  const client = new Client({ name: "gateway-test", version: "1.0.0" });
  let log = "";
  if (!opts.http) {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp", "--config", configFile], env, stderr: "pipe" });
    transport.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    await client.connect(transport);
    return { client, stderr: () => log, pid: transport.pid!, close: () => client.close() };
  }
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [CLI, "mcp", "--config", configFile, "--http", String(port)], { env: env as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (d: Buffer) => {
      log += d.toString();
      if (log.includes("listening on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the gateway exited (${code}): ${log}`)));
  });
  const url = `http://127.0.0.1:${port}/mcp`;
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return {
    client,
    stderr: () => log,
    pid: child.pid!,
    url,
    async close() {
      await client.close();
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    },
  };
}

/** The same upstream, straight: what the gateway's answers are compared with. */
export async function direct(): Promise<Client> {
  const client = new Client({ name: "direct", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, "stdio"], stderr: "ignore" }));
  return client;
}

export const stateDir = () => mkdtempSync(path.join(os.tmpdir(), "cs-state-"));

/**
 * A proxy in front of the server that can be told to fail requests (503), to show how the gateway
 * survives an outage of Countersign between answering the model and reporting the outcome.
 */
export async function breakableProxy(): Promise<{ url: string; failing: (p: (method: string, path: string) => boolean) => void; close(): Promise<void> }> {
  let fail: (method: string, path: string) => boolean = () => false;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (fail(req.method ?? "GET", req.url ?? "/")) {
      res.writeHead(503, { "content-type": "application/problem+json" }).end(JSON.stringify({ status: 503, code: "unavailable", detail: "proxy says no" }));
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k))) as Record<string, string>;
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const up = await fetch(`${BASE}${req.url}`, { method: req.method, headers, body });
    res.writeHead(up.status, { "content-type": up.headers.get("content-type") ?? "application/json" }).end(Buffer.from(await up.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, failing: (p) => void (fail = p), close: () => new Promise((r) => server.close(() => r())) };
}
