import { expect, type APIRequestContext } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../../playwright.config";

export const PASSWORD = "e2e-password-123";
const admin = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

export interface Person {
  id: string;
  email: string;
  roles: string[];
}

export interface World {
  tenant: string;
  people: Record<string, Person>;
  agentToken: string;
  ownerEmail: string;
  submit: (body: Record<string, unknown>) => Promise<{ id: string; job_hash: string; policy_snapshot: string; title: string; summary: string }>;
}

// Each test provisions its own tenant, people and agent, so tests run in parallel without sharing a queue.
export async function makeWorld(request: APIRequestContext, roles: Record<string, string[]>): Promise<World> {
  const tenant = `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
  expect((await request.post("/api/v1/admin/tenants", { headers: admin, data: { id: tenant } })).status()).toBe(201);
  const people: Record<string, Person> = {};
  for (const [name, personRoles] of Object.entries(roles)) {
    const res = await request.post("/api/v1/admin/users", {
      headers: admin,
      data: { tenant, email: `${name}@${tenant}.example`, name, roles: personRoles, password: PASSWORD },
    });
    expect(res.status(), await res.text()).toBe(201);
    people[name] = (await res.json()) as Person;
  }
  const ownerEmail = people.owner?.email ?? `owner@${tenant}.example`;
  const token = await request.post("/api/v1/admin/tokens", {
    headers: admin,
    data: { tenant, kind: "agent", name: "deploy-bot", scopes: ["jobs:submit", "jobs:read", "jobs:execute"], owner_email: ownerEmail },
  });
  expect(token.status()).toBe(201);
  const agentToken = ((await token.json()) as { token: string }).token;
  const submit = async (body: Record<string, unknown>) => {
    const res = await request.post("/api/v1/jobs", { headers: { authorization: `Bearer ${agentToken}` }, data: body });
    expect(res.status(), await res.text()).toBe(201);
    const item = await res.json();
    return { id: item.job.id, job_hash: item.job_hash, policy_snapshot: item.policy_snapshot, title: item.job.title, summary: item.decision_summary.title };
  };
  return { tenant, people, agentToken, ownerEmail, submit };
}

export const jobs = {
  payment: (n: number) => ({ topic: "job.payment.refund", risk_tags: ["payment"], title: `Refund order ${n}`, payload: { order: n, amount: 100 + n, currency: "EUR" } }),
  config: (service: string) => ({ topic: "job.config.update", risk_tags: ["prod", "write"], title: `Raise ${service} timeout`, payload: { service, key: "timeout", value: 30 } }),
  access: (user: string) => ({ topic: "job.access.grant", risk_tags: ["access"], title: `Grant ${user} admin`, payload: { user, role: "admin" } }),
};
