import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";
import { ownToken } from "./support/own-token";

// Two app instances on one database (scripts/e2e-server.mjs): nothing may depend on in-process state.
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function secondInstance(baseURL: string): Promise<string> {
  const url = new URL(baseURL);
  url.port = String(Number(url.port) + 1);
  const second = url.origin;
  await expect.poll(async () => (await fetch(`${second}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
  return second;
}

async function provision(request: APIRequestContext, baseURL: string) {
  const tenant = `multi-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const admin = auth(E2E_ADMIN_TOKEN);
  expect((await request.post("/api/v1/admin/tenants", { headers: admin, data: { id: tenant } })).status()).toBe(201);
  // Security as well as on-call, so that their own token may read the audit trail too.
  const password = "e2e-password-123";
  const user = await (
    await request.post("/api/v1/admin/users", { headers: admin, data: { tenant, email: `oncall@${tenant}.example`, roles: ["oncall", "security"], password } })
  ).json();
  // The reviewer mints their own token: nobody else may mint one that approves.
  const reviewer = await ownToken(baseURL, { ...user, password }, { name: "oncall", scopes: ["approvals:read", "approvals:resolve", "jobs:read", "audit:read"] });
  const agent = (
    await (await request.post("/api/v1/admin/tokens", { headers: admin, data: { tenant, kind: "agent", name: "bot", scopes: ["jobs:submit", "jobs:read"] } })).json()
  ).token as string;
  return { tenant, reviewer, agent };
}

test("an agent waiting on one instance wakes when a reviewer approves on the other", async ({ request, baseURL }) => {
  const second = await secondInstance(baseURL!);
  const { reviewer, agent } = await provision(request, baseURL!);
  const job = await (
    await request.post("/api/v1/jobs", { headers: auth(agent), data: { topic: "job.config.update", risk_tags: ["prod", "write"], payload: {} } })
  ).json();

  const started = Date.now();
  const waiting = fetch(`${second}/api/v1/jobs/${job.job.id}?wait=20`, { headers: auth(agent) }).then((r) => r.json());
  await new Promise((r) => setTimeout(r, 300));
  const approved = await request.post(`/api/v1/approvals/${job.job.id}/approve`, { headers: auth(reviewer), data: { reason: "ok" } });
  expect(approved.status()).toBe(200);
  const seen = await waiting;
  expect(seen.job.state).toBe("APPROVED");
  expect(Date.now() - started).toBeLessThan(5_000);
});

test("the queue stream on one instance announces a job submitted on the other; the chain verifies", async ({ request, baseURL }) => {
  const second = await secondInstance(baseURL!);
  const { reviewer, agent } = await provision(request, baseURL!);
  const controller = new AbortController();
  const res = await fetch(`${second}/api/v1/approvals/stream`, { headers: auth(reviewer), signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("event: ready")) text += decoder.decode((await reader.read()).value);

  const jobs = await Promise.all(
    [1, 2, 3].map(async (i) =>
      (
        await request.post("/api/v1/jobs", { headers: auth(agent), data: { topic: "job.deploy.api", risk_tags: ["prod", "write"], payload: { i } } })
      ).json(),
    ),
  );
  for (const job of jobs) while (!text.includes(job.job.id)) text += decoder.decode((await reader.read()).value);
  controller.abort();

  // Both instances run a sealer; the chain they build together is one chain.
  const verify = await (await fetch(`${second}/api/v1/audit/verify`, { headers: auth(reviewer) })).json();
  expect(verify).toMatchObject({ ok: true, first_broken: null });
});

test("a token's rate limit is one budget across both instances", async ({ request, baseURL }) => {
  const second = await secondInstance(baseURL!);
  const { tenant } = await provision(request, baseURL!);
  const minted = await request.post("/api/v1/admin/tokens", {
    headers: auth(E2E_ADMIN_TOKEN),
    data: { tenant, kind: "agent", name: "limited", scopes: ["jobs:submit"], rate_limits: { submit_per_minute: 6 } },
  });
  const limited = (await minted.json()).token as string;
  const bases = [new URL(baseURL!).origin, second];
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      fetch(`${bases[i % 2]}/api/v1/jobs`, {
        method: "POST",
        headers: { ...auth(limited), "content-type": "application/json" },
        body: JSON.stringify({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { i } }),
      }),
    ),
  );
  const statuses = answers.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(6);
  expect(statuses.filter((s) => s === 429)).toHaveLength(14);
  const refused = answers.find((r) => r.status === 429)!;
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect((await refused.json()).code).toBe("rate_limited");
});
