import crypto from "node:crypto";
import canonicalize from "canonicalize";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { call } from "./http";
import { ADMIN, makeWorld, type Person, type World } from "./fixtures";
import { expectProblem } from "./problem";

let w: World;
let other: World;
let oncall: Person;

beforeAll(async () => {
  w = await makeWorld("jobs");
  other = await makeWorld("jobs-b");
  oncall = await w.person(["oncall"], "oncall");
});

const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] };


/** Jobs stored for a tenant, counted in the database itself, and their submission events in the audit log. */
async function stored(world: World): Promise<{ jobs: number; submitted: number }> {
  const db = await getDb();
  const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from jobs where tenant_id = ${world.tenant}`);
  const audit = await call("GET", "/api/v1/audit?type=job.submitted&limit=1000", { token: world.admin });
  expect(audit.status).toBe(200);
  return { jobs: Number((rows as unknown as { n: number }[])[0]!.n), submitted: audit.body.items.length };
}

const submit = (body: unknown, opts: { token?: string; key?: string } = {}) =>
  call("POST", "/api/v1/jobs", {
    token: opts.token ?? w.agent,
    body,
    headers: opts.key ? { "idempotency-key": opts.key } : undefined,
  });

const ok = { topic: "job.repo.read", risk_tags: [], payload: { a: 1 } };

describe("POST /jobs: validation refuses and stores nothing", () => {
  const cases: [string, Record<string, unknown>][] = [
    // mass assignment
    ["unknown field state", { ...ok, state: "APPROVED" }],
    ["unknown field resolution", { ...ok, resolution: "approved" }],
    ["unknown field tenant", { ...ok, tenant: "system" }],
    ["unknown field job_hash", { ...ok, job_hash: "0".repeat(64) }],
    ["unknown field requested_by", { ...ok, requested_by: "agent:someone-else" }],
    ["unknown field decision", { ...ok, decision: "allow" }],
    // topic
    ["missing topic", { risk_tags: [], payload: {} }],
    ["uppercase topic", { ...ok, topic: "Job.Repo.Read" }],
    ["empty segment", { ...ok, topic: "job..read" }],
    ["leading dot", { ...ok, topic: ".job.read" }],
    ["trailing dot", { ...ok, topic: "job.read." }],
    ["empty topic", { ...ok, topic: "" }],
    ["space in topic", { ...ok, topic: "job.repo read" }],
    ["cyrillic look-alike", { ...ok, topic: "j\u043Eb.repo.read" }],
    ["fullwidth look-alike", { ...ok, topic: "job.repo.\uFF52ead" }],
    ["topic of 201 chars", { ...ok, topic: "a".repeat(201) }],
    ["topic not a string", { ...ok, topic: 42 }],
    // risk tags
    ["33 risk tags", { ...ok, risk_tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }],
    ["uppercase tag", { ...ok, risk_tags: ["Prod"] }],
    ["dotted tag", { ...ok, risk_tags: ["prod.write"] }],
    ["empty tag", { ...ok, risk_tags: [""] }],
    ["unicode tag", { ...ok, risk_tags: ["pr\u043Ed"] }],
    ["risk_tags not an array", { ...ok, risk_tags: "prod" }],
    // payload
    ["missing payload", { topic: "job.repo.read", risk_tags: [] }],
    ["payload a string", { ...ok, payload: "rm -rf /" }],
    ["payload an array", { ...ok, payload: [1, 2, 3] }],
    ["payload null", { ...ok, payload: null }],
    ["payload a number", { ...ok, payload: 7 }],
    ["payload over 64 KiB", { ...ok, payload: { blob: "x".repeat(64 * 1024) } }],
    // texts
    ["title of 201 chars", { ...ok, title: "t".repeat(201) }],
    ["description of 4001 chars", { ...ok, description: "d".repeat(4001) }],
    // labels
    ["labels with a number value", { ...ok, labels: { team: 1 } }],
    ["labels with an object value", { ...ok, labels: { team: { name: "x" } } }],
    ["labels an array", { ...ok, labels: ["team"] }],
    ["labels a string", { ...ok, labels: "team=x" }],
    // callback_url / on_behalf_of
    ["callback_url not a URL", { ...ok, callback_url: "not a url" }],
    ["callback_url javascript:", { ...ok, callback_url: "javascript:alert(1)" }],
    ["on_behalf_of not an email", { ...ok, on_behalf_of: "bob" }],
    ["on_behalf_of half an email", { ...ok, on_behalf_of: "bob@" }],
  ];

  it.each(cases)("%s → 400 validation_failed", async (_name, body) => {
    const before = await stored(w);
    const res = await submit(body);
    expectProblem(res, 400, "validation_failed");
    expect(Array.isArray(res.body.errors)).toBe(true);
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(await stored(w)).toEqual(before);
  });

  it("accepts the boundaries themselves (200-char topic, 32 tags, 200/4000-char texts, near-64 KiB payload)", async () => {
    const res = await submit({
      topic: `job.${"a".repeat(196)}`,
      risk_tags: Array.from({ length: 32 }, (_, i) => `t${i}`),
      payload: { blob: "x".repeat(64 * 1024 - 20) },
      title: "t".repeat(200),
      description: "d".repeat(4000),
      labels: { team: "core" },
      callback_url: "https://example.com/hook",
      on_behalf_of: "Someone@Example.com",
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
    expect(res.body.job.on_behalf_of).toBe("someone@example.com");
  });

  it.each([
    ["malformed JSON", '{"topic": "job.repo.read", "payload": {', "not valid JSON"],
    // Read one way by a proxy or a reviewer's tool (first wins) and another way by JSON.parse (last wins).
    ["a key given twice", '{"topic": "job.repo.read", "payload": {}, "topic": "job.db.drop"}', '"topic"'],
  ])("%s → 400 invalid_json, nothing stored", async (_what, rawBody, detail) => {
    const before = await stored(w);
    const res = await call("POST", "/api/v1/jobs", { token: w.agent, rawBody, headers: { "content-type": "application/json" } });
    expectProblem(res, 400, "invalid_json");
    expect(res.body.detail).toContain(detail);
    expect(await stored(w)).toEqual(before);
  });

  it("a JSON body that is not an object → 400", async () => {
    for (const raw of ["[1,2]", '"job"', "42", "null"]) {
      const res = await call("POST", "/api/v1/jobs", { token: w.agent, rawBody: raw, headers: { "content-type": "application/json" } });
      expectProblem(res, 400, "validation_failed");
    }
  });

  it.each([
    ["U+0000 in a payload string", '{"topic":"job.repo.read","payload":{"a":"nul\\u0000x"}}'],
    ["U+0000 in a payload key", '{"topic":"job.repo.read","payload":{"nul\\u0000key":1}}'],
    ["a lone surrogate in the payload", '{"topic":"job.repo.read","payload":{"a":"\\ud800"}}'],
    ["a lone surrogate in the title", '{"topic":"job.repo.read","title":"\\udc00","payload":{}}'],
    ["a number that overflows to Infinity", '{"topic":"job.repo.read","payload":{"n":1e400}}'],
    ["a __proto__ key (would be dropped silently, changing what is hashed)", '{"topic":"job.repo.read","payload":{"__proto__":{"x":1},"b":2}}'],
    ["a __proto__ label", '{"topic":"job.repo.read","labels":{"__proto__":"x"},"payload":{}}'],
    ["payload nested 5000 deep", `{"topic":"job.repo.read","payload":{"a":${"[".repeat(5000)}${"]".repeat(5000)}}}`],
  ])("a body that cannot be stored as sent (%s) → 400, not 500, nothing stored", async (_n, rawBody) => {
    const before = await stored(w);
    const res = await call("POST", "/api/v1/jobs", { token: w.agent, rawBody, headers: { "content-type": "application/json" } });
    expectProblem(res, 400, "validation_failed");
    expect(await stored(w)).toEqual(before);
  });

  it("a payload nested 50 deep is fine, and hashes as sent", async () => {
    let payload: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 50; i++) payload = { [`l${i}`]: payload };
    const res = await submit({ topic: "job.repo.read", payload });
    expect(res.status).toBe(201);
    expect(res.body.job.payload).toEqual(payload);
  });

  it("a body over 256 KiB → 413 payload_too_large, nothing stored", async () => {
    const before = await stored(w);
    const rawBody = JSON.stringify({ ...ok, payload: { blob: "x".repeat(300 * 1024) } });
    const res = await call("POST", "/api/v1/jobs", { token: w.agent, rawBody, headers: { "content-type": "application/json" } });
    expectProblem(res, 413, "payload_too_large");
    // The same with an honest Content-Length, refused before reading.
    const res2 = await call("POST", "/api/v1/jobs", {
      token: w.agent,
      rawBody,
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(rawBody)) },
    });
    expectProblem(res2, 413, "payload_too_large");
    expect(await stored(w)).toEqual(before);
  });
});

describe("Idempotency-Key", () => {
  it("same key + same body → 200 with the same job; other body → 409 idempotency_key_reused", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const body = { ...PROD_WRITE, payload: { key: "a", value: 1 } };
    const first = await submit(body, { key });
    expect(first.status).toBe(201);
    const before = await stored(w);

    const again = await submit(body, { key });
    expect(again.status).toBe(200);
    expect(again.body.job.id).toBe(first.body.job.id);
    expect(again.body.job_hash).toBe(first.body.job_hash);

    // The same key with the tags in another order and duplicated is still the same request.
    const reordered = await submit({ ...body, risk_tags: ["write", "prod", "write"] }, { key });
    expect(reordered.status).toBe(200);
    expect(reordered.body.job.id).toBe(first.body.job.id);

    const changed = await submit({ ...body, payload: { key: "a", value: 2 } }, { key });
    expectProblem(changed, 409, "idempotency_key_reused");
    expect(await stored(w)).toEqual(before);
  });

  it("without a key, the same body twice is two jobs", async () => {
    const a = await submit(ok);
    const b = await submit(ok);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.job.id).not.toBe(b.body.job.id);
  });

  it("10 concurrent submits with the same key and body create exactly one job", async () => {
    const key = `race-${crypto.randomUUID()}`;
    const body = { ...PROD_WRITE, payload: { race: true } };
    const before = await stored(w);
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(body, { key })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(results.map((r) => r.body.job.id));
    expect(ids.size).toBe(1);
    const after = await stored(w);
    expect(after.jobs).toBe(before.jobs + 1);
    expect(after.submitted).toBe(before.submitted + 1);
  });

  it("concurrent submits with the same key and different bodies: one job, the others 409", async () => {
    const key = `race-diff-${crypto.randomUUID()}`;
    const before = await stored(w);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => submit({ ...PROD_WRITE, payload: { variant: i } }, { key })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) expectProblem(r, 409, "idempotency_key_reused");
    const after = await stored(w);
    expect(after.jobs).toBe(before.jobs + 1);
  });

  it("the key belongs to the submitter: another agent may use the same key for its own job", async () => {
    const tok = await call("POST", "/api/v1/admin/tokens", {
      token: ADMIN(),
      body: { tenant: w.tenant, kind: "agent", name: "key-sharer", scopes: ["jobs:submit", "jobs:read"] },
    });
    const key = `shared-${crypto.randomUUID()}`;
    const mine = await submit(ok, { key });
    const theirs = await submit({ ...ok, payload: { other: true } }, { key, token: tok.body.token });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.job.id).not.toBe(mine.body.job.id);
  });

  it("an invalid Idempotency-Key is refused", async () => {
    const res = await submit(ok, { key: "has space" });
    expectProblem(res, 400, "validation_failed");
  });
});

describe("job_hash", () => {
  it("is SHA-256 of the RFC 8785 canonical JSON of {topic, sorted unique risk_tags, payload}", async () => {
    const payload = { z: [3, 1, { b: 2, a: 1 }], a: 1.5, big: 9007199254740991, tiny: 1.5e-7, "é": "ünïcödé", nested: { y: null, x: true }, n: 100 };
    const res = await submit({ topic: "job.x.read", risk_tags: ["write", "prod", "prod", "egress"], payload });
    expect(res.status).toBe(201);
    const expected = crypto
      .createHash("sha256")
      .update(canonicalize({ topic: "job.x.read", risk_tags: ["egress", "prod", "write"], payload })!, "utf8")
      .digest("hex");
    expect(res.body.job_hash).toBe(expected);
    expect(res.body.job.risk_tags).toEqual(["egress", "prod", "write"]);

    // Key order and tag order do not change it; the payload does.
    const same = await submit({ topic: "job.x.read", risk_tags: ["egress", "write", "prod"], payload: Object.fromEntries(Object.entries(payload).reverse()) });
    expect(Object.keys(Object.fromEntries(Object.entries(payload).reverse()))[0]).toBe("n");
    expect(same.body.job_hash).toBe(expected);
    const changed = await submit({ topic: "job.x.read", risk_tags: ["egress", "prod", "write"], payload: { ...payload, n: 101 } });
    expect(changed.body.job_hash).not.toBe(expected);
  });
});

describe("GET /jobs/{id}", () => {
  it("returns the job in the one rendering", async () => {
    const item = await w.submit({ ...PROD_WRITE, payload: { k: 1 }, title: "Change k", labels: { team: "core" } });
    const res = await call("GET", `/api/v1/jobs/${item.job.id}`, { token: w.agent });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.job).toMatchObject({
      id: item.job.id,
      state: "APPROVAL",
      topic: "job.config.update",
      risk_tags: ["prod", "write"],
      title: "Change k",
      labels: { team: "core" },
      payload: { k: 1 },
      requested_by: "agent:deploy-bot",
    });
    expect(res.body.job_hash).toBe(item.job_hash);
    expect(res.body.policy_snapshot).toBe(item.policy_snapshot);
    expect(res.body.decision).toBe("REQUIRE_APPROVAL");
    expect(res.body.policy_rule_id).toBe("prod-write-gate");
    expect(res.body.resolution).toBeNull();
    expect(res.body).toHaveProperty("constraints");
    expect(res.body.matched_rules.map((r: { id: string }) => r.id)).toContain("prod-write-gate");
    // The same rendering as the submit answer (can_act aside, which depends on the caller).
    expect({ ...res.body, can_act: null }).toEqual({ ...item, can_act: null });
  });

  it("unknown id → 404 not_found; another tenant's job → the identical 404", async () => {
    const unknown = await call("GET", "/api/v1/jobs/job-01J00000000000000000000000", { token: w.agent });
    expectProblem(unknown, 404, "not_found");

    const theirs = await other.submit({ ...PROD_WRITE, payload: {} });
    const foreign = await call("GET", `/api/v1/jobs/${theirs.job.id}`, { token: w.agent });
    expectProblem(foreign, 404, "not_found");
    expect(foreign.body).toEqual(unknown.body);
    expect(Object.keys(foreign.body).sort()).toEqual(Object.keys(unknown.body).sort());
    // Still there for its own tenant.
    expect((await call("GET", `/api/v1/jobs/${theirs.job.id}`, { token: other.agent })).status).toBe(200);
  });

  it("?wait=2 on a pending job holds ~2 s and answers still APPROVAL", async () => {
    const item = await w.submit({ ...PROD_WRITE, payload: { wait: 2 } });
    const t0 = Date.now();
    const res = await call("GET", `/api/v1/jobs/${item.job.id}?wait=2`, { token: w.agent });
    const elapsed = Date.now() - t0;
    expect(res.status).toBe(200);
    expect(res.body.job.state).toBe("APPROVAL");
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(2500);
  });

  it("?wait=10 answers soon after another request approves the job", async () => {
    const item = await w.submit({ ...PROD_WRITE, payload: { wait: 10 } });
    const t0 = Date.now();
    const waiting = call("GET", `/api/v1/jobs/${item.job.id}?wait=10`, { token: w.agent }).then((r) => ({ r, at: Date.now() - t0 }));
    await new Promise((r) => setTimeout(r, 300));
    const approve = await call("POST", `/api/v1/approvals/${item.job.id}/approve`, {
      token: oncall.token,
      body: { reason: "looks fine" },
    });
    expect(approve.status, JSON.stringify(approve.body)).toBe(200);
    const approvedAt = Date.now() - t0;
    const { r, at } = await waiting;
    // Woken by the change itself (LISTEN/NOTIFY), not by a polling loop.
    expect(at - approvedAt).toBeLessThan(200);
    expect(r.status).toBe(200);
    expect(r.body.job.state).toBe("APPROVED");
    expect(r.body.resolution).toBe("approved");
    expect(at).toBeGreaterThanOrEqual(250);
    expect(at).toBeLessThan(3000);
  });

  it("?wait=56 → 400; ?wait=abc → 400; unknown query parameter → 400", async () => {
    const item = await w.submit({ ...PROD_WRITE, payload: { wait: 56 } });
    expectProblem(await call("GET", `/api/v1/jobs/${item.job.id}?wait=56`, { token: w.agent }), 400, "validation_failed");
    expectProblem(await call("GET", `/api/v1/jobs/${item.job.id}?wait=-1`, { token: w.agent }), 400, "validation_failed");
    expectProblem(await call("GET", `/api/v1/jobs/${item.job.id}?wait=abc`, { token: w.agent }), 400, "validation_failed");
  });

  it("?wait on an already-resolved job answers at once", async () => {
    const item = await w.submit({ topic: "job.repo.read", payload: { resolved: true } });
    expect(item.job.state).toBe("APPROVED");
    const t0 = Date.now();
    const res = await call("GET", `/api/v1/jobs/${item.job.id}?wait=30`, { token: w.agent });
    expect(res.status).toBe(200);
    expect(res.body.job.state).toBe("APPROVED");
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("?wait on an unknown job is a 404 at once", async () => {
    const t0 = Date.now();
    expectProblem(await call("GET", "/api/v1/jobs/job-nope?wait=30", { token: w.agent }), 404, "not_found");
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe("GET /jobs/{id}/decisions", () => {
  it("returns {job, decisions, votes, resolution}", async () => {
    const item = await w.submit({ ...PROD_WRITE, payload: { decisions: 1 } });
    const pending = await call("GET", `/api/v1/jobs/${item.job.id}/decisions`, { token: w.agent });
    expect(pending.status).toBe(200);
    expect(Object.keys(pending.body).sort()).toEqual(["deadline", "decisions", "execution", "job", "resolution", "resolved_at", "resolved_by", "resolved_comment", "viewer", "votes"]);
    expect(pending.body.job.job.id).toBe(item.job.id);
    expect(pending.body.decisions).toHaveLength(1);
    expect(pending.body.decisions[0]).toMatchObject({
      cause: "submit",
      policy_snapshot: item.policy_snapshot,
      decision: "REQUIRE_APPROVAL",
      rule_id: "prod-write-gate",
      reason: "Production writes require human approval",
    });
    expect(pending.body.votes).toEqual([]);
    expect(pending.body).toMatchObject({ resolution: null, resolved_by: null, resolved_comment: null, resolved_at: null });

    await call("POST", `/api/v1/approvals/${item.job.id}/approve`, { token: oncall.token, body: { reason: "ok by me" } });
    const done = await call("GET", `/api/v1/jobs/${item.job.id}/decisions`, { token: w.admin });
    expect(done.status).toBe(200);
    expect(done.body.votes).toHaveLength(1);
    expect(done.body.votes[0]).toMatchObject({ voter: oncall.email, vote: "approve", reason: "ok by me" });
    expect(done.body).toMatchObject({ resolution: "approved", resolved_by: oncall.email });
    expect(done.body.resolved_at).toBeTruthy();
  });

  it("unknown id → 404", async () => {
    expectProblem(await call("GET", "/api/v1/jobs/job-nope/decisions", { token: w.agent }), 404, "not_found");
  });
});

describe("cancel", () => {
  it("the submitting agent withdraws a pending job, once", async () => {
    const item = await w.submit({ ...PROD_WRITE, payload: { cancel: 1 } });
    const res = await call("POST", `/api/v1/jobs/${item.job.id}/cancel`, { token: w.agent, body: { reason: "no longer needed" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.job.state).toBe("CANCELLED");
    expect(res.body.resolution).toBe("cancelled");
    expect(res.body.resolved_at).toBeTruthy();

    const again = await call("POST", `/api/v1/jobs/${item.job.id}/cancel`, { token: w.agent, body: {} });
    expectProblem(again, 409, "already_resolved");

    // A cancelled job cannot be approved afterwards.
    const vote = await call("POST", `/api/v1/approvals/${item.job.id}/approve`, { token: oncall.token, body: { reason: "late" } });
    expectProblem(vote, 409, "already_resolved");
  });

  it("an empty body is fine", async () => {
    const item = await w.submit({ ...PROD_WRITE, payload: { cancel: 2 } });
    const res = await call("POST", `/api/v1/jobs/${item.job.id}/cancel`, { token: w.agent });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.job.state).toBe("CANCELLED");
  });

  it("another agent of the same tenant → 403 not_submitter, and the job stays pending", async () => {
    const otherAgent = await call("POST", "/api/v1/admin/tokens", {
      token: ADMIN(),
      body: { tenant: w.tenant, kind: "agent", name: "other-bot", scopes: ["jobs:submit", "jobs:read", "jobs:execute"] },
    });
    expect(otherAgent.status).toBe(201);
    const item = await w.submit({ ...PROD_WRITE, payload: { cancel: 3 } });
    const res = await call("POST", `/api/v1/jobs/${item.job.id}/cancel`, { token: otherAgent.body.token, body: {} });
    expectProblem(res, 403, "not_submitter");
    const still = await call("GET", `/api/v1/jobs/${item.job.id}`, { token: w.agent });
    expect(still.body.job.state).toBe("APPROVAL");
  });

  it("cancelling a policy-allowed job → 409", async () => {
    const item = await w.submit({ topic: "job.repo.read", payload: { cancel: 4 } });
    const res = await call("POST", `/api/v1/jobs/${item.job.id}/cancel`, { token: w.agent, body: {} });
    expectProblem(res, 409, "already_resolved");
    const still = await call("GET", `/api/v1/jobs/${item.job.id}`, { token: w.agent });
    expect(still.body.job.state).toBe("APPROVED");
  });

  it("unknown fields in the cancel body → 400", async () => {
    const item = await w.submit({ ...PROD_WRITE, payload: { cancel: 5 } });
    const res = await call("POST", `/api/v1/jobs/${item.job.id}/cancel`, { token: w.agent, body: { state: "APPROVED" } });
    expectProblem(res, 400, "validation_failed");
  });
});

describe("claim and complete", () => {
  const claim = (id: string, body: unknown, token = w.agent) => call("POST", `/api/v1/jobs/${id}/claim`, { token, body });
  const complete = (id: string, body: unknown, token = w.agent) => call("POST", `/api/v1/jobs/${id}/complete`, { token, body });

  it("an allowed job claims directly; the grant carries no constraints", async () => {
    const item = await w.submit({ topic: "job.repo.read", payload: { claim: 1 } });
    const res = await claim(item.job.id, { job_hash: item.job_hash });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ job_id: item.job.id, job_hash: item.job_hash, policy_snapshot: item.policy_snapshot, constraints: null });
    const now = await call("GET", `/api/v1/jobs/${item.job.id}`, { token: w.agent });
    expect(now.body.job.state).toBe("RUNNING");
  });

  it("an allow_with_constraints job's grant carries its constraints", async () => {
    const item = await w.submit({ topic: "job.ticket.update", payload: { ticket: "T-1" } });
    expect(item.decision).toBe("ALLOW_WITH_CONSTRAINTS");
    const res = await claim(item.job.id, { job_hash: item.job_hash });
    expect(res.status).toBe(200);
    expect(res.body.constraints).toEqual({ max_runtime_sec: 30 });
  });

  it("a pending job → 409 not_approved; a denied job → 409 not_approved", async () => {
    const pending = await w.submit({ ...PROD_WRITE, payload: { claim: 2 } });
    expectProblem(await claim(pending.job.id, { job_hash: pending.job_hash }), 409, "not_approved");
    const denied = await w.submit({ topic: "job.db.drop", risk_tags: ["prod"], payload: { db: "main" } });
    expect(denied.job.state).toBe("DENIED");
    expectProblem(await claim(denied.job.id, { job_hash: denied.job_hash }), 409, "not_approved");
    expect((await call("GET", `/api/v1/jobs/${denied.job.id}`, { token: w.agent })).body.job.state).toBe("DENIED");
  });

  it("a wrong hash → 409 stale_request and the job stays APPROVED; then once with the right hash", async () => {
    const item = await w.submit({ ...PROD_WRITE, payload: { claim: 3 } });
    const approve = await call("POST", `/api/v1/approvals/${item.job.id}/approve`, { token: oncall.token, body: { reason: "go" } });
    expect(approve.body.job.state).toBe("APPROVED");

    const wrong = await claim(item.job.id, { job_hash: "f".repeat(64) });
    expectProblem(wrong, 409, "stale_request");
    const after = await call("GET", `/api/v1/jobs/${item.job.id}`, { token: w.agent });
    expect(after.body.job.state).toBe("APPROVED");
    const claimedEvents = await call("GET", `/api/v1/audit?job_id=${item.job.id}&type=job.claimed`, { token: w.admin });
    expect(claimedEvents.body.items).toHaveLength(0);

    const right = await claim(item.job.id, { job_hash: item.job_hash, policy_snapshot: item.policy_snapshot });
    expect(right.status).toBe(200);
    expectProblem(await claim(item.job.id, { job_hash: item.job_hash }), 409, "already_claimed");
  });

  it("a policy_snapshot that is not the job's → 409 stale_snapshot", async () => {
    const item = await w.submit({ topic: "job.repo.read", payload: { claim: 4 } });
    const res = await claim(item.job.id, { job_hash: item.job_hash, policy_snapshot: `cfg:${w.tenant}:policy#sha256:${"0".repeat(64)}` });
    expectProblem(res, 409, "stale_snapshot");
  });

  it("bad claim bodies → 400", async () => {
    const item = await w.submit({ topic: "job.repo.read", payload: { claim: 5 } });
    expectProblem(await claim(item.job.id, {}), 400, "validation_failed");
    expectProblem(await claim(item.job.id, { job_hash: "XYZ" }), 400, "validation_failed");
    expectProblem(await claim(item.job.id, { job_hash: item.job_hash, state: "RUNNING" }), 400, "validation_failed");
    expect((await call("GET", `/api/v1/jobs/${item.job.id}`, { token: w.agent })).body.job.state).toBe("APPROVED");
  });

  it("unknown job → 404; another tenant's approved job → 404", async () => {
    expectProblem(await claim("job-nope", { job_hash: "0".repeat(64) }), 404, "not_found");
    const theirs = await other.submit({ topic: "job.repo.read", payload: {} });
    expectProblem(await claim(theirs.job.id, { job_hash: theirs.job_hash }), 404, "not_found");
    expect((await call("GET", `/api/v1/jobs/${theirs.job.id}`, { token: other.agent })).body.job.state).toBe("APPROVED");
  });

  it("complete: RUNNING → SUCCEEDED or FAILED, once; an unclaimed job → 409 not_running", async () => {
    const a = await w.submit({ topic: "job.repo.read", payload: { complete: "a" } });
    const b = await w.submit({ topic: "job.repo.read", payload: { complete: "b" } });
    const c = await w.submit({ topic: "job.repo.read", payload: { complete: "c" } });

    expectProblem(await complete(c.job.id, { outcome: "succeeded" }), 409, "not_running");

    expect((await claim(a.job.id, { job_hash: a.job_hash })).status).toBe(200);
    expect((await claim(b.job.id, { job_hash: b.job_hash })).status).toBe(200);

    expectProblem(await complete(a.job.id, { outcome: "maybe" }), 400, "validation_failed");
    expectProblem(await complete(a.job.id, {}), 400, "validation_failed");

    const okA = await complete(a.job.id, { outcome: "succeeded" });
    expect(okA.status).toBe(200);
    expect(okA.body.job.state).toBe("SUCCEEDED");
    const failB = await complete(b.job.id, { outcome: "failed", detail: "exit code 1" });
    expect(failB.status).toBe(200);
    expect(failB.body.job.state).toBe("FAILED");

    expectProblem(await complete(a.job.id, { outcome: "failed" }), 409, "not_running");
    expect((await call("GET", `/api/v1/jobs/${a.job.id}`, { token: w.agent })).body.job.state).toBe("SUCCEEDED");
    // A finished job cannot be claimed again either.
    expectProblem(await claim(a.job.id, { job_hash: a.job_hash }), 409, "already_claimed");
  });
});

