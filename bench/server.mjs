// The servers under test: the production build, started in its own process group and stopped by PID;
// the scratch PostgreSQL database; and the tenant, people, tokens and policy provisioned through the API.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";
import { buildState } from "../scripts/build-state.mjs";
import { nextStartArgs } from "../scripts/listen.mjs";
import { ADMIN_TOKEN, AUTH_SECRET, CFG, KEEP_DB, LOG_DIR, NO_BUILD, PASSWORD, PG_BASE, root } from "./config.mjs";
import { policyYaml } from "./policy-gen.mjs";
import { childrenOf } from "./sampling.mjs";
import { log, onCleanup, sleep, tail } from "./util.mjs";

export const NEXT_BIN = path.join(root, "node_modules", "next", "dist", "bin", "next");

export function buildIfNeeded() {
  const { built, stale } = buildState(root);
  if (NO_BUILD) {
    if (!built) throw new Error("--no-build given but there is no build (.next/BUILD_ID)");
    if (stale) log("warning: --no-build with a build older than the sources");
    return "skipped (--no-build)";
  }
  if (!stale) return "up to date";
  log("building the production server (next build)…");
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`next build failed (status ${r.status})`);
  return `built in ${((Date.now() - t0) / 1000).toFixed(0)} s`;
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `next start` in `cwd` (the product by default) in its own process group, so a Ctrl-C in the terminal
 * reaches only us and we stop the server ourselves. `nodeArgs` go to node (e.g. --cpu-prof);
 * BENCH_SERVER_NODE_ARGS adds more to every server.
 */
