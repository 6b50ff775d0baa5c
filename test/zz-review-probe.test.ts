import { beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { call } from "./http";
import { ADMIN, makeWorld, type World } from "./fixtures";

let w: World;
beforeAll(async () => {
  w = await makeWorld("zz");
});

const show = (label: string, r: { status: number; headers: Headers; body: any }) =>
  console.log(`PROBE ${label}: ${r.status} ${r.headers.get("content-type")} ${JSON.stringify(r.body).slice(0, 300)}`);

describe("hostile inputs", () => {
  it("path/query oddities", async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const cases: [string, string, string][] = [
      ["GET", "/api/v1/jobs/%00", w.admin],
      ["GET", "/api/v1/jobs/a%00b/decisions", w.admin],
      ["GET", `/api/v1/jobs/${"x".repeat(5000)}`, w.admin],
      ["GET", "/api/v1/approvals?rule_id=%00", w.admin],
      ["GET", "/api/v1/approvals?limit=0x10", w.admin],
      ["GET", "/api/v1/approvals?limit=1&limit=500", w.admin],
      ["GET", "/api/v1/approvals?limit=", w.admin],
      ["GET", `/api/v1/approvals?cursor=${b64({ k: "p", d: "-100000-01-01T00:00:00Z", c: "2020-01-01T00:00:00Z", i: "x" })}`, w.admin],
      ["GET", `/api/v1/approvals?cursor=${b64({ k: "p", d: "2020-01-01T00:00:00Z", c: "2020-01-01T00:00:00Z", i: "x\u0000" })}`, w.admin],
      ["GET", `/api/v1/approvals?include_resolved=true&cursor=${b64({ k: "h", c: "1", i: "x" })}`, w.admin],
      ["GET", "/api/v1/audit?cursor=1e20", w.admin],
      ["GET", "/api/v1/audit?cursor=99999999999999999999", w.admin],
      ["GET", "/api/v1/audit?job_id=%00", w.admin],
      ["GET", "/api/v1/audit?actor=%00", w.admin],
      ["GET", "/api/v1/audit?since=0000-01-01T00:00:00Z", w.admin],
      ["GET", "/api/v1/jobs/whatever?wait=1e1", w.admin],
    ];
    for (const [m, p, t] of cases) show(`${m} ${p.slice(0, 120)}`, await call(m, p, { token: t }));
    const oncall = await w.person(["oncall"]);
    show("approve %00", await call("POST", "/api/v1/approvals/%00/approve", { token: oncall.token, body: { reason: "x" } }));
    show("claim %00", await call("POST", "/api/v1/jobs/%00/claim", { token: w.agent, body: { job_hash: "0".repeat(64) } }));
    show("revoke %00", await call("DELETE", "/api/v1/admin/tokens/%00", { token: w.admin }));
    show("patch user %00", await call("PATCH", "/api/v1/admin/users/%00", { token: w.admin, body: { roles: [] } }));
    show("payload array", await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "a.b", payload: [] } }));
    show("admin user tenant zz-nope", await call("POST", "/api/v1/admin/users", { token: ADMIN(), body: { tenant: "zz-nope", email: "a@b.co", roles: [] } }));
    show("simulate job+days=0", await call("POST", "/api/v1/policy/simulate", { token: w.admin, body: { yaml: "version: v1\n", days: 1 } }));
    show("token expires far", await call("POST", "/api/v1/admin/tokens", { token: w.admin, body: { kind: "agent", name: "x", scopes: ["jobs:read"], expires_at: "9999-12-31T23:59:59Z" } }));
    show("user email NUL-free but weird", await call("POST", "/api/v1/admin/users", { token: w.admin, body: { email: "Upper@Example.com", roles: ["oncall"] } }));
  });
});

