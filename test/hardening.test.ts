import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY_YAML } from "@/lib/policy/default-policy";
import { ADMIN, makeWorld, type Person, type World } from "./fixtures";
import { call } from "./http";
import { putPolicy } from "./policies";

const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("hostile ids and query strings never reach the database as such", () => {
  let w: World;
  let reviewer: Person;
  beforeAll(async () => {
    w = await makeWorld("hostile");
    reviewer = await w.person(["oncall"]);
  });

  it.each([
    ["GET", "/api/v1/jobs/%00"],
    ["GET", "/api/v1/jobs/a%00b/decisions"],
    ["POST", "/api/v1/jobs/%00/claim"],
    ["GET", `/api/v1/jobs/${"x".repeat(300)}`],
    ["GET", "/api/v1/jobs/%3Cscript%3E"],
    ["POST", "/api/v1/approvals/%00/approve"],
    ["PATCH", "/api/v1/admin/users/%00"],
    ["DELETE", "/api/v1/admin/tokens/%00"],
  ])("%s %s → 404 not_found", async (method, path) => {
    const token = path.includes("/admin/") ? ADMIN() : path.includes("/approvals/") ? reviewer.token : w.agent;
    const res = await call(method, path, { token, body: method === "GET" || method === "DELETE" ? undefined : { reason: "x", job_hash: "0".repeat(64) } });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });

  it.each([
    ["/api/v1/approvals?rule_id=%00", "validation_failed"],
    ["/api/v1/approvals?limit=10&limit=20", "validation_failed"],
    ["/api/v1/approvals?limit=0x10", "validation_failed"],
    ["/api/v1/approvals?limit=1e2", "validation_failed"],
    ["/api/v1/audit?job_id=%00", "validation_failed"],
    ["/api/v1/approvals?cursor=" + Buffer.from(JSON.stringify({ k: "p", d: "-100000-01-01T00:00:00Z", c: "2026-01-01T00:00:00.000Z", i: "job-x" })).toString("base64url"), "invalid_cursor"],
    ["/api/v1/approvals?cursor=" + Buffer.from(JSON.stringify({ k: "p", d: "2026-01-01T00:00:00.000Z", c: "2026-01-01T00:00:00.000Z", i: "x\u0000" })).toString("base64url"), "invalid_cursor"],
  ])("GET %s → 400 %s", async (path, code) => {
    const token = path.includes("/audit") ? w.admin : reviewer.token;
    const res = await call("GET", path, { token });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });

  it("an empty PATCH of a user is refused and writes nothing", async () => {
    const res = await call("PATCH", `/api/v1/admin/users/${reviewer.id}`, { token: ADMIN(), body: {} });
    expect(res.status).toBe(400);
    const audit = await call("GET", "/api/v1/audit?type=user.updated", { token: w.admin });
    expect(audit.body.items).toHaveLength(0);
  });
});

describe("two agent tokens with the same name are still two submitters", () => {
  it("cannot replay or cancel each other's jobs", async () => {
    const w = await makeWorld("twins");
    const twin = await call("POST", "/api/v1/admin/tokens", {
      token: ADMIN(),
      body: { tenant: w.tenant, kind: "agent", name: "deploy-bot", scopes: ["jobs:submit", "jobs:read"] },
    });
    const b = twin.body.token as string;
    const a = await w.submit({ ...PROD_WRITE, payload: { n: 1 } }, { key: "same-key" });
    const replay = await call("POST", "/api/v1/jobs", {
      token: b,
      body: { ...PROD_WRITE, payload: { n: 1 } },
      headers: { "idempotency-key": "same-key" },
    });
    expect(replay.status).toBe(201);
    expect(replay.body.job.id).not.toBe(a.job.id);
    const cancel = await call("POST", `/api/v1/jobs/${a.job.id}/cancel`, { token: b, body: {} });
    expect(cancel.status).toBe(403);
    expect(cancel.body.code).toBe("not_submitter");
  });
});

