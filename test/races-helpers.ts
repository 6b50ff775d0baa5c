/**
 * Shared by test/races.test.ts and test/replay.test.ts: calls that ride out a per-token rate limit,
 * bulk provisioning spread over two admin tokens, and the read-backs every round asserts on.
 */
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { getDb } from "@/lib/db/client";
import { call, type CallOptions, type CallResult } from "./http";
import { ADMIN, mintableBy, ownToken, type Person, type World } from "./fixtures";

export const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] }; // 1 of service-owner/oncall
export const PAYMENT = { topic: "job.payments.send", risk_tags: ["payment"] }; // 2 distinct finance
export const ALLOWED = { topic: "job.repo.read", risk_tags: [] as string[] }; // allow: APPROVED at once

const USER_SCOPES = ["jobs:read", "approvals:read", "approvals:resolve", "policy:read", "metrics:read", "audit:read"];

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function isRateLimited(res: CallResult): boolean {
  return res.status === 429 && res.body?.code === "rate_limited";
}

/**
 * A call whose answer the test needs (setup, read-backs): a 429 `rate_limited` is waited out
 * (Retry-After, capped) and retried. Never used for the racing requests themselves.
 */
export async function req<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
  for (let attempt = 0; ; attempt++) {
    const res = await call<T>(method, path, opts);
    if (!isRateLimited(res) || attempt >= 30) return res;
    const after = Number(res.headers.get("retry-after") ?? "1");
    await sleep(Math.min(Math.max(Number.isFinite(after) ? after : 1, 0.2), 5) * 1000);
  }
}

/** n people with `roles`, created half through the installation token and half through the tenant admin. */
export async function people(w: World, n: number, roles: string[], label: string): Promise<Person[]> {
  const out: Person[] = [];
  const stamp = Math.random().toString(36).slice(2, 8);
  // Small batches: quick, without a burst of 2n provisioning requests at once.
  for (let start = 0; start < n; start += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - start) }, async (_, k) => {
        const i = start + k;
        const admin = i % 2 === 0 ? ADMIN() : w.admin;
        const tenant = admin === ADMIN() ? { tenant: w.tenant } : {};
        const email = `${label}-${i}-${stamp}@${w.tenant}.example`;
        const u = await req("POST", "/api/v1/admin/users", { token: admin, body: { ...tenant, email, roles } });
        expect(u.status, JSON.stringify(u.body)).toBe(201);
        // Their own token: only they may mint one that approves.
        const t = await ownToken({ id: u.body.id, tenant: w.tenant }, { name: email, scopes: mintableBy(roles, USER_SCOPES) });
        return { id: u.body.id as string, email, token: t.token };
      }),
    );
    out.push(...batch);
  }
  return out;
}

/** An extra agent token of the world's tenant (owned by the world's agent owner). */
export async function agentToken(w: World, name: string, scopes = ["jobs:submit", "jobs:read", "jobs:execute"]): Promise<string> {
  const t = await req("POST", "/api/v1/admin/tokens", {
    token: w.admin,
    body: { kind: "agent", name, scopes, owner_email: w.agentOwner.email },
  });
  expect(t.status, JSON.stringify(t.body)).toBe(201);
  return t.body.token as string;
}

