import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { authenticate, forgetCachedTokens } from "@/lib/auth/authenticate";
import { getDatabase, getDb, type RawQuery } from "@/lib/db/client";
import { call } from "./http";
import { ADMIN, makeWorld, type World } from "./fixtures";
import { expectProblem } from "./problem";

let a: World;
let b: World;

beforeAll(async () => {
  a = await makeWorld("adm-a");
  b = await makeWorld("adm-b");
});


async function rows<T = Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T[]> {
  const db = await getDb();
  return (await db.execute(query)) as unknown as T[];
}

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const newTenantId = (p = "nt") => `${p}-${ulid().toLowerCase().slice(-10)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("POST /admin/tenants", () => {
  it("the installation admin creates a tenant (201) with the default policy active; a duplicate → 409", async () => {
    const id = newTenantId();
    const res = await call("POST", "/api/v1/admin/tenants", { token: ADMIN(), body: { id, name: "New Co" } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ id, name: "New Co" });
    expect(res.body.policy_snapshot).toMatch(new RegExp(`^cfg:${id}:policy#sha256:[0-9a-f]{64}$`));

    const dup = await call("POST", "/api/v1/admin/tenants", { token: ADMIN(), body: { id } });
    expectProblem(dup, 409, "already_exists");
  });

  it("a tenant admin token → 403 installation_admin_required, and nothing is created", async () => {
    const id = newTenantId();
    expectProblem(await call("POST", "/api/v1/admin/tenants", { token: a.admin, body: { id } }), 403, "installation_admin_required");
    expect(await rows(sql`select id from tenants where id = ${id}`)).toHaveLength(0);
  });

  it("an agent token (no admin scope) → 403 insufficient_scope; no token → 401", async () => {
    expectProblem(await call("POST", "/api/v1/admin/tenants", { token: a.agent, body: { id: newTenantId() } }), 403, "insufficient_scope");
    expectProblem(await call("POST", "/api/v1/admin/tenants", { body: { id: newTenantId() } }), 401, "unauthenticated");
  });

  it.each([
    ["uppercase", "NewCo"],
    ["too short", "a"],
    ["leading dash", "-abc"],
    ["underscore", "a_b"],
    ["dot", "a.b"],
    ["too long", "a".repeat(64)],
    ["empty", ""],
    ["not a string", 42],
  ])("bad id (%s) → 400", async (_n, id) => {
    expectProblem(await call("POST", "/api/v1/admin/tenants", { token: ADMIN(), body: { id } }), 400, "validation_failed");
  });

  it("unknown fields → 400", async () => {
    expectProblem(await call("POST", "/api/v1/admin/tenants", { token: ADMIN(), body: { id: newTenantId(), plan: "gold" } }), 400, "validation_failed");
  });
});

