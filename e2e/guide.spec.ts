import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";
import { ownToken } from "./support/own-token";

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function provision(request: APIRequestContext, baseURL: string) {
  const tenant = `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const admin = auth(E2E_ADMIN_TOKEN);
  expect((await request.post("/api/v1/admin/tenants", { headers: admin, data: { id: tenant } })).status()).toBe(201);
  const password = "e2e-password-123";
  const user = await (await request.post("/api/v1/admin/users", { headers: admin, data: { tenant, email: `oncall@${tenant}.example`, roles: ["oncall"], password } })).json();
  // The reviewer mints their own token: nobody else may mint one that approves.
  const reviewer = { token: await ownToken(baseURL, { ...user, password }, { name: "oncall", scopes: ["approvals:read", "approvals:resolve", "jobs:read"] }) };
  const agent = await (
    await request.post("/api/v1/admin/tokens", {
      headers: admin,
      data: { tenant, kind: "agent", name: "deploy-bot", scopes: ["jobs:submit", "jobs:read", "jobs:execute"] },
    })
  ).json();
  return { tenant, reviewer: reviewer.token as string, agent: agent.token as string };
}

test("the guide's loop over real HTTP: submit, queue, approve, decisions, claim", async ({ request, baseURL }) => {
  const { tenant, reviewer, agent } = await provision(request, baseURL!);

  const submitted = await request.post("/api/v1/jobs", {
    headers: auth(agent),
    data: { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { service: "api", key: "timeout", value: 30 } },
  });
  expect(submitted.status()).toBe(201);
  const job = await submitted.json();
  expect(job.decision).toBe("REQUIRE_APPROVAL");
  expect(job.policy_snapshot).toContain(`cfg:${tenant}:policy#sha256:`);

  const queueRes = await request.get("/api/v1/approvals?include_resolved=false", { headers: auth(reviewer) });
  const queue = await queueRes.json();
  expect(queueRes.status(), JSON.stringify(queue)).toBe(200);
  expect(queue.items.map((i: { job: { id: string } }) => i.job.id)).toContain(job.job.id);
  expect(queue.items[0].can_act).toBe(true);

  const approved = await request.post(`/api/v1/approvals/${job.job.id}/approve`, {
    headers: auth(reviewer),
    data: { reason: "approved by on-call", note: "ticket INC-123" },
  });
  expect(approved.status()).toBe(200);
  expect((await approved.json()).resolution).toBe("approved");

  const decisions = await (await request.get(`/api/v1/jobs/${job.job.id}/decisions`, { headers: auth(agent) })).json();
  expect(decisions.votes).toHaveLength(1);
  expect(decisions.decisions[0].rule_id).toBe("prod-write-gate");

  const grant = await request.post(`/api/v1/jobs/${job.job.id}/claim`, { headers: auth(agent), data: { job_hash: job.job_hash } });
  expect(grant.status()).toBe(200);
  const again = await request.post(`/api/v1/jobs/${job.job.id}/claim`, { headers: auth(agent), data: { job_hash: job.job_hash } });
  expect(again.status()).toBe(409);
  expect((await again.json()).code).toBe("already_claimed");
});

test("errors are problem+json with a stable code, and unknown API paths too", async ({ request }) => {
  const res = await request.get("/api/v1/approvals");
  expect(res.status()).toBe(401);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  expect((await res.json()).code).toBe("unauthenticated");
  const missing = await request.get("/api/v1/nope");
  expect(missing.status()).toBe(404);
  expect((await missing.json()).code).toBe("not_found");
  const undecodable = await request.get("/api/v1/jobs/%E0%A4%A");
  expect(undecodable.status()).toBe(400);
  expect((await undecodable.json()).code).toBe("invalid_path");
  const wrongMethod = await request.delete("/api/v1/jobs");
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()["allow"]).toBe("GET, POST");
});

test("the queue stream announces a new job within a second", async ({ request, baseURL }) => {
  const { reviewer, agent } = await provision(request, baseURL!);
  const controller = new AbortController();
  const res = await fetch(`${baseURL}/api/v1/approvals/stream`, { headers: auth(reviewer), signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("event: ready")) text += decoder.decode((await reader.read()).value);

  const started = Date.now();
  const job = await (
    await request.post("/api/v1/jobs", { headers: auth(agent), data: { topic: "job.deploy.api", risk_tags: ["prod", "write"], payload: {} } })
  ).json();
  while (!text.includes(job.job.id)) text += decoder.decode((await reader.read()).value);
  expect(Date.now() - started).toBeLessThan(1000);
  expect(text).toContain(`"state":"APPROVAL"`);
  controller.abort();
});

test("the home page and the OpenAPI document are served", async ({ page, request }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Countersign" })).toBeVisible();
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toContain("/approvals/{job_id}/approve");
});
