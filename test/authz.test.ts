/**
 * The authorisation matrix. Every route file under app/api and every method it serves has exactly one
 * entry in MATRIX below (the first test fails otherwise, in both directions), and every case in this
 * file is generated from that table: bad credentials (401), each scope missing (403), agents and service
 * tokens on reviewer/admin routes (403), another tenant's ids (404 exactly as an unknown id) and rows,
 * each approval role missing, a role removed mid-review (also raced), and cross-site requests riding a
 * session cookie. Every refusal is checked to be problem+json with its stable code, and to store nothing.
 *
 * Requests go to the real route handlers (imported from app/api, so routes test/http.ts does not know
 * are covered too) against the real database.
 */
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { scopesForRoles } from "@/lib/services/context";
import { getDb } from "@/lib/db/client";
import { DEFAULT_POLICY_YAML } from "@/lib/policy/default-policy";
import { SCOPES, type Scope } from "@/lib/services/context";
import { AGENT_FORBIDDEN } from "@/lib/services/provisioning/schemas";
import { ADMIN, makeWorld, mintableBy, ownToken, sessionCookie, type World } from "./fixtures";
import { call } from "./http";
import { expectProblem } from "./problem";
import { routeFiles, templateOf } from "./routes";

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/** Who succeeds with an entry's valid request (the positive control for every refusal). */
type As = "agent" | "admin" | "reviewer" | "installation";
/** What a path id names; every tenant's fixture has one of each. */
type IdKind = "pending" | "forApprove" | "forReject" | "forCancel" | "approved" | "running" | "user" | "token" | "target" | "delivery" | "snapshot" | "standing";

interface Req {
  params?: Record<string, string>;
  query?: string;
  body?: Record<string, unknown>;
  rawBody?: string;
  contentType?: string;
}

interface Entry {
  /**
   * public: no credentials at all. fallback: unknown /api/v1 paths (404 problem for anyone).
   * scoped: any principal holding one of `scopes`. person: a person holding `scopes` (agents and the
   * installation token answer agent_cannot_resolve). installation: the installation admin token only.
   * signed: no token; the sender's own request signature (Slack's), checked in test/slack.test.ts.
   */
  who: "public" | "fallback" | "scoped" | "person" | "installation" | "signed";
  /** Any one of these suffices (apiRoute's requireScope is any-of). */
  scopes?: Scope[];
  as?: As;
  id?: IdKind;
  /** Accepts `tenant` (query or body); only the installation admin may name another tenant. */
  tenantParam?: "query" | "body";
  /** A listing of the tenant's own rows: must show the caller's and never another tenant's. */
  lists?: boolean;
  stream?: boolean;
  /** Cannot be loaded in-process (Auth.js needs Next's runtime); its exports are read from source. */
  inProcess?: false;
  /** The request that succeeds for `as` (so that "nothing stored" after a refusal means something). */
  req?: (r: Res) => Req;
}

const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] };
const HOOK = "https://hooks.example.com/countersign";
const uniq = () => ulid().toLowerCase().slice(-10);
// A real change of policy (not a no-op re-upload), so a PUT that got through would be visible.
const POLICY_V2 = DEFAULT_POLICY_YAML.replace("cutoff: 24h", "cutoff: 23h");

const admin = (extra: Partial<Entry> = {}): Entry => ({ who: "scoped", scopes: ["admin"], as: "admin", ...extra });

const MATRIX: Record<string, Entry> = {
  // Public.
  "GET /api/health": { who: "public" },
  "GET /api/ping": { who: "public" },
  "GET /api/v1/openapi.json": { who: "public" },
  "POST /api/v1/integrations/slack/interactions": { who: "signed" },
  "GET /api/auth/[...nextauth]": { who: "public", inProcess: false },
  "POST /api/auth/[...nextauth]": { who: "public", inProcess: false },
  // Unknown API paths answer problem+json 404 whoever asks.
  "GET /api/v1/[...rest]": { who: "fallback" },
  "POST /api/v1/[...rest]": { who: "fallback" },
  "PUT /api/v1/[...rest]": { who: "fallback" },
  "PATCH /api/v1/[...rest]": { who: "fallback" },
  "DELETE /api/v1/[...rest]": { who: "fallback" },
  "GET /api/[...rest]": { who: "fallback" },
  "POST /api/[...rest]": { who: "fallback" },
  "PUT /api/[...rest]": { who: "fallback" },
  "PATCH /api/[...rest]": { who: "fallback" },
  "DELETE /api/[...rest]": { who: "fallback" },

  // Agents.
  "POST /api/v1/jobs": { who: "scoped", scopes: ["jobs:submit"], as: "agent", req: () => ({ body: { ...PROD_WRITE, payload: { n: uniq() } } }) },
  "GET /api/v1/jobs": { who: "scoped", scopes: ["jobs:read"], as: "agent", lists: true },
  "GET /api/v1/jobs/[id]": { who: "scoped", scopes: ["jobs:read"], as: "agent", id: "pending" },
  "GET /api/v1/jobs/[id]/decisions": { who: "scoped", scopes: ["jobs:read", "approvals:read"], as: "reviewer", id: "pending" },
  "POST /api/v1/jobs/[id]/claim": {
    who: "scoped",
    scopes: ["jobs:execute"],
    as: "agent",
    id: "approved",
    req: (r) => ({ body: { job_hash: r.approved.hash } }),
  },
  "POST /api/v1/jobs/[id]/complete": { who: "scoped", scopes: ["jobs:execute"], as: "agent", id: "running", req: () => ({ body: { outcome: "succeeded" } }) },
  "POST /api/v1/jobs/[id]/cancel": { who: "scoped", scopes: ["jobs:submit"], as: "agent", id: "forCancel", req: () => ({ body: { reason: "withdrawn" } }) },

  // Reviewers.
  "GET /api/v1/approvals": { who: "scoped", scopes: ["approvals:read"], as: "reviewer", lists: true, req: () => ({ query: "include_resolved=true&limit=200" }) },
  "GET /api/v1/approvals/stream": { who: "scoped", scopes: ["approvals:read"], as: "reviewer", stream: true },
  "POST /api/v1/approvals/[job_id]/approve": { who: "person", scopes: ["approvals:resolve"], as: "reviewer", id: "forApprove", req: () => ({ body: { reason: "looks right" } }) },
  "POST /api/v1/approvals/[job_id]/reject": { who: "person", scopes: ["approvals:resolve"], as: "reviewer", id: "forReject", req: () => ({ body: { reason: "not now" } }) },
  "GET /api/v1/approvals/standing": { who: "scoped", scopes: ["approvals:read"], as: "reviewer" },
  // The granter (the fixture's reviewer) or an admin; revoking twice answers as the first time.
  "DELETE /api/v1/approvals/standing/[id]": { who: "scoped", scopes: ["approvals:resolve", "admin"], as: "reviewer", id: "standing" },

  // Policy.
  "GET /api/v1/policy": { who: "scoped", scopes: ["policy:read"], as: "admin", lists: true },
  "PUT /api/v1/policy": { who: "scoped", scopes: ["policy:write"], as: "admin", req: () => ({ rawBody: POLICY_V2, contentType: "application/yaml" }) },
  "GET /api/v1/policy/snapshots": { who: "scoped", scopes: ["policy:read"], as: "admin", lists: true },
  "GET /api/v1/policy/budgets": { who: "scoped", scopes: ["policy:read"], as: "admin" },
  "POST /api/v1/policy/simulate": {
    who: "scoped",
    scopes: ["policy:read"],
    as: "admin",
    req: () => ({ body: { yaml: POLICY_V2, job: { ...PROD_WRITE, payload: {} } } }),
  },
  "POST /api/v1/policy/test": {
    who: "scoped",
    scopes: ["policy:read"],
    as: "admin",
    req: () => ({ body: { policy: POLICY_V2, tests: "- name: read\n  job: { topic: job.repo.read }\n  expect: { decision: ALLOW }\n" } }),
  },
  "POST /api/v1/policy/snapshots/[id]/activate": { who: "scoped", scopes: ["policy:write"], as: "admin", id: "snapshot" },

  // Metrics and audit.
  "GET /api/v1/metrics/daily": { who: "scoped", scopes: ["metrics:read"], as: "reviewer", req: () => ({ query: "window=30d" }) },
  "GET /api/v1/metrics/decisions": { who: "scoped", scopes: ["metrics:read"], as: "reviewer", req: () => ({ query: "window=30d&group_by=approver" }) },
  "GET /api/v1/metrics/shadow": { who: "scoped", scopes: ["metrics:read"], as: "reviewer", req: () => ({ query: "window=30d" }) },
  "GET /api/metrics": { who: "scoped", scopes: ["metrics:read"], as: "reviewer" },
  "GET /api/v1/audit": { who: "scoped", scopes: ["audit:read"], as: "admin", lists: true, req: () => ({ query: "limit=1000" }) },
  "GET /api/v1/audit/export": { who: "scoped", scopes: ["audit:read"], as: "admin", lists: true },
  "GET /api/v1/audit/verify": { who: "scoped", scopes: ["audit:read"], as: "admin" },
  // Every tenant's chain for the installation token; a tenant's own otherwise (`tenant` names one).
  "POST /api/v1/audit/verify": { who: "scoped", scopes: ["audit:read"], as: "admin", tenantParam: "query", req: () => ({ body: { checkpoints: "" } }) },

  // Provisioning.
  "POST /api/v1/admin/tenants": { who: "installation", scopes: ["admin"], as: "installation", req: () => ({ body: { id: `authz-new-${uniq()}` } }) },
  "POST /api/v1/admin/users": admin({ tenantParam: "body", req: () => ({ body: { email: `new-${uniq()}@example.com`, roles: ["reviewer"] } }) }),
  "PATCH /api/v1/admin/users/[id]": admin({ id: "user", req: () => ({ body: { roles: ["developer"] } }) }),
  "POST /api/v1/admin/tokens": admin({ tenantParam: "body", req: () => ({ body: { kind: "agent", name: "minted", scopes: ["jobs:read"] } }) }),
  "DELETE /api/v1/admin/tokens/[id]": admin({ id: "token" }),
  "GET /api/v1/admin/users": admin({ tenantParam: "query", lists: true }),
  "POST /api/v1/admin/users/[id]/password-link": admin({ id: "user" }),
  "GET /api/v1/admin/tokens": admin({ tenantParam: "query", lists: true }),
  "GET /api/v1/admin/deliveries": admin({ tenantParam: "query", lists: true }),
  "POST /api/v1/admin/deliveries/[id]/redeliver": admin({ id: "delivery" }),
  "GET /api/v1/admin/notification-targets": admin({ tenantParam: "query", lists: true }),
  "POST /api/v1/admin/notification-targets": admin({ tenantParam: "body", req: () => ({ body: { url: HOOK } }) }),
  "DELETE /api/v1/admin/notification-targets/[id]": admin({ id: "target" }),
  "GET /api/v1/admin/callback-secrets": admin({ tenantParam: "query" }),
  "POST /api/v1/admin/callback-secrets": admin({ tenantParam: "query" }),
};

