import { beforeAll, describe, expect, it } from "vitest";
import { verifySignIn } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db/client";
import { createFirstAdmin, setupCode } from "@/lib/services/provisioning/first-admin";
import { ADMIN, ORIGIN, makeWorld, sessionCookie, type World } from "./fixtures";
import { call } from "./http";

const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { key: "timeout" } };

let w: World;
let reviewer: { id: string; email: string };
let cookie: string;

beforeAll(async () => {
  w = await makeWorld("sess");
  reviewer = await w.person(["service-owner"], "ops");
  cookie = await sessionCookie(reviewer.id, w.tenant);
});

describe("the console's session cookie on the API", () => {
  it("reads the queue as the signed-in person, with their roles", async () => {
    const job = await w.submit(PROD_WRITE);
    const res = await call("GET", "/api/v1/approvals", { headers: { cookie } });
    expect(res.status).toBe(200);
    const item = res.body.items.find((i: { job: { id: string } }) => i.job.id === job.job.id);
    expect(item.can_act).toBe(true);
  });

  it("refuses a cookie-riding vote without the console's Origin, and stores nothing", async () => {
    const job = await w.submit(PROD_WRITE);
    const attempts: Record<string, string>[] = [{ cookie }, { cookie, origin: "https://evil.example" }];
    for (const headers of attempts) {
      const res = await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { headers, body: { reason: "ok" } });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("cross_origin");
    }
    const log = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { token: w.agent });
    expect(log.body.votes).toEqual([]);
  });

  it("accepts the vote from the console's own origin, and names the voter", async () => {
    const job = await w.submit(PROD_WRITE);
    const res = await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { headers: { cookie, origin: ORIGIN }, body: { reason: "rollback plan verified" } });
    expect(res.status).toBe(200);
    expect(res.body.resolved_by).toBe(reviewer.email);
  });

  it("a bearer token wins over a cookie", async () => {
    const res = await call("GET", "/api/v1/approvals", { token: w.agent, headers: { cookie } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("insufficient_scope");
  });

  it("a tampered or foreign-secret cookie is no session", async () => {
    const forged = await sessionCookie(reviewer.id, w.tenant, "another-secret-another-secret-012345");
    for (const c of [forged, `${cookie}x`]) {
      const res = await call("GET", "/api/v1/approvals", { headers: { cookie: c } });
      expect(res.status).toBe(401);
    }
  });

  it("a session is only as good as the person behind it: disabled means signed out", async () => {
    const gone = await w.person(["oncall"], "leaver");
    const c = await sessionCookie(gone.id, w.tenant);
    expect((await call("GET", "/api/v1/approvals", { headers: { cookie: c } })).status).toBe(200);
    const patched = await call("PATCH", `/api/v1/admin/users/${gone.id}`, { token: ADMIN(), body: { disabled: true } });
    expect(patched.status).toBe(200);
    expect((await call("GET", "/api/v1/approvals", { headers: { cookie: c } })).status).toBe(401);
  });

  it("a session names its tenant: the same user id under another tenant is nobody", async () => {
    const c = await sessionCookie(reviewer.id, "system");
    expect((await call("GET", "/api/v1/approvals", { headers: { cookie: c } })).status).toBe(401);
  });

  it("a reviewer's session cannot write policy or provision", async () => {
    const put = await call("PUT", "/api/v1/policy", { headers: { cookie, origin: ORIGIN, "content-type": "application/yaml" }, rawBody: "version: v1\nrules: []\n" });
    expect(put.status).toBe(403);
    expect(put.body.code).toBe("insufficient_scope");
  });
});

describe("why a person cannot act (the job view's form)", () => {
  it("explains self-approval to the agent's owner and role_required to others", async () => {
    const job = await w.submit(PROD_WRITE);
    const owner = await sessionCookie(w.agentOwner.id, w.tenant);
    const mine = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { headers: { cookie: owner } });
    expect(mine.body.viewer).toMatchObject({ can_act: false, code: "self_approval" });

    const finance = await w.person(["finance"], "fin");
    const theirs = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { headers: { cookie: await sessionCookie(finance.id, w.tenant) } });
    expect(theirs.body.viewer.code).toBe("role_required");
    expect(theirs.body.viewer.message).toContain("service-owner");

    const ok = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { headers: { cookie } });
    expect(ok.body.viewer).toEqual({ can_act: true, code: null, message: null });
    await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { headers: { cookie, origin: ORIGIN }, body: { reason: "fine" } });
    const after = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { headers: { cookie } });
    expect(after.body.viewer.code).toBe("already_resolved");
  });
});

describe("password sign-in", () => {
  it("checks the scrypt hash, and asks for the workspace only when the password fits two", async () => {
    const other = await makeWorld("sess2");
    const email = `shared-${Date.now()}@example.com`;
    for (const tenant of [w.tenant, other.tenant]) {
      const res = await call("POST", "/api/v1/admin/users", { token: ADMIN(), body: { tenant, email, roles: ["oncall"], password: "correct-horse-1" } });
      expect(res.status).toBe(201);
    }
    expect(await verifySignIn({ email, password: "wrong-password" }, "192.0.2.1")).toBeNull();
    expect(await verifySignIn({ email, password: "correct-horse-1" }, "192.0.2.1")).toBe("ambiguous");
    expect(await verifySignIn({ email, password: "correct-horse-1", workspace: other.tenant }, "192.0.2.1")).toMatchObject({ tenantId: other.tenant, email });
    expect(await verifySignIn({ email: "nobody@example.com", password: "correct-horse-1" }, "192.0.2.1")).toBeNull();
  });

  it("the first-admin setup refuses a wrong code and changes nothing", async () => {
    const db = await getDb();
    expect(setupCode("a-secret")).toBe(setupCode("a-secret"));
    await expect(createFirstAdmin(db, process.env.AUTH_SECRET!, { code: "guess", email: "x@example.com", password: "long-enough-1" }, new Date())).rejects.toMatchObject({
      code: "invalid_setup_code",
    });
  });
});
