import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db/client";
import { Browser } from "./auth-flow";
import { ADMIN, ORIGIN, makeWorld, ownToken, sessionCookie, type World } from "./fixtures";
import { call } from "./http";

// Who may mint what (DESIGN §4): a user token that can approve is minted only by the person it acts as,
// so "two distinct approvers" are two people, and every vote names the credential it came through.

const PAYMENT = { topic: "job.payments.send", risk_tags: ["payment"], payload: { amount: 9000 } }; // 2 distinct finance
const RESOLVE = ["approvals:read", "approvals:resolve", "jobs:read"];

let w: World;
beforeAll(async () => {
  w = await makeWorld("mint");
});

async function user(roles: string[], label: string): Promise<{ id: string; email: string }> {
  const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@${w.tenant}.example`;
  const res = await call("POST", "/api/v1/admin/users", { token: w.admin, body: { email, roles } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, email };
}

async function tokenCount(): Promise<number> {
  const { query } = await getDatabase();
  const [row] = await query<{ n: number }>("select count(*)::int as n from tokens where tenant_id = $1", [w.tenant]);
  return row!.n;
}

const mint = (cred: { token?: string; cookie?: string }, body: Record<string, unknown>) =>
  call("POST", "/api/v1/admin/tokens", { token: cred.token, headers: cred.cookie ? { cookie: cred.cookie, origin: ORIGIN } : {}, body });

function refused(res: { status: number; body: { code?: string } }, status: number, code: string) {
  expect({ status: res.status, code: res.body.code }, JSON.stringify(res.body)).toEqual({ status, code });
}

describe("one person cannot be two distinct approvers", () => {
  it("an admin cannot mint approving tokens for two finance people and approve a dual-approval payment alone", async () => {
    const [fin1, fin2] = [await user(["finance"], "fin1"), await user(["finance"], "fin2")];
    const job = await w.submit(PAYMENT);
    const before = await tokenCount();
    for (const fin of [fin1, fin2]) {
      // The tenant admin's token, and the installation token (which is nobody).
      refused(await mint({ token: w.admin }, { kind: "user", name: "for-them", user_id: fin.id, scopes: RESOLVE }), 403, "mint_forbidden");
      refused(await mint({ token: ADMIN() }, { tenant: w.tenant, kind: "user", name: "for-them", user_id: fin.id, scopes: RESOLVE }), 403, "mint_forbidden");
    }
    expect(await tokenCount()).toBe(before);
    expect((await call("GET", `/api/v1/jobs/${job.job.id}`, { token: w.agent })).body.job.state).toBe("APPROVAL");
    // Without approvals:resolve an admin still provisions tokens for others.
    expect((await mint({ token: w.admin }, { kind: "user", name: "reader", user_id: fin1.id, scopes: ["approvals:read", "jobs:read"] })).status).toBe(201);
  });

  it("an admin cannot get there in two steps either: a token minted for someone else, without approvals:resolve, cannot mint one with it", async () => {
    const fin = await user(["finance"], "relay");
    const relay = await mint({ token: w.admin }, { kind: "user", name: "relay", user_id: fin.id, scopes: ["admin", "jobs:read"] });
    expect(relay.status).toBe(201);
    refused(await mint({ token: relay.body.token }, { kind: "user", name: "second", user_id: fin.id, scopes: RESOLVE }), 403, "mint_forbidden");
  });

  it("a person mints their own approving token from their session, without the admin scope, and it votes as them", async () => {
    const fin = await user(["finance"], "self");
    const res = await mint({ cookie: await sessionCookie(fin.id, w.tenant) }, { kind: "user", name: "mine", user_id: fin.id, scopes: RESOLVE });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const job = await w.submit(PAYMENT);
    const vote = await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: res.body.token, body: { reason: "invoice checked" } });
    expect(vote.status, JSON.stringify(vote.body)).toBe(200);
    expect(vote.body.requirements[0]).toMatchObject({ approvals: 1, count: 2 });
  });

  it("an admin by role may mint their own approving token too", async () => {
    const boss = await user(["admin", "finance"], "boss");
    const res = await mint({ cookie: await sessionCookie(boss.id, w.tenant) }, { kind: "user", name: "boss", user_id: boss.id, scopes: RESOLVE });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});

describe("a person minting without the admin scope", () => {
  it("mints only for themselves, only what their credential holds, and never sets rate limits", async () => {
    const [me, other] = [await user(["finance"], "me"), await user(["finance"], "other")];
    const cookie = await sessionCookie(me.id, w.tenant);
    const before = await tokenCount();
    refused(await mint({ cookie }, { kind: "user", name: "theirs", user_id: other.id, scopes: ["jobs:read"] }), 403, "insufficient_scope");
    refused(await mint({ cookie }, { kind: "agent", name: "my-bot", scopes: ["jobs:read"] }), 403, "insufficient_scope");
    refused(await mint({ cookie }, { kind: "user", name: "more", user_id: me.id, scopes: ["approvals:resolve", "audit:read"] }), 403, "mint_forbidden");
    refused(await mint({ cookie }, { kind: "user", name: "more", user_id: me.id, scopes: ["admin"] }), 403, "mint_forbidden");
    refused(await mint({ cookie }, { kind: "user", name: "fast", user_id: me.id, scopes: ["jobs:read"], rate_limits: { resolve_per_minute: 100_000 } }), 403, "mint_forbidden");
    expect(await tokenCount()).toBe(before);
  });

  it("through a token: nothing beyond its scopes, and nothing that outlives it", async () => {
    const me = await user(["finance"], "chain");
    const expires = new Date(Date.now() + 60 * 60_000);
    const parent = await ownToken({ id: me.id, tenant: w.tenant }, { name: "parent", scopes: ["approvals:read", "approvals:resolve"], expires_at: expires.toISOString() });
    refused(await mint({ token: parent.token }, { kind: "user", name: "wider", user_id: me.id, scopes: ["jobs:read"] }), 403, "mint_forbidden");
    const later = new Date(expires.getTime() + 60_000).toISOString();
    refused(await mint({ token: parent.token }, { kind: "user", name: "longer", user_id: me.id, scopes: ["approvals:read"], expires_at: later }), 403, "mint_forbidden");
    const child = await mint({ token: parent.token }, { kind: "user", name: "child", user_id: me.id, scopes: ["approvals:resolve"] });
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    expect(child.body.expires_at).toBe(expires.toISOString());
  });

  it("a token without approvals:resolve cannot mint one with it, even for its own person", async () => {
    const me = await user(["finance"], "reader");
    const reader = await ownToken({ id: me.id, tenant: w.tenant }, { name: "reader", scopes: ["approvals:read"] });
    refused(await mint({ token: reader.token }, { kind: "user", name: "up", user_id: me.id, scopes: ["approvals:resolve"] }), 403, "mint_forbidden");
  });
});

describe("every vote names the credential it came through", () => {
  it("token:<id> or session:<id>, on the job view's votes and in the vote's audit event", async () => {
    const [fin1, fin2] = [await user(["finance"], "cred1"), await user(["finance"], "cred2")];
    const tok = await ownToken({ id: fin1.id, tenant: w.tenant }, { name: "cred1", scopes: RESOLVE });
    // fin2 signs in through the console's real sign-in route and votes with that session.
    expect((await call("PATCH", `/api/v1/admin/users/${fin2.id}`, { token: w.admin, body: { password: "correct-horse-battery-1" } })).status).toBe(200);
    const browser = new Browser();
    expect(await browser.signIn(fin2.email, "correct-horse-battery-1")).toBeNull();
    const { query } = await getDatabase();
    const [session] = await query<{ id: string }>("select id from sessions where user_id = $1 and revoked_at is null", [fin2.id]);

    const job = await w.submit(PAYMENT);
    expect((await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: tok.token, body: { reason: "one" } })).status).toBe(200);
    const second = await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { headers: { cookie: browser.session()!, origin: ORIGIN }, body: { reason: "two" } });
    expect(second.status, JSON.stringify(second.body)).toBe(200);

    const view = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { token: w.agent });
    expect(view.body.votes.map((v: { voter: string; credential: string }) => [v.voter, v.credential])).toEqual([
      [fin1.email, `token:${tok.id}`],
      [fin2.email, `session:${session!.id}`],
    ]);
    const events = await query<{ actor: string; credential: string }>(
      "select actor, data->>'credential' as credential from audit_events where tenant_id = $1 and job_id = $2 and type = 'vote.cast' order by id",
      [w.tenant, job.job.id],
    );
    expect(events).toEqual([
      { actor: `user:${fin1.email}`, credential: `token:${tok.id}` },
      { actor: `user:${fin2.email}`, credential: `session:${session!.id}` },
    ]);
  });
});