const KEYS = Object.keys(MATRIX);
const split = (key: string) => {
  const i = key.indexOf(" ");
  return { method: key.slice(0, i), template: key.slice(i + 1) };
};
const paramNames = (template: string) => [...template.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
/** Every entry that needs credentials. */
const AUTH_KEYS = KEYS.filter((k) => ["scoped", "person", "installation"].includes(MATRIX[k]!.who));
const isWrite = (k: string) => split(k).method !== "GET";

// ---------------------------------------------------------------------------------------------
// Calling the real handlers
// ---------------------------------------------------------------------------------------------

const ORIGIN = "http://localhost:3000";
const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"];
type Handler = (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response> | Response;
const fileOf = (template: string) => routeFiles().find((f) => templateOf(f) === template);

/** The HTTP methods a route file exports, read from its source (for files that cannot load here). */
function sourceMethods(src: string): string[] {
  const names = new Set<string>();
  for (const m of src.matchAll(/export\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  for (const m of src.matchAll(/export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  for (const m of src.matchAll(/export\s+(?:const|let|var)\s*\{([^}]*)\}/g)) for (const n of m[1]!.split(",")) names.add(n.split(":").pop()!.trim());
  for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) for (const n of m[1]!.split(",")) names.add(n.split(/\s+as\s+/).pop()!.trim());
  return [...names].filter((n) => METHODS.includes(n)).sort();
}

const modules = new Map<string, Promise<Record<string, unknown>>>();
function load(template: string): Promise<Record<string, unknown>> {
  if (!modules.has(template)) {
    const file = fileOf(template);
    if (!file) throw new Error(`no route file for ${template}`);
    modules.set(template, import(/* @vite-ignore */ file));
  }
  return modules.get(template)!;
}

interface Cred {
  token?: string;
  /** A raw Authorization header (wins over token). */
  authorization?: string;
  cookie?: string;
  origin?: string;
  headers?: Record<string, string>;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** One request to the route file's handler, exactly as Next would call it. Streams are read briefly. */
async function hit(key: string, req: Req = {}, cred: Cred = {}): Promise<Answer> {
  const { method, template } = split(key);
  const handler = (await load(template))[method] as Handler | undefined;
  if (typeof handler !== "function") throw new Error(`${key}: no handler exported`);
  let pathname = template;
  for (const name of paramNames(template)) {
    const value = name.startsWith("...") ? "no/such/route" : encodeURIComponent(req.params?.[name] ?? "none");
    pathname = pathname.replace(`[${name}]`, value);
  }
  const url = new URL(pathname + (req.query ? `?${req.query}` : ""), ORIGIN);
  // A fixed request id, so that two answers can be compared whole (see test/http.ts).
  const headers: Record<string, string> = { "x-request-id": "authz", ...cred.headers };
  if (cred.token) headers.authorization = `Bearer ${cred.token}`;
  if (cred.authorization !== undefined) headers.authorization = cred.authorization;
  if (cred.cookie) headers.cookie = cred.cookie;
  if (cred.origin) headers.origin = cred.origin;
  let body: string | undefined;
  if (req.rawBody !== undefined) {
    body = req.rawBody;
    headers["content-type"] = req.contentType ?? "text/plain";
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers["content-type"] = "application/json";
  }
  const abort = new AbortController();
  const request = new Request(url, { method, headers, body, signal: abort.signal });
  const params: Record<string, string | string[]> = {};
  for (const name of paramNames(template)) {
    if (name.startsWith("...")) params[name.slice(3)] = ["no", "such", "route"];
    else params[name] = req.params?.[name] ?? "none";
  }
  // Like Next: a route without dynamic segments gets no params at all.
  const context = (paramNames(template).length ? { params: Promise.resolve(params) } : {}) as { params: Promise<unknown> };
  const res = await handler(request, context);
  let text = "";
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const stream = tap(res);
    text = await stream.until((t) => t.includes("event: ready"), 3000);
    abort.abort();
    await stream.close();
  } else {
    text = await res.text();
  }
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (ndjson, Prometheus text, SSE)
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Reads a streamed body without ever dropping a chunk: at most one read is outstanding, across calls. */
function tap(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  const t = {
    text: "",
    done: false,
    /** Read until `pred(text)` holds, the stream ends, or `ms` pass. */
    async until(pred: (text: string) => boolean, ms: number): Promise<string> {
      const deadline = Date.now() + ms;
      while (!t.done && !pred(t.text) && Date.now() < deadline) {
        pending ??= reader.read();
        const r = await Promise.race([pending, new Promise<null>((ok) => setTimeout(() => ok(null), Math.max(1, deadline - Date.now())))]);
        if (r === null) break;
        pending = null;
        if (r.done) t.done = true;
        else t.text += decoder.decode(r.value, { stream: true });
      }
      return t.text;
    },
    close: () => reader.cancel().catch(() => {}),
  };
  return t;
}

/** Open a streaming GET entry; the caller reads it with `until` and must `end` it. */
async function openStream(key: string, cred: Cred) {
  const { template } = split(key);
  const handler = (await load(template)).GET as Handler;
  const abort = new AbortController();
  const headers: Record<string, string> = {};
  if (cred.token) headers.authorization = `Bearer ${cred.token}`;
  if (cred.cookie) headers.cookie = cred.cookie;
  const res = await handler(new Request(new URL(template, ORIGIN), { headers, signal: abort.signal }), {} as { params: Promise<unknown> });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const t = tap(res);
  return Object.assign(t, {
    async end() {
      abort.abort();
      await t.close();
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Fixtures: one of every resource per tenant
// ---------------------------------------------------------------------------------------------

const USER_SCOPES = ["jobs:read", "approvals:read", "approvals:resolve", "policy:read", "metrics:read", "audit:read"];

interface Who {
  id: string;
  email: string;
  token: string;
  tokenId: string;
}

interface Item {
  id: string;
  hash: string;
}

interface Res extends Record<IdKind, Item> {
  w: World;
  reviewer: Who;
  secret: string;
  mark: string;
}

let seq = 0;
/** A person of the world's tenant, provisioned by the tenant's own admin (spreads load off the installation token). */
async function person(w: World, roles: string[], label = "p", scopes: string[] = USER_SCOPES): Promise<Who> {
  const n = ++seq;
  const email = `${label}-${n}-${uniq().slice(-6)}@${w.tenant}.example`;
  const u = await call("POST", "/api/v1/admin/users", { token: w.admin, body: { email, roles } });
  expect(u.status, JSON.stringify(u.body)).toBe(201);
  // Their own token: only they may mint one that approves.
  const t = await ownToken({ id: u.body.id, tenant: w.tenant }, { name: `${label}-${n}`, scopes: mintableBy(roles, scopes) });
  return { id: u.body.id, email, token: t.token, tokenId: t.id };
}

/** A token for a person: their own when it can approve (the person then needs the admin role for exotic sets), else the tenant admin's. */
async function mintUserToken(w: World, userId: string, scopes: readonly string[], extra: { expires_at?: string } = {}) {
  if (scopes.includes("approvals:resolve")) return ownToken({ id: userId, tenant: w.tenant }, { name: `scoped-${++seq}`, scopes, ...extra });
  const t = await call("POST", "/api/v1/admin/tokens", {
    token: w.admin,
    body: { kind: "user", name: `scoped-${++seq}`, scopes, user_id: userId, ...extra },
  });
  expect(t.status, JSON.stringify(t.body)).toBe(201);
  return t.body as { id: string; token: string };
}

const item = (submitted: { job: { id: string }; job_hash: string }): Item => ({ id: submitted.job.id, hash: submitted.job_hash });

async function makeRes(w: World, mark: string): Promise<Res> {
  // An earlier snapshot to roll back to, made before any job exists so no job is re-decided by it.
  const shipped = await call("GET", "/api/v1/policy", { token: w.admin });
  const rollbackTo = await call("PUT", "/api/v1/policy", { token: w.admin, rawBody: DEFAULT_POLICY_YAML.replace("cutoff: 24h", "cutoff: 22h"), headers: { "content-type": "application/yaml" } });
  expect(rollbackTo.status, JSON.stringify(rollbackTo.body)).toBe(200);
  const back = await call("PUT", "/api/v1/policy", { token: w.admin, rawBody: DEFAULT_POLICY_YAML, headers: { "content-type": "application/yaml" } });
  expect(back.body.snapshot_id).toBe(shipped.body.snapshot_id);
  const reviewer = await person(w, ["oncall"], "rev");
  const pw = (n: string, extra: Record<string, unknown> = {}) => w.submit({ ...PROD_WRITE, payload: { n, mark }, ...extra });
  const [pending, forApprove, forReject, forCancel] = await Promise.all([pw("pending"), pw("approve"), pw("reject"), pw("cancel")]);
  for (const j of [pending, forApprove, forReject, forCancel]) expect(j.job.state).toBe("APPROVAL");
  const approved = await w.submit({ topic: "job.repo.read", payload: { n: "approved", mark } });
  expect(approved.job.state).toBe("APPROVED");
  const run = await w.submit({ topic: "job.repo.read", payload: { n: "running", mark } });
  const claimed = await call("POST", `/api/v1/jobs/${run.job.id}/claim`, { token: w.agent, body: { job_hash: run.job_hash } });
  expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);

  const user = await person(w, ["reviewer"], "patchme");
  const tok = await call("POST", "/api/v1/admin/tokens", { token: w.admin, body: { kind: "agent", name: "revoke-me", scopes: ["jobs:read"] } });
  expect(tok.status).toBe(201);
  const target = await call("POST", "/api/v1/admin/notification-targets", { token: w.admin, body: { url: `${HOOK}/${mark}` } });
  expect(target.status, JSON.stringify(target.body)).toBe(201);

  // A delivery: the cancellation of a job with a callback_url queues one (nobody sends it here).
  const cb = await pw("callback", { callback_url: `${HOOK}/cb/${mark}` });
  const cancelled = await call("POST", `/api/v1/jobs/${cb.job.id}/cancel`, { token: w.agent, body: {} });
  expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
  const dl = await call("GET", `/api/v1/admin/deliveries?job_id=${cb.job.id}`, { token: w.admin });
  expect(dl.status).toBe(200);
  expect(dl.body.items.length).toBeGreaterThan(0);

  const secrets = await call("GET", "/api/v1/admin/callback-secrets", { token: w.admin });
  expect(secrets.status).toBe(200);

  // One counted vote, so votes, resolutions and approver metrics exist for this tenant too.
  const voted = await pw("voted");
  const vote = await call("POST", `/api/v1/approvals/${voted.job.id}/approve`, { token: reviewer.token, body: { reason: `approved ${mark}` } });
  expect(vote.status, JSON.stringify(vote.body)).toBe(200);
  // A standing approval granted by the reviewer (DELETE /approvals/standing/{id} names it).
  const stood = await pw("standing");
  const grant = await call("POST", `/api/v1/approvals/${stood.job.id}/approve`, { token: reviewer.token, body: { reason: `stands ${mark}`, standing_for: "1h" } });
  expect(grant.status, JSON.stringify(grant.body)).toBe(200);

  return {
    w,
    reviewer,
    mark,
    secret: secrets.body.items[0].secret,
    pending: item(pending),
    forApprove: item(forApprove),
    forReject: item(forReject),
    forCancel: item(forCancel),
    approved: item(approved),
    running: item(run),
    user: { id: user.id, hash: "" },
    token: { id: tok.body.id, hash: "" },
    target: { id: target.body.id, hash: "" },
    delivery: { id: dl.body.items[0].id, hash: "" },
    snapshot: { id: rollbackTo.body.snapshot_id, hash: "" },
    standing: { id: grant.body.standing_approval.id, hash: "" },
  };
}

/** The entry's valid request against a tenant's fixture. */
function requestFor(key: string, r: Res): Req {
  const e = MATRIX[key]!;
  const base = e.req?.(r) ?? {};
  const names = paramNames(split(key).template);
  if (!names.length) return base;
  if (!e.id) throw new Error(`${key}: has a path id but the table does not say what it names`);
  return { ...base, params: { [names[0]!]: r[e.id].id } };
}

function tokenFor(r: Res, as: As): string {
  switch (as) {
    case "agent":
      return r.w.agent;
    case "admin":
      return r.w.admin;
    case "reviewer":
      return r.reviewer.token;
    case "installation":
      return ADMIN();
  }
}

/** An id of the same shape that names nothing. */
const unknownLike = (id: string) => `${id.split("-")[0]}-00000000000000000000000000`;

// ---------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------


const CONTENT_TABLES = [
  "tenants",
  "users",
  "tokens",
  "policy_snapshots",
  "policy_activations",
  "jobs",
  "decisions",
  "votes",
  "deliveries",
  "delivery_attempts",
  "callback_secrets",
  "notification_targets",
  "standing_approvals",
];

/** Everything a request could store. Audit events are counted (listing them seals them, which is no change). */
async function fingerprint(): Promise<Record<string, string>> {
  const db = await getDb();
  // A token's last use is written in the background by earlier, accepted requests (lib/auth/token-use.ts).
  const row = `(to_jsonb(x) - 'last_used_at')::text`;
  const cols = CONTENT_TABLES.map((t) => `(select md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) from ${t} x) as ${t}`);
  cols.push("(select count(*)::text from audit_events) as audit_events");
  const rows = (await db.execute(sql.raw(`select ${cols.join(", ")}`))) as unknown as Record<string, string>[];
  return rows[0]!;
}

/** The request is refused with exactly this problem, and nothing anywhere changed. */
async function refused(key: string, req: Req, cred: Cred, status: number, code: string): Promise<Answer> {
  const before = await fingerprint();
  const res = await hit(key, req, cred);
  expectProblem(res, status, code);
  expect(await fingerprint(), `${key} stored something while answering ${status} ${code}`).toEqual(before);
  return res;
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const db = await getDb();
  return (await db.execute(query)) as unknown as T[];
}

// ---------------------------------------------------------------------------------------------
// 0. The table is the route list
// ---------------------------------------------------------------------------------------------

describe("the matrix is generated from the route list", () => {
  it("every method served by every route file under app/api has an entry, and every entry exists", async () => {
    const discovered: string[] = [];
    const problems: string[] = [];
    for (const file of routeFiles()) {
      const template = templateOf(file);
      const declared = sourceMethods(fs.readFileSync(file, "utf8"));
      let mod: Record<string, unknown>;
      try {
        mod = await load(template);
      } catch (err) {
        // Only entries marked as such may be unloadable here, and then every method the source exports counts as served.
        const marked = declared.length > 0 && declared.every((m) => MATRIX[`${m} ${template}`]?.inProcess === false);
        if (!marked) problems.push(`${template}: cannot be loaded in-process (${String(err).slice(0, 120)})`);
        discovered.push(...declared.map((m) => `${m} ${template}`));
        continue;
      }
      const exported = Object.keys(mod).filter((k) => METHODS.includes(k) && typeof mod[k] === "function").sort();
      // The source reader is the fallback above: it must agree wherever it can be checked.
      expect(declared, `${template}: methods read from source`).toEqual(exported);
      const served: string[] = [];
      const refusedMethods: Answer[] = [];
      for (const method of exported) {
        const res = await hit(`${method} ${template}`, { params: {} });
        if (res.status === 405) refusedMethods.push(res);
        else served.push(method);
      }
      for (const res of refusedMethods) {
        expectProblem(res, 405, "method_not_allowed");
        const allow = (res.headers.get("allow") ?? "").split(",").map((s) => s.trim()).filter(Boolean).sort();
        expect(allow, `${template}: Allow`).toEqual([...served].sort());
      }
      discovered.push(...served.map((m) => `${m} ${template}`));
    }
    expect(problems).toEqual([]);
    const missing = discovered.filter((k) => !(k in MATRIX));
    const stale = KEYS.filter((k) => !discovered.includes(k));
    expect(missing, "routes with no entry in MATRIX: add one").toEqual([]);
    expect(stale, "MATRIX entries naming no served route").toEqual([]);
    // Every entry that needs credentials says who it is for and which scope(s) it needs.
    for (const k of AUTH_KEYS) {
      const e = MATRIX[k]!;
      expect(e.scopes?.length, `${k}: scopes`).toBeGreaterThan(0);
      expect(e.as, `${k}: as`).toBeTruthy();
      if (paramNames(split(k).template).length) expect(e.id, `${k}: id`).toBeTruthy();
    }
  });

  it.each(KEYS.filter((k) => MATRIX[k]!.who === "public" && MATRIX[k]!.inProcess !== false))("%s answers without credentials", async (key) => {
    const res = await hit(key);
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it.each(KEYS.filter((k) => MATRIX[k]!.who === "signed"))("%s refuses a request without its signature, token or not (401 problem)", async (key) => {
    expectProblem(await hit(key), 401, "unauthenticated");
    expectProblem(await hit(key, {}, { token: ADMIN() }), 401, "unauthenticated");
  });

  it.each(KEYS.filter((k) => MATRIX[k]!.who === "fallback"))("%s (an unknown API path) answers 404 problem+json, with or without a token", async (key) => {
    expectProblem(await hit(key), 404, "not_found");
    expectProblem(await hit(key, {}, { token: ADMIN() }), 404, "not_found");
  });
});

// ---------------------------------------------------------------------------------------------
// Shared tenants: A (the caller) and B (the other tenant)
// ---------------------------------------------------------------------------------------------

let A: Res;
let B: Res;
let worldsReady: Promise<void> | null = null;
function worlds(): Promise<void> {
  worldsReady ??= (async () => {
    const [wa, wb] = await Promise.all([makeWorld("authz-a"), makeWorld("authz-b")]);
    [A, B] = await Promise.all([makeRes(wa, `mark-a-${uniq()}`), makeRes(wb, `mark-b-${uniq()}`)]);
  })();
  return worldsReady;
}

// ---------------------------------------------------------------------------------------------
// 1. Controls: each entry's valid request succeeds for the principal it is meant for
// ---------------------------------------------------------------------------------------------

describe("controls: each entry's valid request succeeds for its principal (so every refusal below is the gate's doing)", () => {
  let D: Res;
  beforeAll(async () => {
    D = await makeRes(await makeWorld("authz-d"), `mark-d-${uniq()}`);
  });

  it.each(AUTH_KEYS)("%s", async (key) => {
    const e = MATRIX[key]!;
    const res = await hit(key, requestFor(key, D), { token: tokenFor(D, e.as!) });
    expect(res.status, `${key} as ${e.as}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
    expect(res.status, `${key} as ${e.as}: ${res.text.slice(0, 300)}`).toBeLessThan(300);
    if (e.stream) expect(res.text).toContain("event: ready");
  });
});

// ---------------------------------------------------------------------------------------------
// 2. 401: no credentials, malformed, unknown, expired, revoked, disabled, forged
// ---------------------------------------------------------------------------------------------

describe("401 unauthenticated, for every route that needs credentials", () => {
  const bad: Record<string, Cred> = {};

  beforeAll(async () => {
    await worlds();
    const w = A.w;
    const holder = await person(w, ["oncall", "admin"], "holder");
    // Expired: minted with an expiry a moment ahead, proven to work, then left to expire.
    const expiresAt = new Date(Date.now() + 1500);
    const expiring = await mintUserToken(w, holder.id, SCOPES, { expires_at: expiresAt.toISOString() });
    expect((await hit("GET /api/v1/approvals", {}, { token: expiring.token })).status).toBe(200);
    // Revoked.
    const revoked = await mintUserToken(w, holder.id, SCOPES);
    expect((await hit("GET /api/v1/approvals", {}, { token: revoked.token })).status).toBe(200);
    const del = await call("DELETE", `/api/v1/admin/tokens/${revoked.id}`, { token: w.admin });
    expect(del.status).toBe(200);
    // A disabled person's token and session.
    const leaver = await person(w, ["oncall", "admin"], "leaver", [...SCOPES]);
    const leaverCookie = await sessionCookie(leaver.id, w.tenant);
    expect((await hit("GET /api/v1/approvals", {}, { token: leaver.token })).status).toBe(200);
    const off = await call("PATCH", `/api/v1/admin/users/${leaver.id}`, { token: w.admin, body: { disabled: true } });
    expect(off.status).toBe(200);

    bad["no credentials at all"] = {};
    bad["Authorization: Basic"] = { authorization: "Basic dXNlcjpwYXNzd29yZA==" };
    bad["Authorization: Bearer with no token"] = { authorization: "Bearer" };
    bad["Authorization: Bearer with two words"] = { authorization: `Bearer ${w.admin} extra` };
    bad["an unknown cs_ token"] = { token: `cs_${ulid()}${ulid()}` };
    bad["the installation token plus one character"] = { token: `${ADMIN()}x` };
    bad["an expired token"] = { token: expiring.token };
    bad["a revoked token"] = { token: revoked.token };
    bad["the token of a disabled person"] = { token: leaver.token };
    bad["a session cookie signed with another secret (console Origin)"] = {
      cookie: await sessionCookie(holder.id, w.tenant, "another-secret-another-secret-0123456789"),
      origin: ORIGIN,
    };
    bad["the session cookie of a disabled person (console Origin)"] = { cookie: leaverCookie, origin: ORIGIN };

    const wait = expiresAt.getTime() - Date.now() + 100;
    if (wait > 0) await sleep(wait);
  });

  const CASES = [
    "no credentials at all",
    "Authorization: Basic",
    "Authorization: Bearer with no token",
    "Authorization: Bearer with two words",
    "an unknown cs_ token",
    "the installation token plus one character",
    "an expired token",
    "a revoked token",
    "the token of a disabled person",
    "a session cookie signed with another secret (console Origin)",
    "the session cookie of a disabled person (console Origin)",
  ];

  describe.each(AUTH_KEYS)("%s", (key) => {
    it.each(CASES)("%s → 401 unauthenticated, nothing stored", async (name) => {
      await refused(key, requestFor(key, A), bad[name]!, 401, "unauthenticated");
    });
  });
});

describe("an open stream ends with its credentials", () => {
  beforeAll(worlds);

  const ENDINGS = [
    ["its token is revoked", "revoke"],
    ["its person is disabled (console session)", "disable"],
  ] as const;

  describe.each(AUTH_KEYS.filter((k) => MATRIX[k]!.stream))("%s", (key) => {
    it.each(ENDINGS)("%s: changes made afterwards are not delivered, and the stream ends", async (_n, how) => {
      const w = A.w;
      const watcher = await person(w, ["oncall"], "watcher");
      let cred: Cred;
      let endCredentials: () => Promise<unknown>;
      if (how === "revoke") {
        const t = await mintUserToken(w, watcher.id, ["approvals:read"]);
        cred = { token: t.token };
        endCredentials = async () => expect((await call("DELETE", `/api/v1/admin/tokens/${t.id}`, { token: w.admin })).status).toBe(200);
      } else {
        cred = { cookie: await sessionCookie(watcher.id, w.tenant) };
        endCredentials = async () => expect((await call("PATCH", `/api/v1/admin/users/${watcher.id}`, { token: w.admin, body: { disabled: true } })).status).toBe(200);
      }
      const stream = await openStream(key, cred);
      try {
        await stream.until((t) => t.includes("event: ready"), 3000);
        // Control: while the credentials hold, a change is delivered.
        const before = await w.submit({ ...PROD_WRITE, payload: { watch: "before", at: uniq() } });
        await stream.until((t) => t.includes(before.job.id), 5000);
        expect(stream.text).toContain(before.job.id);

        await endCredentials();
        // The same credentials on a new request are refused at once...
        expect((await hit(key, {}, cred)).status).toBe(401);
        await sleep(300);
        // ...and the connection opened with them must not keep reporting the tenant's queue.
        const after = await w.submit({ ...PROD_WRITE, payload: { watch: "after", at: uniq() } });
        await stream.until((t) => t.includes(after.job.id), 2000);
        expect(stream.text, "a change made after the credentials ended was still delivered").not.toContain(after.job.id);
        expect(stream.done, "the stream should have been closed").toBe(true);
      } finally {
        await stream.end();
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. 403: each scope missing
// ---------------------------------------------------------------------------------------------

describe("403 insufficient_scope: each scope missing", () => {
  const tokens = new Map<string, string>();
  const keyOf = (scopes: readonly string[]) => [...scopes].sort().join(",");

  /** The scope sets the cases below need: all but the entry's scopes, all but one alternative, exactly the entry's. */
  const sets = new Map<string, string[]>();
  for (const k of AUTH_KEYS) {
    const need = MATRIX[k]!.scopes!;
    const without = SCOPES.filter((s) => !need.includes(s));
    sets.set(keyOf(without), without);
    sets.set(keyOf(need), [...need]);
    if (need.length > 1) for (const s of need) sets.set(keyOf([...without, s]), [...without, s]);
  }

  beforeAll(async () => {
    await worlds();
    // A person eligible for the fixture's prod-write jobs, so a vote could only fail on the scope.
    // Also an admin by role, so that they may mint themselves tokens of any scope set (a token's scopes are its own).
    const holder = await person(A.w, ["oncall", "admin"], "scoper");
    for (const [k, scopes] of sets) tokens.set(k, (await mintUserToken(A.w, holder.id, scopes)).token);
  });

  describe.each(AUTH_KEYS)("%s", (key) => {
    const need = MATRIX[key]!.scopes!;
    const cases: [string, string[], boolean][] = [
      [`a token with every scope but ${need.join(" and ")}`, SCOPES.filter((s) => !need.includes(s)), false],
      ...(need.length > 1
        ? need.map((s): [string, string[], boolean] => [`a token with ${s} but not ${need.filter((x) => x !== s).join(", ")} (either suffices)`, [...SCOPES.filter((x) => !need.includes(x)), s], true])
        : []),
      [`a token with exactly ${need.join(" and ")}`, [...need], true],
    ];
    it.each(cases)("%s", async (_name, scopes, passes) => {
      const token = tokens.get(keyOf(scopes))!;
      if (!passes) {
        await refused(key, requestFor(key, A), { token }, 403, "insufficient_scope");
        return;
      }
      const res = await hit(key, requestFor(key, A), { token });
      expect(res.status, res.text.slice(0, 300)).not.toBe(401);
      expect(res.body?.code, res.text.slice(0, 300)).not.toBe("insufficient_scope");
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Agents and service tokens on reviewer and admin routes
// ---------------------------------------------------------------------------------------------

describe("403: agent tokens (and the installation token) on reviewer and admin routes", () => {
  const AGENT_MAY = SCOPES.filter((s) => !(AGENT_FORBIDDEN as readonly string[]).includes(s));
  const BARRED = AUTH_KEYS.filter((k) => {
    const e = MATRIX[k]!;
    return e.who === "person" || e.who === "installation" || e.scopes!.every((s) => (AGENT_FORBIDDEN as readonly string[]).includes(s));
  });
  const cred: Record<string, string> = {};

  beforeAll(async () => {
    await worlds();
    const mint = async (name: string) => {
      const t = await call("POST", "/api/v1/admin/tokens", {
        token: A.w.admin,
        body: { kind: "agent", name, scopes: AGENT_MAY, owner_email: A.w.agentOwner.email },
      });
      expect(t.status, JSON.stringify(t.body)).toBe(201);
      return t.body as { id: string; token: string };
    };
    cred.agentMax = (await mint("max-bot")).token;
    // Stored behind the API's back (as an older version might have): authentication must still drop it.
    const wide = await mint("wide-bot");
    await rows(sql`update tokens set scopes = ${sql.param([...SCOPES])}::text[] where id = ${wide.id}`);
    cred.agentWide = wide.token;
    cred.installation = ADMIN();
    cred.tenantAdmin = A.w.admin;
  });

  it("covers every reviewer and admin route", () => {
    expect(BARRED.length).toBeGreaterThan(10);
    for (const k of AUTH_KEYS.filter((k) => k.includes("/admin/") || k.includes("/approvals/["))) expect(BARRED).toContain(k);
  });

  describe.each(BARRED)("%s", (key) => {
    const e = MATRIX[key]!;
    const code = e.who === "person" ? "agent_cannot_resolve" : "insufficient_scope";
    const cases: [string, string, string][] = [
      [`an agent token with every scope an agent may hold → 403 ${code}`, "agentMax", code],
      [`an agent token whose stored scopes were widened to all ten → 403 ${code}`, "agentWide", code],
      ...(e.who === "person" ? [["the installation admin token (not a person) → 403 agent_cannot_resolve", "installation", "agent_cannot_resolve"] as [string, string, string]] : []),
      ...(e.who === "installation"
        ? [["a tenant admin's token → 403 installation_admin_required", "tenantAdmin", "installation_admin_required"] as [string, string, string]]
        : []),
    ];
    it.each(cases)("%s, nothing stored", async (_n, who, expected) => {
      await refused(key, requestFor(key, A), { token: cred[who] }, 403, expected);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Another tenant's ids and rows
// ---------------------------------------------------------------------------------------------

describe("tenant isolation: another tenant's ids answer 404 exactly as unknown ones, and its rows never show", () => {
  const bMarkers = () => [B.w.tenant, B.mark, B.secret, B.reviewer.email, B.reviewer.id, ...(["pending", "forApprove", "approved", "running", "user", "token", "target", "delivery", "standing"] as const).map((k) => B[k].id)];

  beforeAll(async () => {
    await worlds();
    // The scope controls above may have used A's fixture rows up; make sure A has a row of every listed kind.
    const t = await call("POST", "/api/v1/admin/notification-targets", { token: A.w.admin, body: { url: `${HOOK}/again/${A.mark}` } });
    expect(t.status).toBe(201);
  });

  const ID_KEYS = AUTH_KEYS.filter((k) => MATRIX[k]!.id);
  it.each(ID_KEYS)("%s with tenant B's id, called as tenant A → 404 like an unknown id; B's row untouched; B itself succeeds", async (key) => {
    const e = MATRIX[key]!;
    const theirs = requestFor(key, B);
    const name = Object.keys(theirs.params!)[0]!;
    const unknown = { ...theirs, params: { [name]: unknownLike(theirs.params![name]!) } };
    const token = tokenFor(A, e.as!);

    const foreign = await refused(key, theirs, { token }, 404, "not_found");
    const none = await refused(key, unknown, { token }, 404, "not_found");
    expect(foreign.body, "a foreign id must reveal nothing an unknown one does not").toEqual(none.body);
    expect(foreign.headers.get("content-type")).toBe(none.headers.get("content-type"));
    expect(foreign.text).not.toContain(B.w.tenant);

    // The id was real and the request valid: B's own principal gets through with it.
    const own = await hit(key, theirs, { token: tokenFor(B, e.as!) });
    expect(own.status, own.text.slice(0, 300)).toBeLessThan(300);
  });

  const READ_KEYS = AUTH_KEYS.filter((k) => split(k).method === "GET" && !MATRIX[k]!.id && !MATRIX[k]!.stream);
  it.each(READ_KEYS)("%s as tenant A shows none of tenant B's rows", async (key) => {
    const e = MATRIX[key]!;
    const res = await hit(key, requestFor(key, A), { token: tokenFor(A, e.as!) });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    for (const m of bMarkers()) expect(res.text, `${key} leaks ${m}`).not.toContain(m);
    if (e.lists) {
      const mine = [A.w.tenant, A.mark, A.pending.id, A.target.id, A.delivery.id];
      expect(mine.some((m) => res.text.includes(m)), `${key} should show tenant A's own rows`).toBe(true);
    }
  });

  it.each([
    ["GET /api/v1/audit", (id: string) => `job_id=${id}&limit=1000`],
    ["GET /api/v1/audit/export", (id: string) => `job_id=${id}`],
    ["GET /api/v1/admin/deliveries", (id: string) => `job_id=${id}`],
  ] as const)("%s filtered by one of tenant B's job ids, as tenant A → 200 and empty", async (key, query) => {
    for (const id of [B.pending.id, B.forCancel.id]) {
      const res = await hit(key, { query: query(id) }, { token: A.w.admin });
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      if (key.endsWith("/export")) expect(res.text.trim()).toBe("");
      else expect(res.body.items).toEqual([]);
      for (const m of bMarkers().filter((m) => m !== id)) expect(res.text).not.toContain(m);
    }
  });

  it.each(AUTH_KEYS.filter((k) => MATRIX[k]!.stream))("%s as tenant A hears A's queue changes and never B's", async (key) => {
    const stream = await openStream(key, { token: A.reviewer.token });
    try {
      await stream.until((t) => t.includes("event: ready"), 3000);
      expect(stream.text).toContain("event: ready");
      const theirs = await B.w.submit({ ...PROD_WRITE, payload: { stream: "b", at: uniq() } });
      const mine = await A.w.submit({ ...PROD_WRITE, payload: { stream: "a", at: uniq() } });
      await stream.until((t) => t.includes(mine.job.id), 5000);
      await stream.until(() => false, 300);
      expect(stream.text).toContain(mine.job.id);
      expect(stream.text).not.toContain(theirs.job.id);
      expect(stream.text).not.toContain(B.w.tenant);
    } finally {
      await stream.end();
    }
  });

  const TENANT_KEYS = AUTH_KEYS.filter((k) => MATRIX[k]!.tenantParam);
  it.each(TENANT_KEYS)("%s: a tenant admin naming tenant B → 403 tenant_forbidden, nothing stored", async (key) => {
    const e = MATRIX[key]!;
    const base = requestFor(key, A);
    const req: Req =
      e.tenantParam === "query"
        ? { ...base, query: [base.query, `tenant=${B.w.tenant}`].filter(Boolean).join("&") }
        : { ...base, body: { ...base.body, tenant: B.w.tenant } };
    const res = await refused(key, req, { token: A.w.admin }, 403, "tenant_forbidden");
    expect(res.text).not.toContain(B.secret);
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Each approval role missing
// ---------------------------------------------------------------------------------------------

/** A job body per approval gate of the default policy (the first test checks this covers every gate). */
const ROLE_GATES: Record<string, { topic: string; risk_tags: string[] }> = {
  default: { topic: "job.misc.thing", risk_tags: [] },
  "prod-write-gate": { topic: "job.config.update", risk_tags: ["prod", "write"] },
  "payment-gate": { topic: "job.payments.send", risk_tags: ["payment"] },
  "access-grant-gate": { topic: "job.iam.grant", risk_tags: ["access"] },
  "destructive-delete-gate": { topic: "job.files.purge", risk_tags: ["destructive"] },
};

describe("each approval role missing: refused with role_required, the job unchanged", () => {
  let R: World;
  let gates: Map<string, { roles: string[]; count: number }>;
  let universe: string[];

  beforeAll(async () => {
    R = await makeWorld("authz-roles");
    const policy = (await call("GET", "/api/v1/policy", { token: R.admin })).body.policy;
    gates = new Map();
    const all = new Set<string>(["admin", "developer", "manager", "auditor"]);
    gates.set("default", { roles: policy.defaults.approvers.roles, count: policy.defaults.approvers.count });
    for (const r of policy.defaults.approvers.roles) all.add(r);
    for (const rule of policy.rules) {
      for (const role of [...(rule.approvers?.roles ?? []), ...(rule.escalate_to ?? [])]) all.add(role);
      if (rule.decision === "require_approval") gates.set(rule.id, { roles: rule.approvers.roles, count: rule.approvers.count });
    }
    universe = [...all].sort();
  });

  it("the gates below are every approval gate of the active policy", () => {
    expect(Object.keys(ROLE_GATES).sort()).toEqual([...gates.keys()].sort());
  });

  describe.each(Object.keys(ROLE_GATES))("%s", (ruleId) => {
    const submit = async (n: string) => {
      const job = await R.submit({ ...ROLE_GATES[ruleId]!, payload: { n, at: uniq() } });
      const gate = gates.get(ruleId)!;
      expect(job.requirements.map((q: { rule_id: string; roles: string[]; count: number }) => ({ rule_id: q.rule_id, roles: [...q.roles].sort(), count: q.count }))).toEqual([
        { rule_id: ruleId, roles: [...gate.roles].sort(), count: gate.count },
      ]);
      return job;
    };

    it.each(["approve", "reject"] as const)("a reviewer holding every other role cannot %s (403 role_required), job still pending with no vote", async (kind) => {
      const gate = gates.get(ruleId)!;
      const others = universe.filter((r) => !gate.roles.includes(r));
      const lacking = await person(R, others, "lacking");
      const job = await submit(`lacking-${kind}`);
      await refused(`POST /api/v1/approvals/[job_id]/${kind}`, { params: { job_id: job.job.id }, body: { reason: "I should not" } }, { token: lacking.token }, 403, "role_required");
      const d = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { token: R.admin });
      expect(d.body.job.job.state).toBe("APPROVAL");
      expect(d.body.votes).toEqual([]);
      expect(d.body.job.requirements[0].approvals).toBe(0);
    });

    it("each of its roles alone may approve, and the vote counts", async () => {
      const gate = gates.get(ruleId)!;
      for (const role of gate.roles) {
        const holder = await person(R, [role], `has-${role}`);
        const job = await submit(`has-${role}`);
        const res = await hit("POST /api/v1/approvals/[job_id]/approve", { params: { job_id: job.job.id }, body: { reason: "fine" } }, { token: holder.token });
        expect(res.status, res.text.slice(0, 300)).toBe(200);
        expect(res.body.requirements[0].approvals).toBe(1);
        expect(res.body.job.state).toBe(gate.count === 1 ? "APPROVED" : "APPROVAL");
      }
    });
  });
});

describe("console sessions: the scopes a role grants follow the person's roles, live", () => {
  // What every signed-in person may do; the rest comes with roles (admin: admin, policy:write, audit:read).
  const EVERYONE: Scope[] = ["jobs:read", "approvals:read", "approvals:resolve", "policy:read", "metrics:read"];
  const BEYOND = AUTH_KEYS.filter((k) => !MATRIX[k]!.scopes!.some((s) => EVERYONE.includes(s)));
  let reviewerCookie: string;

  beforeAll(async () => {
    await worlds();
    const r = await person(A.w, ["oncall", "service-owner"], "sess");
    reviewerCookie = await sessionCookie(r.id, A.w.tenant);
  });

  it.each(BEYOND)("%s with the session of a person holding reviewer roles only → 403 insufficient_scope, nothing stored", async (key) => {
    await refused(key, requestFor(key, A), { cookie: reviewerCookie, origin: ORIGIN }, 403, "insufficient_scope");
  });

  it("removing the admin role ends the session on its very next request; a new sign-in gets what the new roles grant", async () => {
    const boss = await person(A.w, ["admin"], "boss");
    const before: Cred = { cookie: await sessionCookie(boss.id, A.w.tenant), origin: ORIGIN };
    expect((await hit("GET /api/v1/admin/notification-targets", {}, before)).status).toBe(200);
    const made = await hit("POST /api/v1/admin/users", requestFor("POST /api/v1/admin/users", A), before);
    expect(made.status, made.text).toBe(201);

    const patch = await call("PATCH", `/api/v1/admin/users/${boss.id}`, { token: A.w.admin, body: { roles: ["oncall"] } });
    expect(patch.status).toBe(200);
    await refused("GET /api/v1/admin/notification-targets", {}, before, 401, "unauthenticated");
    await refused("POST /api/v1/admin/users", requestFor("POST /api/v1/admin/users", A), before, 401, "unauthenticated");
    const cred: Cred = { cookie: await sessionCookie(boss.id, A.w.tenant), origin: ORIGIN };
    await refused("GET /api/v1/admin/notification-targets", {}, cred, 403, "insufficient_scope");
    await refused("POST /api/v1/admin/users", requestFor("POST /api/v1/admin/users", A), cred, 403, "insufficient_scope");
    await refused("GET /api/v1/audit", {}, cred, 403, "insufficient_scope");
    await refused("PUT /api/v1/policy", requestFor("PUT /api/v1/policy", A), cred, 403, "insufficient_scope");
  });
});

// ---------------------------------------------------------------------------------------------
// 7. A role removed mid-review
// ---------------------------------------------------------------------------------------------

describe("a reviewer whose role is removed mid-review is refused at commit time", () => {
  let M: World;
  beforeAll(async () => {
    M = await makeWorld("authz-mid");
  });

  const removeRole = (userId: string) => call("PATCH", `/api/v1/admin/users/${userId}`, { token: M.admin, body: { roles: ["developer"] } });

  // A role change ends the person's console sessions outright (401); a token's vote is refused on the role.
  it.each([
    ["a bearer token", false, 403, "role_required"],
    ["a session cookie from the console", true, 401, "unauthenticated"],
  ] as const)("via %s: opened the job, lost the role, vote refused (%i %s) and nothing stored", async (_n, viaCookie, status, code) => {
    const reviewer = await person(M, ["oncall"], "mid");
    const cred: Cred = viaCookie ? { cookie: await sessionCookie(reviewer.id, M.tenant), origin: ORIGIN } : { token: reviewer.token };
    const job = await M.submit({ ...PROD_WRITE, payload: { mid: uniq() } });
    const opened = await hit("GET /api/v1/jobs/[id]/decisions", { params: { id: job.job.id } }, cred);
    expect(opened.status).toBe(200);
    expect(opened.body.viewer.can_act).toBe(true);

    expect((await removeRole(reviewer.id)).status).toBe(200);
    await refused("POST /api/v1/approvals/[job_id]/approve", { params: { job_id: job.job.id }, body: { reason: "seen it" } }, cred, status, code);
    const d = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { token: M.admin });
    expect(d.body.job.job.state).toBe("APPROVAL");
    expect(d.body.votes).toEqual([]);
  });

  const ROUNDS = 20;
  it(`raced (${ROUNDS}×): either the vote counted and then the role was removed, or the vote was refused; never a vote from someone without the role at commit`, async () => {
    const outcomes = { counted: 0, refused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const reviewer = await person(M, ["oncall"], `race${round}`);
      const job = await M.submit({ ...PROD_WRITE, payload: { race: round, at: uniq() } });
      const opened = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { token: reviewer.token });
      expect(opened.body.viewer.can_act).toBe(true);

      const stagger = (ms: number) => (ms ? sleep(ms) : Promise.resolve());
      const [vote, patch] = await Promise.all([
        stagger(round % 3 === 1 ? 2 : 0).then(() => call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: reviewer.token, body: { reason: `round ${round}` } })),
        stagger(round % 3 === 2 ? 2 : 0).then(() => removeRole(reviewer.id)),
      ]);
      expect(patch.status, JSON.stringify(patch.body)).toBe(200);

      const votes = await rows<{ roles: string[] }>(sql`select roles from votes where tenant_id = ${M.tenant} and job_id = ${job.job.id}`);
      const events = await rows<{ id: number; type: string }>(sql`
        select id::int as id, type from audit_events
        where tenant_id = ${M.tenant}
          and ((job_id = ${job.job.id} and type = 'vote.cast') or (type = 'user.updated' and data->>'user_id' = ${reviewer.id}))
        order by id`);
      const state = (await call("GET", `/api/v1/jobs/${job.job.id}`, { token: M.agent })).body.job.state;

      if (vote.status === 200) {
        outcomes.counted++;
        // Counted: the voter held the role when the vote committed, so the removal came after it.
        expect(votes.map((v) => v.roles)).toEqual([["oncall"]]);
        expect(events.map((e) => e.type), `round ${round}: the vote must precede the role removal`).toEqual(["vote.cast", "user.updated"]);
        expect(state).toBe("APPROVED");
      } else {
        outcomes.refused++;
        expect({ status: vote.status, code: vote.body?.code }, `round ${round}`).toEqual({ status: 403, code: "role_required" });
        expect(vote.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(votes).toEqual([]);
        expect(events.map((e) => e.type)).toEqual(["user.updated"]);
        expect(state).toBe("APPROVAL");
      }
    }
    console.log(`[authz] role removal race: ${JSON.stringify(outcomes)}`);
    expect(outcomes.counted + outcomes.refused).toBe(ROUNDS);
  });
});

// ---------------------------------------------------------------------------------------------
// 8. Cross-site requests riding a session cookie
// ---------------------------------------------------------------------------------------------

describe("cross-site requests riding a session cookie", () => {
  const SESSION_ROLES = ["admin", "oncall"];
  let C: Res;
  let cookie: string;

  beforeAll(async () => {
    C = await makeRes(await makeWorld("authz-csrf"), `mark-c-${uniq()}`);
    const console_ = await person(C.w, SESSION_ROLES, "console");
    cookie = await sessionCookie(console_.id, C.w.tenant);
  });

  const WRITES = AUTH_KEYS.filter(isWrite);
  const READS = AUTH_KEYS.filter((k) => !isWrite(k));
  const FOREIGN: [string, Cred][] = [
    ["no Origin", {}],
    ["no Origin but a same-site Referer", { headers: { referer: `${ORIGIN}/queue` } }],
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["Origin: null", { origin: "null" }],
    ["a look-alike Origin", { origin: `${ORIGIN}.evil.example` }],
    ["another port", { origin: "http://localhost:3001" }],
    ["another scheme", { origin: "https://localhost:3000" }],
  ];

  describe.each(WRITES)("%s", (key) => {
    it.each(FOREIGN)("with the cookie and %s → 403 cross_origin, nothing stored", async (_n, extra) => {
      await refused(key, requestFor(key, C), { ...extra, cookie }, 403, "cross_origin");
    });
  });

  it.each(READS)("%s with the cookie and no Origin answers (GET is safe)", async (key) => {
    const res = await hit(key, requestFor(key, C), { cookie });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
  });

  // Last, as these may change state: from the console's own origin the cookie gets past the origin gate.
  it.each(WRITES)("%s from the console's own Origin passes the origin gate", async (key) => {
    const e = MATRIX[key]!;
    const session = scopesForRoles(SESSION_ROLES);
    const res = await hit(key, requestFor(key, C), { cookie, origin: ORIGIN });
    if (!e.scopes!.some((s) => session.has(s))) expectProblem(res, 403, "insufficient_scope");
    else if (e.who === "installation") expectProblem(res, 403, "installation_admin_required");
    else expect(res.status, res.text.slice(0, 300)).toBeLessThan(300);
  });
});
