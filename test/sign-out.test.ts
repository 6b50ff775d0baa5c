import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { authConfig } from "@/auth";
import { getDatabase } from "@/lib/db/client";
import { Browser, SESSION_COOKIE } from "./auth-flow";
import { ADMIN, makeWorld, sessionCookie, type World } from "./fixtures";
import { call } from "./http";

// Console sessions live on the server (sessions table): the cookie names one, and ending it ends every
// copy of the cookie, instead of a captured cookie working until it expires 12 h later.

const PASSWORD = "correct-horse-battery-1";
const queue = (cookie: string) => call("GET", "/api/v1/approvals", { headers: { cookie } });

let w: World;
beforeAll(async () => {
  w = await makeWorld("signout");
});

async function withPassword(roles: string[], label: string) {
  const p = await w.person(roles, label);
  expect((await call("PATCH", `/api/v1/admin/users/${p.id}`, { token: ADMIN(), body: { password: PASSWORD } })).status).toBe(200);
  return p;
}

describe("sign-out ends the session on the server", () => {
  it("a cookie captured before sign-out is refused afterwards (next-auth's own sign-in and sign-out routes)", async () => {
    const p = await withPassword(["oncall"], "leaving");
    const browser = new Browser();
    expect(await browser.signIn(p.email, PASSWORD)).toBeNull();
    const captured = browser.session()!;
    expect((await queue(captured)).status).toBe(200);

    await browser.signOut();
    expect(browser.session()).toBeNull();
    const after = await queue(captured);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("unauthenticated");

    // Signing in again is a new session; the captured one stays dead.
    expect(await browser.signIn(p.email, PASSWORD)).toBeNull();
    expect((await queue(browser.session()!)).status).toBe(200);
    expect((await queue(captured)).status).toBe(401);
  });

  it("one sign-out ends that session only: the person's other browser stays signed in", async () => {
    const p = await withPassword(["oncall"], "two-browsers");
    const [laptop, phone] = [new Browser(), new Browser()];
    expect(await laptop.signIn(p.email, PASSWORD)).toBeNull();
    expect(await phone.signIn(p.email, PASSWORD)).toBeNull();
    await laptop.signOut();
    expect((await queue(phone.session()!)).status).toBe(200);
  });

  it("a cookie naming no server-side session (as issued before sessions were kept) is no session", async () => {
    const p = await w.person(["oncall"], "old-cookie");
    const jwt = await encode({ token: { sub: p.id, uid: p.id, tenant: w.tenant }, secret: process.env.AUTH_SECRET!, salt: SESSION_COOKIE });
    expect((await queue(`${SESSION_COOKIE}=${jwt}`)).status).toBe(401);
    const made = await encode({ token: { sub: p.id, uid: p.id, tenant: w.tenant, sid: "ses-01JMADEUP0000000000000000" }, secret: process.env.AUTH_SECRET!, salt: SESSION_COOKIE });
    expect((await queue(`${SESSION_COOKIE}=${made}`)).status).toBe(401);
  });

  it("a session is good for 12 h on the server whatever the cookie says", async () => {
    const p = await w.person(["oncall"], "stale");
    const cookie = await sessionCookie(p.id, w.tenant);
    expect((await queue(cookie)).status).toBe(200);
    const { query } = await getDatabase();
    await query("update sessions set expires_at = now() - interval '1 second' where user_id = $1", [p.id]);
    expect((await queue(cookie)).status).toBe(401);
  });

  it("one person's session cannot be replayed as another's: the session names its person", async () => {
    const [a, b] = [await w.person(["oncall"], "a"), await w.person(["oncall"], "b")];
    const { query } = await getDatabase();
    await sessionCookie(a.id, w.tenant);
    const [row] = await query<{ id: string }>("select id from sessions where user_id = $1 order by created_at desc limit 1", [a.id]);
    const swapped = await encode({ token: { sub: b.id, uid: b.id, tenant: w.tenant, sid: row!.id }, secret: process.env.AUTH_SECRET!, salt: SESSION_COOKIE });
    expect((await queue(`${SESSION_COOKIE}=${swapped}`)).status).toBe(401);
  });
});

describe("changing a person ends their sessions", () => {
  const patch = (id: string, body: Record<string, unknown>) => call("PATCH", `/api/v1/admin/users/${id}`, { token: w.admin, body });

  it("disabling: a captured cookie stays dead even once the person is enabled again", async () => {
    const p = await w.person(["oncall"], "disabled");
    const cookie = await sessionCookie(p.id, w.tenant);
    expect((await patch(p.id, { disabled: true })).status).toBe(200);
    expect((await patch(p.id, { disabled: false })).status).toBe(200);
    expect((await queue(cookie)).status).toBe(401);
  });

  it("changing roles or the password ends them; renaming, or setting the same roles, does not", async () => {
    const p = await w.person(["oncall"], "changed");
    const kept = await sessionCookie(p.id, w.tenant);
    expect((await patch(p.id, { name: "Renamed" })).status).toBe(200);
    expect((await patch(p.id, { roles: ["oncall"] })).status).toBe(200);
    expect((await queue(kept)).status).toBe(200);

    expect((await patch(p.id, { roles: ["oncall", "finance"] })).status).toBe(200);
    expect((await queue(kept)).status).toBe(401);

    const next = await sessionCookie(p.id, w.tenant);
    expect((await patch(p.id, { password: "another-long-password" })).status).toBe(200);
    expect((await queue(next)).status).toBe(401);
  });

  it("the audit event says the sessions ended", async () => {
    const p = await w.person(["oncall"], "audited");
    await sessionCookie(p.id, w.tenant);
    expect((await patch(p.id, { disabled: true })).status).toBe(200);
    const { query } = await getDatabase();
    const [event] = await query<{ data: Record<string, unknown> }>(
      "select data from audit_events where tenant_id = $1 and type = 'user.updated' and data->>'user_id' = $2 order by id desc limit 1",
      [w.tenant, p.id],
    );
    expect(event!.data).toMatchObject({ disabled: true, sessions_ended: true });
  });
});

describe("company SSO", () => {
  const signIn = authConfig.callbacks!.signIn!;
  const sso = (profile: Record<string, unknown>) =>
    signIn({ account: { provider: "oidc", type: "oidc", providerAccountId: "x" }, profile, user: { id: "x" } } as Parameters<typeof signIn>[0]);

  it("signs in a provisioned person only when the provider says email_verified: true", async () => {
    // SSO people are matched in AUTH_OIDC_TENANT (default: system).
    const email = `sso-${Date.now()}@example.com`;
    expect((await call("POST", "/api/v1/admin/users", { token: ADMIN(), body: { tenant: "system", email, roles: ["oncall"] } })).status).toBe(201);
    expect(await sso({ email, email_verified: true })).toBe(true);
    expect(await sso({ email: email.toUpperCase(), email_verified: true })).toBe(true);
    for (const verified of [undefined, false, "true", 1, null]) {
      expect(await sso({ email, ...(verified === undefined ? {} : { email_verified: verified }) }), `email_verified: ${String(verified)}`).toBe(false);
    }
    expect(await sso({ email: "not-provisioned@example.com", email_verified: true })).toBe(false);
  });
});