describe("POST /admin/users", () => {
  it("a tenant admin creates a user in its own tenant → 201 {id, email, roles}; a duplicate email → 409", async () => {
    const email = `Reviewer-${ulid().slice(-6)}@Example.com`;
    const res = await call("POST", "/api/v1/admin/users", { token: a.admin, body: { email, roles: ["reviewer", "oncall", "reviewer"] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.body.email).toBe(email.toLowerCase());
    expect([...res.body.roles].sort()).toEqual(["oncall", "reviewer"]);
    const [row] = await rows<{ tenant_id: string }>(sql`select tenant_id from users where id = ${res.body.id}`);
    expect(row!.tenant_id).toBe(a.tenant);

    expectProblem(await call("POST", "/api/v1/admin/users", { token: a.admin, body: { email, roles: [] } }), 409, "already_exists");
    // Email comparison ignores case.
    expectProblem(await call("POST", "/api/v1/admin/users", { token: a.admin, body: { email: email.toUpperCase(), roles: [] } }), 409, "already_exists");
    // The same email in another tenant is another person.
    const elsewhere = await call("POST", "/api/v1/admin/users", { token: ADMIN(), body: { tenant: b.tenant, email, roles: [] } });
    expect(elsewhere.status).toBe(201);
  });

  it("a tenant admin naming another tenant → 403 tenant_forbidden, nothing created", async () => {
    const email = `x-${ulid().slice(-6)}@example.com`;
    expectProblem(await call("POST", "/api/v1/admin/users", { token: a.admin, body: { tenant: b.tenant, email, roles: [] } }), 403, "tenant_forbidden");
    expect(await rows(sql`select id from users where email = ${email}`)).toHaveLength(0);
  });

  it("the installation admin naming an unknown tenant → 404", async () => {
    const res = await call("POST", "/api/v1/admin/users", { token: ADMIN(), body: { tenant: newTenantId("none"), email: "x@example.com", roles: [] } });
    expectProblem(res, 404, "not_found");
  });

  it.each([
    ["bad email", { email: "nope", roles: [] }],
    ["bad role", { email: "r@example.com", roles: ["Admin Role"] }],
    ["short password", { email: "p@example.com", roles: [], password: "short" }],
    ["unknown field", { email: "u@example.com", roles: [], disabled: false, is_admin: true }],
  ])("%s → 400", async (_n, body) => {
    expectProblem(await call("POST", "/api/v1/admin/users", { token: a.admin, body }), 400, "validation_failed");
  });

  it("stores the password hashed with scrypt, never in clear", async () => {
    const password = `correct horse battery ${ulid()}`;
    const res = await call("POST", "/api/v1/admin/users", {
      token: a.admin,
      body: { email: `pw-${ulid().slice(-6)}@example.com`, roles: ["reviewer"], password },
    });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain(password);
    const [row] = await rows<Record<string, unknown>>(sql`select * from users where id = ${res.body.id}`);
    expect(String(row!.password_hash)).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain(password);
    // Nor in the audit log.
    const audit = await rows(sql`select data::text as d from audit_events where tenant_id = ${a.tenant}`);
    expect(JSON.stringify(audit)).not.toContain(password);
    // Two users with the same password get different hashes (salted).
    const res2 = await call("POST", "/api/v1/admin/users", {
      token: a.admin,
      body: { email: `pw2-${ulid().slice(-6)}@example.com`, roles: [], password },
    });
    const [row2] = await rows<{ password_hash: string }>(sql`select password_hash from users where id = ${res2.body.id}`);
    expect(row2!.password_hash).not.toBe(row!.password_hash);
  });
});

describe("POST /admin/tokens", () => {
  const mint = (body: Record<string, unknown>, token = a.admin) => call("POST", "/api/v1/admin/tokens", { token, body });

  it("returns a cs_ secret once; only its SHA-256 is stored", async () => {
    const res = await mint({ kind: "agent", name: "ci-bot", scopes: ["jobs:submit", "jobs:read"], owner_email: a.agentOwner.email });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: "agent", scopes: ["jobs:read", "jobs:submit"] });
    expect(res.body.id).toEqual(expect.any(String));
    const secret: string = res.body.token;
    expect(secret).toMatch(/^cs_[A-Za-z0-9_-]{40,}$/);

    const [row] = await rows<Record<string, unknown>>(sql`select * from tokens where id = ${res.body.id}`);
    expect(row!.token_hash).toBe(sha256(secret));
    expect(row!.tenant_id).toBe(a.tenant);
    for (const [col, value] of Object.entries(row!)) {
      expect(JSON.stringify(value) ?? "", `column ${col}`).not.toContain(secret);
      expect(JSON.stringify(value) ?? "", `column ${col}`).not.toContain(secret.slice(3));
    }
    const audit = await rows(sql`select * from audit_events where tenant_id = ${a.tenant}`);
    expect(JSON.stringify(audit)).not.toContain(secret.slice(3));

    // The secret works.
    const job = await call("POST", "/api/v1/jobs", { token: secret, body: { topic: "job.repo.read", payload: {} } });
    expect(job.status).toBe(201);
    expect(job.body.job.requested_by).toBe("agent:ci-bot");
  });

  it("two mints give two different secrets", async () => {
    const x = await mint({ kind: "agent", name: "twin", scopes: ["jobs:read"] });
    const y = await mint({ kind: "agent", name: "twin", scopes: ["jobs:read"] });
    expect(x.body.token).not.toBe(y.body.token);
    expect(x.body.id).not.toBe(y.body.id);
  });

  it.each([
    ["agent with approvals:resolve", { kind: "agent", name: "evil", scopes: ["jobs:submit", "approvals:resolve"] }],
    ["agent with admin (could mint itself an approver)", { kind: "agent", name: "evil", scopes: ["jobs:submit", "admin"] }],
    ["agent with policy:write (could allow its own work)", { kind: "agent", name: "evil", scopes: ["jobs:submit", "policy:write"] }],
    ["user without user_id", { kind: "user", name: "someone", scopes: ["jobs:read"] }],
    ["unknown scope", { kind: "agent", name: "bot", scopes: ["root"] }],
    ["no scopes", { kind: "agent", name: "bot", scopes: [] }],
    ["expires_at in the past", { kind: "agent", name: "bot", scopes: ["jobs:read"], expires_at: "2001-01-01T00:00:00Z" }],
    ["expires_at not a date", { kind: "agent", name: "bot", scopes: ["jobs:read"], expires_at: "tomorrow" }],
    ["bad kind", { kind: "service", name: "bot", scopes: ["jobs:read"] }],
    ["bad name", { kind: "agent", name: "bad name!", scopes: ["jobs:read"] }],
  ])("%s → 400 validation_failed, nothing stored", async (_n, body) => {
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from tokens where tenant_id = ${a.tenant}`);
    expectProblem(await mint(body), 400, "validation_failed");
    const after = await rows<{ n: number }>(sql`select count(*)::int as n from tokens where tenant_id = ${a.tenant}`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("an agent token cannot provision its way to an approval, even if admin was stored for it", async () => {
    // Stored behind the API's back (as an older version might have): authentication still drops it.
    const minted = await mint({ kind: "agent", name: "sneaky", scopes: ["jobs:submit", "jobs:read"] });
    await rows(sql`update tokens set scopes = array['jobs:submit','jobs:read','admin','approvals:resolve'] where id = ${minted.body.id}`);
    const job = await call("POST", "/api/v1/jobs", { token: minted.body.token, body: { topic: "job.config.update", risk_tags: ["prod", "write"], payload: {} } });
    expect(job.status).toBe(201);
    const email = `sock-${ulid().slice(-6)}@example.com`;
    expectProblem(await call("POST", "/api/v1/admin/users", { token: minted.body.token, body: { email, roles: ["oncall"] } }), 403, "insufficient_scope");
    expectProblem(await call("POST", "/api/v1/admin/tokens", { token: minted.body.token, body: { kind: "agent", name: "x", scopes: ["jobs:read"] } }), 403, "insufficient_scope");
    const vote = await call("POST", `/api/v1/approvals/${job.body.job.id}/approve`, { token: minted.body.token, body: { reason: "self" } });
    expect(vote.status).toBe(403);
    expect(["agent_cannot_resolve", "insufficient_scope"]).toContain(vote.body.code);
    expect((await call("GET", `/api/v1/jobs/${job.body.job.id}`, { token: a.agent })).body.job.state).toBe("APPROVAL");
  });

  it("a user token for a user of another tenant → 400", async () => {
    const res = await mint({ kind: "user", name: "borrowed", scopes: ["jobs:read"], user_id: b.agentOwner.id });
    expect(res.status).toBe(400);
  });

  it("a tenant admin minting a token in another tenant → 403 tenant_forbidden", async () => {
    expectProblem(await mint({ tenant: b.tenant, kind: "agent", name: "x", scopes: ["jobs:read"] }), 403, "tenant_forbidden");
  });

  it("a token whose expires_at passes stops working (401)", async () => {
    const expiresAt = new Date(Date.now() + 1000).toISOString();
    const res = await mint({ kind: "agent", name: "short-lived", scopes: ["jobs:read", "jobs:submit"], expires_at: expiresAt });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const job = await call("POST", "/api/v1/jobs", { token: res.body.token, body: { topic: "job.repo.read", payload: {} } });
    expect(job.status).toBe(201);
    await sleep(Math.max(0, new Date(expiresAt).getTime() - Date.now()) + 150);
    expectProblem(await call("GET", `/api/v1/jobs/${job.body.job.id}`, { token: res.body.token }), 401, "unauthenticated");
  });

  it("DELETE /admin/tokens/{id} revokes: the token answers 401 afterwards", async () => {
    const res = await mint({ kind: "agent", name: "to-revoke", scopes: ["jobs:read", "jobs:submit"] });
    const job = await call("POST", "/api/v1/jobs", { token: res.body.token, body: { topic: "job.repo.read", payload: {} } });
    expect(job.status).toBe(201);
    const del = await call("DELETE", `/api/v1/admin/tokens/${res.body.id}`, { token: a.admin });
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect(del.body.revoked_at).toBeTruthy();
    expectProblem(await call("GET", `/api/v1/jobs/${job.body.job.id}`, { token: res.body.token }), 401, "unauthenticated");
    expectProblem(await call("POST", "/api/v1/jobs", { token: res.body.token, body: { topic: "job.repo.read", payload: {} } }), 401, "unauthenticated");
    const events = await call("GET", "/api/v1/audit?type=token.revoked", { token: a.admin });
    expect(events.body.items.some((e: { data: { token_id: string } }) => e.data.token_id === res.body.id)).toBe(true);
  });

  it("requests in flight together send one token lookup between them, but none shares a lookup from before a flush", async () => {
    const res = await mint({ kind: "agent", name: "crowd", scopes: ["jobs:read"] });
    expect(res.status).toBe(201);
    const { query } = await getDatabase();
    let lookups = 0;
    const counting: RawQuery = <T extends Record<string, unknown>>(text: string, params: unknown[]) => {
      if (/from "tokens"/.test(text)) lookups += 1;
      return query<T>(text, params);
    };
    const auth = () => authenticate(counting, new Request("http://countersign.test/", { headers: { authorization: `Bearer ${res.body.token}` } }), new Date());

    const principals = await Promise.all(Array.from({ length: 20 }, auth));
    expect(principals.map((p) => p.tokenId)).toEqual(Array(20).fill(res.body.id));
    expect(lookups).toBe(1);

    // A revocation or role change flushes what this instance remembers; a request that arrives after the
    // flush must read the token afresh, even while a lookup from before it is still on its way.
    forgetCachedTokens();
    lookups = 0;
    const before = auth();
    forgetCachedTokens();
    const after = auth();
    await Promise.all([before, after]);
    expect(lookups).toBe(2);
  });

  it("DELETE of another tenant's token id → 404 and it keeps working; unknown id → 404", async () => {
    const theirs = await mint({ kind: "agent", name: "theirs", scopes: ["jobs:read", "jobs:submit"] }, b.admin);
    expect(theirs.status).toBe(201);
    const del = await call("DELETE", `/api/v1/admin/tokens/${theirs.body.id}`, { token: a.admin });
    expectProblem(del, 404, "not_found");
    const unknown = await call("DELETE", "/api/v1/admin/tokens/tok-01J00000000000000000000000", { token: a.admin });
    expectProblem(unknown, 404, "not_found");
    expect(del.body).toEqual(unknown.body);
    const still = await call("POST", "/api/v1/jobs", { token: theirs.body.token, body: { topic: "job.repo.read", payload: {} } });
    expect(still.status).toBe(201);
  });
});

describe("PATCH /admin/users/{id}", () => {
  it("removing a role takes effect on the very next vote", async () => {
    const oncall = await a.person(["oncall"], "oncall");
    const first = await a.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { n: 1 } });
    const second = await a.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { n: 2 } });
    const ok = await call("POST", `/api/v1/approvals/${first.job.id}/approve`, { token: oncall.token, body: { reason: "fine" } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);

    const patch = await call("PATCH", `/api/v1/admin/users/${oncall.id}`, { token: a.admin, body: { roles: ["developer"] } });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    expect(patch.body.roles).toEqual(["developer"]);

    const denied = await call("POST", `/api/v1/approvals/${second.job.id}/approve`, { token: oncall.token, body: { reason: "fine" } });
    expectProblem(denied, 403, "role_required");
    const job = await call("GET", `/api/v1/jobs/${second.job.id}`, { token: a.agent });
    expect(job.body.job.state).toBe("APPROVAL");
    expect(job.body.requirements[0].approvals).toBe(0);
  });

  it("a disabled user's token → 401; re-enabled → works again", async () => {
    const person = await a.person(["reviewer"], "disable-me");
    expect((await call("GET", "/api/v1/approvals", { token: person.token })).status).toBe(200);
    const off = await call("PATCH", `/api/v1/admin/users/${person.id}`, { token: a.admin, body: { disabled: true } });
    expect(off.status).toBe(200);
    expect(off.body.disabled).toBe(true);
    expectProblem(await call("GET", "/api/v1/approvals", { token: person.token }), 401, "unauthenticated");
    const on = await call("PATCH", `/api/v1/admin/users/${person.id}`, { token: a.admin, body: { disabled: false } });
    expect(on.status).toBe(200);
    expect((await call("GET", "/api/v1/approvals", { token: person.token })).status).toBe(200);
  });

  it("another tenant's user → 404 and unchanged; bad body → 400", async () => {
    const theirs = await b.person(["oncall"], "theirs");
    const res = await call("PATCH", `/api/v1/admin/users/${theirs.id}`, { token: a.admin, body: { roles: [] } });
    expectProblem(res, 404, "not_found");
    const [row] = await rows<{ roles: string[] }>(sql`select roles from users where id = ${theirs.id}`);
    expect(row!.roles).toEqual(["oncall"]);
    expectProblem(await call("PATCH", `/api/v1/admin/users/${theirs.id}`, { token: b.admin, body: { tenant: a.tenant } }), 400, "validation_failed");
    expectProblem(await call("PATCH", `/api/v1/admin/users/usr-nope`, { token: a.admin, body: { roles: [] } }), 404, "not_found");
  });
});

describe("tenant isolation", () => {
  it("an agent of tenant A cannot GET, claim, cancel or read decisions of tenant B's jobs (404 each)", async () => {
    const pending = await b.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { iso: 1 } });
    const allowed = await b.submit({ topic: "job.repo.read", payload: { iso: 2 } });

    const unknown = await call("GET", "/api/v1/jobs/job-01J00000000000000000000000", { token: a.agent });
    for (const [method, path, body] of [
      ["GET", `/api/v1/jobs/${pending.job.id}`, undefined],
      ["GET", `/api/v1/jobs/${pending.job.id}?wait=1`, undefined],
      ["GET", `/api/v1/jobs/${pending.job.id}/decisions`, undefined],
      ["POST", `/api/v1/jobs/${pending.job.id}/cancel`, {}],
      ["POST", `/api/v1/jobs/${allowed.job.id}/claim`, { job_hash: allowed.job_hash }],
      ["POST", `/api/v1/jobs/${allowed.job.id}/complete`, { outcome: "succeeded" }],
    ] as const) {
      const res = await call(method, path, { token: a.agent, body });
      expectProblem(res, 404, "not_found");
      expect(res.body, `${method} ${path}`).toEqual(unknown.body);
    }

    // A's reviewers and admin see nothing of B either.
    const aOncall = await a.person(["oncall"], "iso");
    expectProblem(await call("POST", `/api/v1/approvals/${pending.job.id}/approve`, { token: aOncall.token, body: { reason: "x" } }), 404, "not_found");
    expectProblem(await call("GET", `/api/v1/jobs/${pending.job.id}/decisions`, { token: a.admin }), 404, "not_found");
    const queue = await call("GET", "/api/v1/approvals?include_resolved=true&limit=200", { token: aOncall.token });
    expect(queue.body.items.some((i: { job: { id: string } }) => i.job.id === pending.job.id)).toBe(false);
    const audit = await call("GET", `/api/v1/audit?job_id=${pending.job.id}`, { token: a.admin });
    expect(audit.body.items).toEqual([]);

    // B's jobs are untouched.
    expect((await call("GET", `/api/v1/jobs/${pending.job.id}`, { token: b.agent })).body.job.state).toBe("APPROVAL");
    expect((await call("GET", `/api/v1/jobs/${allowed.job.id}`, { token: b.agent })).body.job.state).toBe("APPROVED");
  });
});