describe("two agent tokens with one name", () => {
  it("can cancel each other's jobs and share idempotency keys", async () => {
    const mk = async () =>
      (await call("POST", "/api/v1/admin/tokens", { token: w.admin, body: { kind: "agent", name: "bot", scopes: ["jobs:submit", "jobs:read"] } })).body.token as string;
    const a = await mk();
    const b = await mk();
    const job = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { x: 1 } }, { token: a, key: "k1" });
    const replay = await call("POST", "/api/v1/jobs", { token: b, body: { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { x: 1 } }, headers: { "idempotency-key": "k1" } });
    show("B replays A's key", replay);
    const other = await call("POST", "/api/v1/jobs", { token: b, body: { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { x: 2 } }, headers: { "idempotency-key": "k1" } });
    show("B new body with A's key", other);
    show("B cancels A's job", await call("POST", `/api/v1/jobs/${job.job.id}/cancel`, { token: b, body: {} }));
  });
});

describe("verify under concurrent writes", () => {
  it("reports broken while submits commit", async () => {
    let bad = 0;
    for (let i = 0; i < 15; i++) {
      const [v] = await Promise.all([
        call("GET", "/api/v1/audit/verify", { token: w.admin }),
        ...Array.from({ length: 8 }, (_, j) => w.submit({ topic: "job.repo.read", payload: { i, j } })),
      ]);
      if (!v.body.ok) {
        bad++;
        if (bad === 1) show("verify during writes", v);
      }
    }
    const after = await call("GET", "/api/v1/audit/verify", { token: w.admin });
    console.log(`PROBE verify false positives: ${bad}/15; after quiet: ok=${after.body.ok}`);
  });
});

const DENY_CONFIG = `version: v1
rules:
  - id: no-config
    match:
      topics: ["job.config.*"]
    decision: deny
    reason: config frozen
`;

describe("policy activation races", () => {
  it("a submit racing an activation keeps the old policy forever", async () => {
    const sql = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
    const w2 = await makeWorld("zzr");
    const before = await call("GET", "/api/v1/policy", { token: w2.admin });
    const holder = await sql.reserve();
    await holder`begin`;
    await holder`select 1 from tenants where id = ${w2.tenant} for update`;
    const put = call("PUT", "/api/v1/policy", { token: w2.admin, rawBody: DENY_CONFIG, headers: { "content-type": "application/yaml" } });
    await new Promise((r) => setTimeout(r, 300));
    const sub = w2.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { race: 1 } });
    await new Promise((r) => setTimeout(r, 300));
    await holder`commit`;
    holder.release();
    const [p, s] = await Promise.all([put, sub]);
    show("put", p);
    const after = await call("GET", "/api/v1/policy", { token: w2.admin });
    const job = await call("GET", `/api/v1/jobs/${s.job.id}`, { token: w2.admin });
    console.log(`PROBE race: active before=${before.body.snapshot_id.slice(-8)} after=${after.body.snapshot_id.slice(-8)} job.state=${job.body.job.state} job.snapshot=${job.body.policy_snapshot.slice(-8)}`);
    const oncall = await w2.person(["oncall"]);
    const ap = await call("POST", `/api/v1/approvals/${s.job.id}/approve`, { token: oncall.token, body: { reason: "ok" } });
    show("approve under frozen policy", ap);
    const cl = await call("POST", `/api/v1/jobs/${s.job.id}/claim`, { token: w2.agent, body: { job_hash: s.job_hash } });
    show("claim under frozen policy", cl);
    await sql.end();
  });

  it("a vote and an activation deadlock via the votes→tenants FK", async () => {
    const sql = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
    const w3 = await makeWorld("zzd");
    const job = await w3.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { d: 1 } });
    const oncall = await w3.person(["oncall"]);
    const holder = await sql.reserve();
    await holder`begin`;
    // stands in for an admin's PATCH /admin/users/{id} that holds the voter's row for a moment
    await holder`select 1 from users where id = ${oncall.id} for update`;
    const vote = call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: oncall.token, body: { reason: "ok" } });
    await new Promise((r) => setTimeout(r, 300));
    const put = call("PUT", "/api/v1/policy", { token: w3.admin, rawBody: DENY_CONFIG, headers: { "content-type": "application/yaml" } });
    await new Promise((r) => setTimeout(r, 300));
    await holder`commit`;
    holder.release();
    const [v, p] = await Promise.all([vote, put]);
    show("vote", v);
    show("put", p);
    await sql.end();
  });
});