export async function startServer({ name, port, env = {}, nodeArgs = [], cwd = root, health = "/api/health" }) {
  if (!(await portFree(port))) throw new Error(`port ${port} is in use; pick another range with --port=N`);
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `server-${name}.log`);
  const out = fs.openSync(logFile, "w");
  // A reviewer's own token cannot carry rate limits of its own (only an admin sets those, and no admin may
  // mint it), so the installation default for resolutions is lifted instead: the limiter still runs.
  const childEnv = {
    ...process.env,
    ...env,
    NODE_ENV: "production",
    COUNTERSIGN_ADMIN_TOKEN: ADMIN_TOKEN,
    AUTH_SECRET,
    COUNTERSIGN_RATE_RESOLVE_PER_MINUTE: "1000000",
    NEXT_MANUAL_SIG_HANDLE: "true",
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...extra, ...nodeArgs, NEXT_BIN, ...nextStartArgs(port, "127.0.0.1")], {
    cwd,
    env: childEnv,
    stdio: ["ignore", out, out],
    detached: true,
  });
  fs.closeSync(out);
  const pid = child.pid;
  let exited = false;
  child.once("exit", () => (exited = true));
  const server = {
    name,
    pid,
    logFile,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      if (exited || !alive(pid)) return;
      const kids = childrenOf(pid);
      process.kill(pid, "SIGTERM");
      const deadline = Date.now() + 15_000;
      while (!exited && alive(pid) && Date.now() < deadline) await sleep(100);
      if (!exited && alive(pid)) {
        log(`${name} server (pid ${pid}) ignored SIGTERM for 15 s: SIGKILL`);
        process.kill(pid, "SIGKILL");
      }
      for (const k of kids) if (alive(k)) process.kill(k, "SIGKILL");
    },
  };
  onCleanup(() => server.stop());

  const t0 = Date.now();
  for (;;) {
    if (exited) throw new Error(`${name} server exited during start; see ${path.relative(root, logFile)}:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${server.base}${health}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 120_000) throw new Error(`${name} server not healthy after 120 s; see ${logFile}:\n${tail(logFile)}`);
    await sleep(250);
  }
  log(`${name} server up (pid ${pid}, ${((Date.now() - t0) / 1000).toFixed(1)} s), log: ${path.relative(root, logFile)}`);
  return server;
}

export async function api(base, method, urlPath, token, body, contentType = "application/json") {
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": contentType } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  if (!res.ok) throw new Error(`${method} ${urlPath} → ${res.status}: ${text.slice(0, 500)}`);
  return json;
}

/** A fresh database for the run, dropped at the end (unless --keep-db); returns its URL and the server version. */
export async function scratchDatabase() {
  const dbName = `countersign_bench_${Date.now()}_${process.pid}`;
  const adminDb = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  await adminDb.unsafe(`create database "${dbName}"`);
  onCleanup(async () => {
    if (KEEP_DB) return log(`kept database ${dbName} (--keep-db)`);
    const c = postgres(PG_BASE, { max: 1, onnotice: () => {} });
    await c.unsafe(`drop database if exists "${dbName}" with (force)`);
    await c.end();
    log(`dropped database ${dbName}`);
  });
  const [{ version }] = await adminDb`select current_setting('server_version') as version`;
  await adminDb.end();
  const url = new URL(PG_BASE);
  url.pathname = `/${dbName}`;
  return { url: url.toString(), version };
}

/** A person's own token: they sign in (next-auth's credentials route) and mint it with that session. */
async function ownToken(base, who, body) {
  const jar = new Map();
  const take = (res) => {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0];
      jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  take(csrf);
  const { csrfToken } = await csrf.json();
  const form = new URLSearchParams({ csrfToken, email: who.email, password: PASSWORD, callbackUrl: `${base}/queue` });
  take(await fetch(`${base}/api/auth/callback/credentials`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie(), origin: base }, body: form, redirect: "manual" }));
  if (!jar.get("authjs.session-token")) throw new Error(`sign-in as ${who.email} failed`);
  const res = await fetch(`${base}/api/v1/admin/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: cookie(), origin: base },
    body: JSON.stringify({ kind: "user", user_id: who.id, ...body }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`minting ${who.email}'s token → ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text).token;
}

/** Tenant `bench`: two reviewers, an ops user and an agent, with a 50-rule policy (same for both databases). */
export async function provision(base) {
  const A = ADMIN_TOKEN;
  await api(base, "POST", "/api/v1/admin/tenants", A, { id: "bench", name: "Benchmark" });
  const user = (email, roles) => api(base, "POST", "/api/v1/admin/users", A, { tenant: "bench", email, roles, password: PASSWORD });
  // The load comes from one agent and one reviewer: lift their per-minute budgets well above what a run
  // sends, so the limiter is exercised (one UPSERT per request, as always) but never refuses. (A reviewer's
  // own token takes the installation's resolve default, lifted in startServer.)
  const rate_limits = { submit_per_minute: 1_000_000, resolve_per_minute: 1_000_000 };
  const userToken = async (name, userId, scopes) =>
    (await api(base, "POST", "/api/v1/admin/tokens", A, { tenant: "bench", kind: "user", name, user_id: userId, scopes, rate_limits })).token;

  const rev1 = await user("reviewer1@bench.example", ["service-owner", "oncall", "reviewer", "finance", "security", "eng-manager"]);
  const rev2 = await user("reviewer2@bench.example", ["reviewer", "oncall"]);
  const ops = await user("ops@bench.example", []);
  const reviewScopes = ["approvals:read", "approvals:resolve", "jobs:read"];
  const tokens = {
    reviewer: await ownToken(base, rev1, { name: "reviewer1", scopes: reviewScopes }),
    reviewer2: await ownToken(base, rev2, { name: "reviewer2", scopes: reviewScopes }),
    ops: await userToken("ops", ops.id, ["policy:read", "policy:write", "metrics:read"]),
    agent: (
      await api(base, "POST", "/api/v1/admin/tokens", A, {
        tenant: "bench",
        kind: "agent",
        name: "bench-agent",
        owner_email: "agent-owner@bench.example",
        scopes: ["jobs:submit", "jobs:read", "jobs:execute"],
        rate_limits,
      })
    ).token,
  };
  const yaml = policyYaml(defaultPolicyYaml(), CFG.generatedRules);
  const put = await api(base, "PUT", "/api/v1/policy", tokens.ops, yaml, "application/yaml");
  const active = await api(base, "GET", "/api/v1/policy", tokens.ops);
  const ruleCount = active?.policy?.rules?.length ?? (yaml.match(/^\s{2}- id:/gm) ?? []).length;
  return { tokens, snapshot: put?.snapshot_id ?? active?.snapshot_id, ruleCount };
}

/** The default policy text, read from lib/policy/default-policy.ts (this runner is plain JS). */
export function defaultPolicyYaml() {
  const src = fs.readFileSync(path.join(root, "lib", "policy", "default-policy.ts"), "utf8");
  const m = /export const DEFAULT_POLICY_YAML = `([\s\S]*?)`;/.exec(src);
  if (!m) throw new Error("could not find DEFAULT_POLICY_YAML in lib/policy/default-policy.ts");
  return m[1];
}
