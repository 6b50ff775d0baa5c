import { encode } from "next-auth/jwt";
import { ulid } from "ulid";
import { scopesForRoles } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db/client";
import { startSession } from "@/lib/services/sessions";
import { call } from "./http";

export const ADMIN = () => process.env.COUNTERSIGN_ADMIN_TOKEN!;
/** The console's origin as test requests address it (cookie-riding writes must come from it). */
export const ORIGIN = "http://localhost:3000";
const COOKIE = "authjs.session-token";

/** A live console session's claims for this person, as their cookie would carry them. */
export async function signedIn(uid: string, tenant: string): Promise<{ uid: string; tenant: string; sid: string }> {
  const { db } = await getDatabase();
  return { uid, tenant, sid: await startSession(db, { userId: uid, tenantId: tenant }, new Date()) };
}

/**
 * A console session cookie exactly as a sign-in makes it: a live server-side session (what the
 * sign-in's jwt callback starts) named in a JWT sealed with the secret next-auth uses.
 */
export async function sessionCookie(uid: string, tenant: string, secret = process.env.AUTH_SECRET!): Promise<string> {
  const { sid } = await signedIn(uid, tenant);
  const jwt = await encode({ token: { sub: uid, uid, tenant, sid }, secret, salt: COOKIE });
  return `${COOKIE}=${jwt}`;
}

/**
 * A person's own user token, minted as only they may mint one that approves: through their own
 * session (POST /admin/tokens with their cookie, from the console's origin).
 */
export async function ownToken(
  person: { id: string; tenant: string },
  body: { name: string; scopes: readonly string[]; expires_at?: string },
  rateLimits?: { submit_per_minute?: number; resolve_per_minute?: number },
): Promise<{ id: string; token: string }> {
  const cookie = await sessionCookie(person.id, person.tenant);
  const tok = await call("POST", "/api/v1/admin/tokens", { headers: { cookie, origin: ORIGIN }, body: { kind: "user", user_id: person.id, ...body } });
  if (tok.status !== 201) throw new Error(`token: ${tok.status} ${JSON.stringify(tok.body)}`);
  // Only an admin sets a token's limits, and no admin may mint this one: test setup lifts them directly.
  if (rateLimits) {
    const { query } = await getDatabase();
    await query("update tokens set submit_per_minute = $2, resolve_per_minute = $3 where id = $1", [
      tok.body.id,
      rateLimits.submit_per_minute ?? null,
      rateLimits.resolve_per_minute ?? null,
    ]);
  }
  return { id: tok.body.id, token: tok.body.token };
}

/** Of `scopes`, those a person with `roles` may give their own token (all of them for an admin). */
export function mintableBy(roles: string[], scopes: readonly string[]): string[] {
  const held = scopesForRoles(roles);
  return held.has("admin") ? [...scopes] : scopes.filter((s) => held.has(s as never));
}

const ALL_USER_SCOPES = ["jobs:read", "approvals:read", "approvals:resolve", "policy:read", "metrics:read", "audit:read"];
// These tests are about everything but rate limits, and some send hundreds of (mostly refused) requests
// with one token; limits.test.ts checks the limits, and the defaults, with tokens of its own.
const UNLIMITED = { submit_per_minute: 1_000_000, resolve_per_minute: 1_000_000 };

export interface Person {
  id: string;
  email: string;
  token: string;
}

export interface World {
  tenant: string;
  agent: string; // agent token: jobs:submit, jobs:read, jobs:execute
  agentOwner: Person;
  admin: string; // tenant admin user token (admin + policy:write)
  person(roles: string[], label?: string): Promise<Person>;
  submit(body: Record<string, unknown>, opts?: { token?: string; key?: string }): Promise<any>;
}

/** A fresh tenant of its own for each test file, so tests never see each other's rows. */
export async function makeWorld(prefix = "t"): Promise<World> {
  const tenant = `${prefix}-${ulid().toLowerCase().slice(-10)}`;
  const t = await call("POST", "/api/v1/admin/tenants", { token: ADMIN(), body: { id: tenant } });
  if (t.status !== 201) throw new Error(`tenant: ${t.status} ${JSON.stringify(t.body)}`);

  let n = 0;
  const person = async (roles: string[], label = "user"): Promise<Person> => {
    const email = `${label}-${++n}-${ulid().toLowerCase().slice(-6)}@${tenant}.example`;
    const u = await call("POST", "/api/v1/admin/users", { token: ADMIN(), body: { tenant, email, roles } });
    if (u.status !== 201) throw new Error(`user: ${u.status} ${JSON.stringify(u.body)}`);
    // The person's own token (only they may mint one that approves), with what their roles allow of ALL_USER_SCOPES.
    const tok = await ownToken({ id: u.body.id, tenant }, { name: email, scopes: mintableBy(roles, ALL_USER_SCOPES) }, UNLIMITED);
    return { id: u.body.id, email, token: tok.token };
  };

  const agentOwner = await person(["developer"], "owner");
  const agentTok = await call("POST", "/api/v1/admin/tokens", {
    token: ADMIN(),
    body: { tenant, kind: "agent", name: "deploy-bot", scopes: ["jobs:submit", "jobs:read", "jobs:execute"], owner_email: agentOwner.email, rate_limits: UNLIMITED },
  });
  const adminUser = await call("POST", "/api/v1/admin/users", { token: ADMIN(), body: { tenant, email: `admin@${tenant}.example`, roles: ["admin"] } });
  const adminTok = await call("POST", "/api/v1/admin/tokens", {
    token: ADMIN(),
    body: { tenant, kind: "user", name: "admin", scopes: ["admin", "policy:read", "policy:write", "audit:read", "jobs:read", "approvals:read"], user_id: adminUser.body.id },
  });

  const agent = agentTok.body.token as string;
  return {
    tenant,
    agent,
    agentOwner,
    admin: adminTok.body.token,
    person,
    async submit(body, opts = {}) {
      const res = await call("POST", "/api/v1/jobs", {
        token: opts.token ?? agent,
        body: { risk_tags: [], payload: {}, ...body },
        headers: opts.key ? { "idempotency-key": opts.key } : undefined,
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
}