describe("time on touch: escalation is stored and audited", () => {
  it("after due_at the escalate_to role may approve, and the escalation is an event", async () => {
    const w = await makeWorld("escalate");
    const yaml = `version: v1
rules:
  - id: fast-gate
    match:
      topics: ["job.fast.*"]
    decision: require_approval
    approvers: { roles: [oncall], count: 1 }
    sla: 1s
    on_timeout: escalate
    escalate_to: [eng-manager]
`;
    expect((await putPolicy(w, yaml)).status).toBe(200);
    const manager = await w.person(["eng-manager"]);
    const job = await w.submit({ topic: "job.fast.deploy" });
    const early = await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: manager.token, body: { reason: "too early" } });
    expect(early.status).toBe(403);
    expect(early.body.code).toBe("role_required");

    await sleep(1100);
    const seen = await call("GET", `/api/v1/jobs/${job.job.id}`, { token: w.agent });
    expect(seen.body.sla.escalated).toBe(true);
    const late = await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: manager.token, body: { reason: "escalated to me" } });
    expect(late.status).toBe(200);
    expect(late.body.job.state).toBe("APPROVED");
    expect(late.body.sla.escalated).toBe(true);
    expect(late.body.requirements[0].approvals).toBe(1);
    const events = await call("GET", `/api/v1/audit?job_id=${job.job.id}`, { token: w.admin });
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(["job.submitted", "job.escalated", "vote.cast", "job.approved"]);
  });
});

describe("lock order: votes racing a policy activation", () => {
  it("never deadlocks into a 500, and every job ends consistent (5×)", async () => {
    const w = await makeWorld("lockorder");
    const reviewers = await Promise.all([1, 2, 3, 4].map(() => w.person(["oncall"])));
    const variant = (i: number) => `${DEFAULT_POLICY_YAML}\n  - id: extra-${i}\n    match:\n      topics: ["job.extra.${i}"]\n    decision: deny\n`;
    for (let round = 0; round < 5; round++) {
      const jobs = await Promise.all(reviewers.map((_, i) => w.submit({ ...PROD_WRITE, payload: { round, i } })));
      const results = await Promise.all([
        ...jobs.map((j, i) => call("POST", `/api/v1/approvals/${j.job.id}/approve`, { token: reviewers[i]!.token, body: { reason: "race" } })),
        putPolicy(w, variant(round)),
        putPolicy(w, variant(round + 100)),
      ]);
      for (const r of results) expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
    }
    const verify = await call("GET", "/api/v1/audit/verify", { token: w.admin });
    expect(verify.body.ok).toBe(true);
  });
});

describe("audit verify while others write", () => {
  it("reports ok on every call made during a burst of submissions", async () => {
    const w = await makeWorld("verifyload");
    const writes = Promise.all(Array.from({ length: 40 }, (_, i) => w.submit({ ...PROD_WRITE, payload: { i } })));
    const checks = await Promise.all(Array.from({ length: 10 }, () => call("GET", "/api/v1/audit/verify", { token: w.admin })));
    await writes;
    expect(checks.every((c) => c.body.ok === true)).toBe(true);
  });
});

describe("metrics see expiries nobody touched", () => {
  it("counts a pending job past its cutoff as expired", async () => {
    const w = await makeWorld("lapsed");
    const yaml = `version: v1
defaults:
  decision: require_approval
  cutoff: 1s
rules: []
`;
    expect((await putPolicy(w, yaml)).status).toBe(200);
    await w.submit({ topic: "job.anything.go" });
    await sleep(1100);
    const manager = await w.person(["manager"]);
    const res = await call("GET", "/api/v1/metrics/decisions?window=24h", { token: manager.token });
    expect(res.body.groups).toEqual([expect.objectContaining({ key: "overall", decided: 1, expired: 1, sla_breaches: 1 })]);
    expect(res.body.queue.depth).toBe(0);
  });
});

describe("submissions racing a policy activation", () => {
  it("no job is left pending under a policy that is no longer active (5×)", async () => {
    const w = await makeWorld("subrace");
    const reviewer = await w.person(["oncall"]);
    for (let round = 0; round < 5; round++) {
      const yaml = `${DEFAULT_POLICY_YAML}\n  - id: round-${round}\n    match:\n      topics: ["job.round.${round}"]\n    decision: deny\n`;
      const [, upload] = await Promise.all([
        Promise.all(Array.from({ length: 20 }, (_, i) => w.submit({ ...PROD_WRITE, payload: { round, i } }))),
        putPolicy(w, yaml),
      ]);
      expect(upload.status).toBe(200);
      const queue = await call("GET", "/api/v1/approvals?limit=200", { token: reviewer.token });
      const stale = queue.body.items.filter((i: { policy_snapshot: string }) => i.policy_snapshot !== upload.body.snapshot_id);
      expect(stale).toEqual([]);
    }
  });
});
