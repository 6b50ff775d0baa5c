import { ulid } from "ulid";
import { call } from "./http";

export const ADMIN = () => process.env.COUNTERSIGN_ADMIN_TOKEN!;

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
    const tok = await call("POST", "/api/v1/admin/tokens", {
      token: ADMIN(),
      body: { tenant, kind: "user", name: email, scopes: ALL_USER_SCOPES, user_id: u.body.id, rate_limits: UNLIMITED },
    });
    if (tok.status !== 201) throw new Error(`token: ${tok.status} ${JSON.stringify(tok.body)}`);
    return { id: u.body.id, email, token: tok.body.token };
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
