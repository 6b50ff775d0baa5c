import { beforeAll, describe, expect, it } from "vitest";
import { flushTokenUse } from "@/lib/auth/token-use";
import { getDatabase } from "@/lib/db/client";
import { readPasswordLink, setPasswordByLink } from "@/lib/services/provisioning/password-link";
import { call } from "./http";
import { ADMIN, makeWorld, ORIGIN, sessionCookie, type World } from "./fixtures";
import { expectProblem } from "./problem";

let a: World;
let b: World;

beforeAll(async () => {
  a = await makeWorld("lst-a");
  b = await makeWorld("lst-b");
});

const auditOf = async (tenant: string, type: string) => {
  const { query } = await getDatabase();
  return query<{ actor: string; data: Record<string, unknown> }>("select actor, data from audit_events where tenant_id = $1 and type = $2 order by id", [tenant, type]);
};

describe("GET /admin/users", () => {
  it("lists the caller's tenant by email, with has_password; never another tenant's people", async () => {
    const res = await call("GET", "/api/v1/admin/users", { token: a.admin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const emails = res.body.items.map((u: { email: string }) => u.email);
    expect(emails).toEqual([...emails].sort());
    expect(emails).toContain(`admin@${a.tenant}.example`);
    expect(emails.some((e: string) => e.endsWith(`@${b.tenant}.example`))).toBe(false);
    expect(res.body.items[0]).toMatchObject({ tenant: a.tenant, disabled: false, has_password: false });
  });

  it("a tenant admin naming another tenant → 403 tenant_forbidden; the installation admin may; an agent → 403", async () => {
    expectProblem(await call("GET", `/api/v1/admin/users?tenant=${b.tenant}`, { token: a.admin }), 403, "tenant_forbidden");
    const res = await call("GET", `/api/v1/admin/users?tenant=${b.tenant}`, { token: ADMIN() });
    expect(res.status).toBe(200);
    expect(res.body.items.every((u: { tenant: string }) => u.tenant === b.tenant)).toBe(true);
    expectProblem(await call("GET", "/api/v1/admin/users", { token: a.agent }), 403, "insufficient_scope");
    expectProblem(await call("GET", "/api/v1/admin/users?bogus=1", { token: a.admin }), 400, "validation_failed");
  });
});

describe("GET /admin/tokens", () => {
  it("lists tokens without secrets, with owner and last use; revoked ones only when asked", async () => {
    const minted = await call("POST", "/api/v1/admin/tokens", {
      token: a.admin,
      body: { kind: "agent", name: "lister-bot", scopes: ["jobs:read"], owner_email: a.agentOwner.email },
    });
    expect(minted.status).toBe(201);
    let res = await call("GET", "/api/v1/admin/tokens", { token: a.admin });
    expect(res.status).toBe(200);
    const row = res.body.items.find((t: { id: string }) => t.id === minted.body.id);
    expect(row).toMatchObject({ kind: "agent", name: "lister-bot", scopes: ["jobs:read"], owner: a.agentOwner.email, last_used_at: null, revoked_at: null });
    expect(JSON.stringify(res.body)).not.toContain(minted.body.token);
    expect(res.body.items.find((t: { kind: string; owner: string }) => t.kind === "user" && t.owner === `admin@${a.tenant}.example`)).toBeTruthy();

    // A use is recorded off the request path, then written.
    expect((await call("GET", "/api/v1/jobs", { token: minted.body.token })).status).toBe(200);
    await flushTokenUse();
    res = await call("GET", "/api/v1/admin/tokens", { token: a.admin });
    expect(res.body.items.find((t: { id: string }) => t.id === minted.body.id).last_used_at).not.toBeNull();

    expect((await call("DELETE", `/api/v1/admin/tokens/${minted.body.id}`, { token: a.admin })).status).toBe(200);
    res = await call("GET", "/api/v1/admin/tokens", { token: a.admin });
    expect(res.body.items.some((t: { id: string }) => t.id === minted.body.id)).toBe(false);
    res = await call("GET", "/api/v1/admin/tokens?include_revoked=true", { token: a.admin });
    expect(res.body.items.find((t: { id: string }) => t.id === minted.body.id).revoked_at).not.toBeNull();
    expect(res.body.items.every((t: { tenant: string }) => t.tenant === a.tenant)).toBe(true);
  });

  it("a person without admin → 403 insufficient_scope, even through their session", async () => {
    const p = await a.person(["reviewer"]);
    expectProblem(await call("GET", "/api/v1/admin/tokens", { token: p.token }), 403, "insufficient_scope");
    const cookie = await sessionCookie(p.id, a.tenant);
    expectProblem(await call("GET", "/api/v1/admin/tokens", { headers: { cookie, origin: ORIGIN } }), 403, "insufficient_scope");
  });
});

describe("POST /admin/users/{id}/password-link", () => {
  it("issues an audited one-time link; the invited person sets a password once, and the link dies", async () => {
    const u = await call("POST", "/api/v1/admin/users", { token: a.admin, body: { email: `invitee@${a.tenant}.example`, roles: ["reviewer"] } });
    const res = await call("POST", `/api/v1/admin/users/${u.body.id}/password-link`, { token: a.admin });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.url.endsWith(res.body.path)).toBe(true);
    expect((await auditOf(a.tenant, "user.password_link_issued")).at(-1)?.data).toMatchObject({ user_id: u.body.id });

    const link = Object.fromEntries(new URL(res.body.url).searchParams) as { u: string; e: string; c: string };
    const parsed = { u: link.u, e: Number(link.e), c: link.c };
    const { db } = await getDatabase();
    const secret = process.env.AUTH_SECRET!;
    expect(await readPasswordLink(db, secret, parsed, new Date())).toMatchObject({ email: `invitee@${a.tenant}.example`, has_password: false });
    await setPasswordByLink(db, secret, { ...parsed, password: "a-long-password" }, new Date());
    await expect(setPasswordByLink(db, secret, { ...parsed, password: "another-password" }, new Date())).rejects.toMatchObject({ code: "invalid_link" });
    await expect(readPasswordLink(db, secret, { ...parsed, c: "forged" }, new Date())).rejects.toMatchObject({ code: "invalid_link" });
    // Lapsed: the same code after its expiry.
    await expect(readPasswordLink(db, secret, parsed, new Date((parsed.e + 1) * 1000))).rejects.toMatchObject({ code: "invalid_link" });
    const updated = (await auditOf(a.tenant, "user.updated")).at(-1);
    expect(updated).toMatchObject({ actor: `user:invitee@${a.tenant}.example`, data: { password_changed: true, via: "password_link" } });
    const listed = await call("GET", "/api/v1/admin/users", { token: a.admin });
    expect(listed.body.items.find((x: { id: string }) => x.id === u.body.id).has_password).toBe(true);
  });

  it("another tenant's person → 404; a disabled person → 409 user_disabled", async () => {
    const other = await call("POST", "/api/v1/admin/users", { token: ADMIN(), body: { tenant: b.tenant, email: `x@${b.tenant}.example`, roles: [] } });
    expectProblem(await call("POST", `/api/v1/admin/users/${other.body.id}/password-link`, { token: a.admin }), 404, "not_found");
    const off = await call("POST", "/api/v1/admin/users", { token: a.admin, body: { email: `off@${a.tenant}.example`, roles: [] } });
    await call("PATCH", `/api/v1/admin/users/${off.body.id}`, { token: a.admin, body: { disabled: true } });
    expectProblem(await call("POST", `/api/v1/admin/users/${off.body.id}/password-link`, { token: a.admin }), 409, "user_disabled");
  });
});
