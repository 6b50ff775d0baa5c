/**
 * The real server these tests run against (scripts/with-server.mjs sets COUNTERSIGN_URL and
 * COUNTERSIGN_ADMIN_TOKEN), and what each test file provisions on it over the API: its own tenant, a
 * policy, an agent token, and people who approve through their own signed-in session.
 */
import crypto from "node:crypto";
import { Countersign } from "@countersign/sdk";

export const URL_ = process.env.COUNTERSIGN_URL ?? "";
const ADMIN = process.env.COUNTERSIGN_ADMIN_TOKEN ?? "";
if (!URL_ || !ADMIN) {
  throw new Error("COUNTERSIGN_URL and COUNTERSIGN_ADMIN_TOKEN are unset: run `npm run test:server -w @countersign/sdk` (it starts a server).");
}

export const uniq = () => crypto.randomBytes(5).toString("hex");

export interface Answer<T = any> {
  status: number;
  body: T;
}

export async function api<T = any>(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; type?: string; cookie?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) {
    headers.cookie = opts.cookie;
    headers.origin = new URL(URL_).origin;
  }
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] = opts.type ?? "application/json";
  const res = await fetch(`${URL_}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed as T };
}

async function ok<T = any>(what: string, answer: Promise<Answer<T>>, status = [200, 201]): Promise<T> {
  const a = await answer;
  if (!status.includes(a.status)) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.body)}`);
  return a.body;
}

/** The policy every test tenant runs: one topic family per outcome. */
export const POLICY = `version: v1
defaults:
  decision: require_approval
  approvers: { roles: [reviewer], count: 1 }
  cutoff: 24h
rules:
  - id: allow-read
    match: { topics: ["sdk.**.read"] }
    decision: allow
  - id: bounded
    match: { topics: ["sdk.**.bounded"] }
    decision: allow_with_constraints
    constraints: { max_runtime_sec: 5 }
  - id: no-drop
    match: { topics: ["sdk.**.drop"] }
    decision: deny
    reason: Dropping data is never allowed
  - id: quick
    match: { topics: ["sdk.**.quick"] }
    decision: require_approval
    reason: Needs a quick yes
    cutoff: 2s
  - id: change
    match: { topics: ["sdk.**.change"] }
    decision: require_approval
    reason: Changes need a reviewer
`;

/** A person who decides over the API through their own session (signed in with email and password). */
export class Reviewer {
  constructor(
    readonly email: string,
    private readonly cookie: string,
  ) {}

  vote(jobId: string, verdict: "approve" | "reject", reason: string): Promise<Answer> {
    return api("POST", `/api/v1/approvals/${jobId}/${verdict}`, { cookie: this.cookie, body: { reason } });
  }
}

/** Email and password sign-in through next-auth's own routes, as the console's form does it. */
async function signIn(email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const absorb = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${URL_}/api/auth/csrf`);
  absorb(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${URL_}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie(), origin: new URL(URL_).origin },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${URL_}/queue` }).toString(),
  });
  absorb(res);
  const session = [...jar].find(([k]) => k.endsWith("authjs.session-token"));
  if (!session) throw new Error(`sign-in of ${email} failed: ${res.status} ${res.headers.get("location")}`);
  return `${session[0]}=${session[1]}`;
}

export interface Tenant {
  id: string;
  /** A tenant admin's token (admin, policy:write, audit:read, jobs:read). */
  admin: string;
  agentToken: string;
  client: Countersign;
  reviewer(roles?: string[]): Promise<Reviewer>;
}

/** A tenant of this test file's own, running POLICY, with an agent (jobs:submit, jobs:read, jobs:execute). */
export async function makeTenant(prefix: string): Promise<Tenant> {
  const id = `sdk-${prefix}-${uniq()}`;
  await ok("tenant", api("POST", "/api/v1/admin/tenants", { token: ADMIN, body: { id } }));
  const adminUser = await ok("admin user", api("POST", "/api/v1/admin/users", { token: ADMIN, body: { tenant: id, email: `admin@${id}.example`, roles: ["admin"] } }));
  const admin = (
    await ok("admin token", api("POST", "/api/v1/admin/tokens", { token: ADMIN, body: { tenant: id, kind: "user", name: "admin", user_id: adminUser.id, scopes: ["admin", "policy:read", "policy:write", "audit:read", "jobs:read"] } }))
  ).token as string;
  await ok("policy", api("PUT", "/api/v1/policy", { token: admin, raw: POLICY, type: "application/yaml" }));
  const agentToken = (
    await ok("agent token", api("POST", "/api/v1/admin/tokens", {
      token: ADMIN,
      body: { tenant: id, kind: "agent", name: "sdk-bot", scopes: ["jobs:submit", "jobs:read", "jobs:execute"], rate_limits: { submit_per_minute: 1_000_000, resolve_per_minute: 1_000_000 } },
    }))
  ).token as string;
  let n = 0;
  return {
    id,
    admin,
    agentToken,
    client: new Countersign({ baseUrl: URL_, token: agentToken }),
    async reviewer(roles = ["reviewer"]) {
      const email = `reviewer-${++n}-${uniq()}@${id}.example`;
      const password = `pw-${crypto.randomBytes(12).toString("hex")}`;
      await ok("reviewer", api("POST", "/api/v1/admin/users", { token: ADMIN, body: { tenant: id, email, roles, password } }));
      return new Reviewer(email, await signIn(email, password));
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