export async function submit(w: World, body: Record<string, unknown>, token = w.agent) {
  const res = await req("POST", "/api/v1/jobs", { token, body: { risk_tags: [], payload: {}, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export const vote = (kind: "approve" | "reject", jobId: string, token: string, body: Record<string, unknown> = {}) =>
  call("POST", `/api/v1/approvals/${encodeURIComponent(jobId)}/${kind}`, { token, body: { reason: `${kind} in a race`, ...body } });
export const claim = (jobId: string, token: string, body: Record<string, unknown>) => call("POST", `/api/v1/jobs/${jobId}/claim`, { token, body });
export const cancel = (jobId: string, token: string) => call("POST", `/api/v1/jobs/${jobId}/cancel`, { token, body: { reason: "withdrawn in a race" } });
export const complete = (jobId: string, token: string, outcome: "succeeded" | "failed" = "succeeded") =>
  call("POST", `/api/v1/jobs/${jobId}/complete`, { token, body: { outcome } });

/** A problem+json answer with this status and stable code. */
export function expectProblem(res: CallResult, status: number, code: string | string[]) {
  const codes = Array.isArray(code) ? code : [code];
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(codes, JSON.stringify(res.body)).toContain(res.body?.code);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
}

/** Round-robin over tokens that hold audit:read / jobs:read, so read-backs do not pile on one token. */
/**
 * Read-only tokens (with audit:read) for these people, minted by the tenant admin: an admin may mint
 * tokens for others that cannot approve, and reviewers' own tokens hold only what their roles give.
 */
export async function readTokens(w: World, persons: Person[]): Promise<string[]> {
  return Promise.all(
    persons.map(async (p) => {
      const t = await req("POST", "/api/v1/admin/tokens", {
        token: w.admin,
        body: { kind: "user", name: `read-${p.email}`, scopes: ["jobs:read", "approvals:read", "audit:read"], user_id: p.id },
      });
      expect(t.status, JSON.stringify(t.body)).toBe(201);
      return t.body.token as string;
    }),
  );
}

export function reader(tokens: string[]) {
  let i = 0;
  return () => tokens[i++ % tokens.length]!;
}

/** The job's audit events in write order (the listing seals committed events first). */
export async function auditOf(token: string, jobId: string): Promise<{ type: string; actor: string; data: any; seq: number | null }[]> {
  const res = await req("GET", `/api/v1/audit?job_id=${encodeURIComponent(jobId)}&limit=1000`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.next_cursor).toBeNull();
  return res.body.items;
}

export function countTypes(events: { type: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[e.type] = (out[e.type] ?? 0) + 1;
  return out;
}

/** Every event of the tenant, paged through. */
export async function tenantAudit(token: string): Promise<{ id: number; type: string; job_id: string | null }[]> {
  const items: { id: number; type: string; job_id: string | null }[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const res: CallResult = await req("GET", `/api/v1/audit?limit=1000${cursor ? `&cursor=${cursor}` : ""}`, { token });
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.next_cursor;
    if (!cursor) return items;
  }
  throw new Error("audit paging did not end");
}

export async function decisionsOf(token: string, jobId: string) {
  const res = await req("GET", `/api/v1/jobs/${encodeURIComponent(jobId)}/decisions`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export async function expectChainOk(token: string) {
  const res = await req("GET", "/api/v1/audit/verify", { token });
  expect(res.status).toBe(200);
  expect(res.body, JSON.stringify(res.body)).toMatchObject({ ok: true, first_broken: null });
  return res.body;
}

/** Rows in the database itself, bypassing the API: jobs and votes of a tenant. */
export async function stored(tenant: string): Promise<{ jobs: number; votes: number }> {
  const db = await getDb();
  const [row] = (await db.execute(sql`select
      (select count(*)::int from jobs where tenant_id = ${tenant}) as jobs,
      (select count(*)::int from votes where tenant_id = ${tenant}) as votes`)) as unknown as { jobs: number; votes: number }[];
  return { jobs: Number(row!.jobs), votes: Number(row!.votes) };
}

/** Everything a refused request must leave untouched on a job. */
export async function observe(token: string, jobId: string) {
  const d = await decisionsOf(token, jobId);
  const audit = await auditOf(token, jobId);
  return {
    state: d.job.job.state,
    job_hash: d.job.job_hash,
    policy_snapshot: d.job.policy_snapshot,
    requirements: d.job.requirements,
    votes: d.votes,
    decisions: d.decisions.length,
    resolution: d.resolution,
    resolved_by: d.resolved_by,
    audit: audit.map((e) => `${e.type}@${e.actor}`),
  };
}

/** Interleave two lists: a0 b0 a1 b1 … */
export function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}