describe("authentication and scopes", () => {
  it("an agent token without jobs:execute cannot claim or complete (403 insufficient_scope)", async () => {
    const tok = await call("POST", "/api/v1/admin/tokens", {
      token: ADMIN(),
      body: { tenant: w.tenant, kind: "agent", name: "submit-only", scopes: ["jobs:submit", "jobs:read"] },
    });
    expect(tok.status).toBe(201);
    const item = await w.submit({ topic: "job.repo.read", payload: { scope: 1 } });
    expectProblem(await call("POST", `/api/v1/jobs/${item.job.id}/claim`, { token: tok.body.token, body: { job_hash: item.job_hash } }), 403, "insufficient_scope");
    expectProblem(await call("POST", `/api/v1/jobs/${item.job.id}/complete`, { token: tok.body.token, body: { outcome: "succeeded" } }), 403, "insufficient_scope");
    expect((await call("GET", `/api/v1/jobs/${item.job.id}`, { token: w.agent })).body.job.state).toBe("APPROVED");
  });

  it("a read-only token cannot submit", async () => {
    const tok = await call("POST", "/api/v1/admin/tokens", {
      token: ADMIN(),
      body: { tenant: w.tenant, kind: "agent", name: "reader", scopes: ["jobs:read"] },
    });
    const before = await stored(w);
    expectProblem(await submit(ok, { token: tok.body.token }), 403, "insufficient_scope");
    expect(await stored(w)).toEqual(before);
  });

  it("no token → 401 unauthenticated; garbage token → 401; malformed header → 401", async () => {
    const item = await w.submit({ topic: "job.repo.read", payload: { auth: 1 } });
    const none = await call("GET", `/api/v1/jobs/${item.job.id}`);
    expectProblem(none, 401, "unauthenticated");
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expectProblem(await call("GET", `/api/v1/jobs/${item.job.id}`, { token: "cs_garbage" }), 401, "unauthenticated");
    expectProblem(await call("POST", "/api/v1/jobs", { token: "not-a-token", body: ok }), 401, "unauthenticated");
    expectProblem(
      await call("POST", `/api/v1/jobs/${item.job.id}/claim`, { headers: { authorization: "Basic Zm9vOmJhcg==" }, body: { job_hash: item.job_hash } }),
      401,
      "unauthenticated",
    );
    expect((await call("GET", `/api/v1/jobs/${item.job.id}`, { token: w.agent })).body.job.state).toBe("APPROVED");
  });
});
