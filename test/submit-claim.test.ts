/**
 * `"claim": true` on POST /jobs (DESIGN §4): a job the policy allows comes back already claimed, with
 * the grant POST /jobs/{id}/claim would have answered, in one request and one transaction.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, openPglite } from "@/lib/db/client";
import { SCOPES, contextOf } from "@/lib/services/context";
import { submitJob } from "@/lib/services/jobs/submit";
import { bootstrap } from "@/lib/services/provisioning/bootstrap";
import { ExecutionGrant, SubmittedJob } from "@/lib/services/jobs/schemas";
import { ADMIN, makeWorld, type World } from "./fixtures";
import { call } from "./http";

let w: World;

beforeAll(async () => {
  w = await makeWorld("claimsub");
});

const READ = { topic: "job.repo.read", risk_tags: [] as string[] };
const uniq = () => ulid().toLowerCase().slice(-10);

const submit = (body: Record<string, unknown>, opts: { token?: string; key?: string } = {}) =>
  call("POST", "/api/v1/jobs", {
    token: opts.token ?? w.agent,
    body,
    headers: opts.key ? { "idempotency-key": opts.key } : undefined,
  });

async function auditTypes(jobId: string): Promise<string[]> {
  const res = await call("GET", `/api/v1/audit?job_id=${jobId}`, { token: w.admin });
  expect(res.status).toBe(200);
  return res.body.items.map((e: { type: string }) => e.type);
}

async function jobCount(): Promise<number> {
  const rows = (await (await getDb()).execute(sql`select count(*)::int as n from jobs where tenant_id = ${w.tenant}`)) as unknown as { n: number }[];
  return Number(rows[0]!.n);
}

describe('POST /jobs with "claim": true', () => {
  it("an allowed job is RUNNING at once with the grant claim would give; audited as submitted and claimed", async () => {
    const res = await submit({ ...READ, payload: { n: uniq() }, claim: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(SubmittedJob.strict().safeParse(res.body).success).toBe(true);
    expect(res.body.job.state).toBe("RUNNING");
    expect(res.body.decision).toBe("ALLOW");
    expect(res.body.grant).toEqual({ job_id: res.body.job.id, job_hash: res.body.job_hash, policy_snapshot: res.body.policy_snapshot, constraints: null });
    expect(ExecutionGrant.strict().safeParse(res.body.grant).success).toBe(true);

    // The stored job is the one answered, and it cannot be claimed a second time.
    const got = await call("GET", `/api/v1/jobs/${res.body.job.id}`, { token: w.agent });
    expect(got.body.job.state).toBe("RUNNING");
    expect(got.body.grant).toBeUndefined();
    const again = await call("POST", `/api/v1/jobs/${res.body.job.id}/claim`, { token: w.agent, body: { job_hash: res.body.job_hash } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("already_claimed");

    expect(await auditTypes(res.body.job.id)).toEqual(["job.submitted", "job.claimed"]);
    const done = await call("POST", `/api/v1/jobs/${res.body.job.id}/complete`, { token: w.agent, body: { outcome: "succeeded" } });
    expect(done.status).toBe(200);
    expect(done.body.job.state).toBe("SUCCEEDED");
  });

  it("allow_with_constraints: the grant carries the constraints", async () => {
    const res = await submit({ topic: "job.ticket.update", risk_tags: [], payload: { n: uniq() }, claim: true });
    expect(res.status).toBe(201);
    expect(res.body.job.state).toBe("RUNNING");
    expect(res.body.grant.constraints).toEqual({ max_runtime_sec: 30 });
  });

  it("a job that needs approval, or is denied, is not claimed: no grant", async () => {
    const gated = await submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { n: uniq() }, claim: true });
    expect(gated.status).toBe(201);
    expect(gated.body.job.state).toBe("APPROVAL");
    expect(gated.body).not.toHaveProperty("grant");
    const denied = await submit({ topic: "job.db.drop", risk_tags: ["prod"], payload: { n: uniq() }, claim: true });
    expect(denied.status).toBe(201);
    expect(denied.body.job.state).toBe("DENIED");
    expect(denied.body).not.toHaveProperty("grant");
    expect(await auditTypes(gated.body.job.id)).toEqual(["job.submitted"]);
  });

  it('"claim": false, or absent, submits as before', async () => {
    const res = await submit({ ...READ, payload: { n: uniq() }, claim: false });
    expect(res.status).toBe(201);
    expect(res.body.job.state).toBe("APPROVED");
    expect(res.body).not.toHaveProperty("grant");
  });

  it("without jobs:execute → 403 insufficient_scope and nothing stored; a submitter may still submit without claim", async () => {
    const tok = await call("POST", "/api/v1/admin/tokens", {
      token: ADMIN(),
      body: { tenant: w.tenant, kind: "agent", name: "submit-only", scopes: ["jobs:submit", "jobs:read"] },
    });
    expect(tok.status).toBe(201);
    const before = await jobCount();
    const res = await submit({ ...READ, payload: { n: uniq() }, claim: true }, { token: tok.body.token });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe("insufficient_scope");
    expect(await jobCount()).toBe(before);
    const plain = await submit({ ...READ, payload: { n: uniq() } }, { token: tok.body.token });
    expect(plain.status).toBe(201);
  });

  it("claim must be a boolean", async () => {
    const res = await submit({ ...READ, payload: {}, claim: "yes" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
  });

  it("an Idempotency-Key replay answers 200 with the same grant while the job runs; no grant once it completed", async () => {
    const key = `claim-${uniq()}`;
    const body = { ...READ, payload: { n: uniq() } };
    const first = await submit({ ...body, claim: true }, { key });
    expect(first.status).toBe(201);
    const replay = await submit({ ...body, claim: true }, { key });
    expect(replay.status).toBe(200);
    expect(replay.body.job.id).toBe(first.body.job.id);
    expect(replay.body.grant).toEqual(first.body.grant);
    // `claim` is a request option, not the job: the same job without it is the same body.
    const plain = await submit(body, { key });
    expect(plain.status).toBe(200);
    expect(plain.body.job.state).toBe("RUNNING");
    expect(plain.body).not.toHaveProperty("grant");
    const other = await submit({ ...body, payload: { other: 1 }, claim: true }, { key });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe("idempotency_key_reused");

    await call("POST", `/api/v1/jobs/${first.body.job.id}/complete`, { token: w.agent, body: { outcome: "succeeded" } });
    const late = await submit({ ...body, claim: true }, { key });
    expect(late.status).toBe(200);
    expect(late.body.job.state).toBe("SUCCEEDED");
    expect(late.body).not.toHaveProperty("grant");
    expect(await auditTypes(first.body.job.id)).toEqual(["job.submitted", "job.claimed", "job.completed"]);
  });

  it("a replay never claims: a job that was approved later by people stays for POST /claim", async () => {
    const oncall = await w.person(["oncall"]);
    const key = `claim-${uniq()}`;
    const body = { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { n: uniq() }, claim: true };
    const first = await submit(body, { key });
    expect(first.body.job.state).toBe("APPROVAL");
    await call("POST", `/api/v1/approvals/${first.body.job.id}/approve`, { token: oncall.token, body: { reason: "ok" } });
    const replay = await submit(body, { key });
    expect(replay.status).toBe(200);
    expect(replay.body.job.state).toBe("APPROVED");
    expect(replay.body).not.toHaveProperty("grant");
  });

  it("concurrent submissions with one key and claim: one job, claimed once, every answer carries its grant", async () => {
    const key = `claim-${uniq()}`;
    const body = { ...READ, payload: { n: uniq() }, claim: true };
    const results = await Promise.all(Array.from({ length: 8 }, () => submit(body, { key })));
    const ids = new Set(results.map((r) => r.body.job.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results) expect(r.body.grant?.job_id).toBe(r.body.job.id);
    expect(await auditTypes([...ids][0]!)).toEqual(["job.submitted", "job.claimed"]);
  });

  it("the agent's callback hears the claim, as after POST /claim", async () => {
    const res = await submit({ ...READ, payload: { n: uniq() }, callback_url: "https://hooks.example.com/agent", claim: true });
    expect(res.status).toBe(201);
    const deliveries = await call("GET", `/api/v1/admin/deliveries?job_id=${res.body.job.id}`, { token: w.admin });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items.map((d: { event_type: string }) => d.event_type)).toEqual(["job.claimed"]);
    const [row] = await (await getDb()).execute(sql`select body from deliveries where job_id = ${res.body.job.id}`) as unknown as { body: string }[];
    expect(JSON.parse(row!.body)).toMatchObject({ type: "job.claimed", job: { job: { id: res.body.job.id, state: "RUNNING" } } });
  });

  it("the two events the submission writes carry MACs that hold", async () => {
    await submit({ ...READ, payload: { n: uniq() }, claim: true });
    const verified = await call("GET", "/api/v1/audit/verify", { token: w.admin });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, first_broken: null });
  });
});

describe("claim at submission on the embedded database (PGlite, the default without DATABASE_URL)", () => {
  it("inserts and claims in one transaction there too", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-claimsub-"));
    const database = await openPglite(path.join(dir, "db"));
    try {
      await bootstrap(database.db);
      const principal = { kind: "agent" as const, name: "embedded-bot", ownerEmail: null, tenantId: "system", scopes: new Set(SCOPES), tokenId: "tok-embedded" };
      const ctx = contextOf(database, principal, new Date());
      const { item, created } = await submitJob({ ctx, input: { ...READ, payload: { n: 1 } }, idempotencyKey: "k1", claim: true });
      expect(created).toBe(true);
      expect(item.job.state).toBe("RUNNING");
      expect(item.grant).toEqual({ job_id: item.job.id, job_hash: item.job_hash, policy_snapshot: item.policy_snapshot, constraints: null });
      const rows = await database.query<{ state: string; claimed_by: string }>("select state, claimed_by from jobs where id = $1", [item.job.id]);
      expect(rows).toEqual([{ state: "RUNNING", claimed_by: "agent:embedded-bot" }]);
      const events = await database.query<{ type: string }>("select type from audit_events where job_id = $1 order by id", [item.job.id]);
      expect(events.map((e) => e.type)).toEqual(["job.submitted", "job.claimed"]);
      const replay = await submitJob({ ctx: { ...ctx, now: new Date() }, input: { ...READ, payload: { n: 1 } }, idempotencyKey: "k1", claim: true });
      expect(replay.created).toBe(false);
      expect(replay.item.grant).toEqual(item.grant);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
