import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";
import { agentToken } from "./races-helpers";

const put = async (w: World, yaml: string) => {
  const res = await call("PUT", "/api/v1/policy", { token: w.admin, rawBody: yaml, headers: { "content-type": "application/yaml" } });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
};
const submit = (w: World, body: Record<string, unknown>, token = w.agent) =>
  call("POST", "/api/v1/jobs", { token, body: { risk_tags: [], payload: {}, ...body } });

const POLICY = `
version: v1
defaults: { decision: require_approval }
rules:
  - id: ten-a-day
    match: { topics: [job.race.go] }
    decision: allow
    budget: { per: tenant, window: 24h, max_count: 10 }
  - id: two-per-agent
    match: { topics: [job.agent.go] }
    decision: allow
    budget: { per: agent, window: 1h, max_count: 2 }
  - id: two-per-person
    match: { topics: [job.person.go] }
    decision: allow_with_constraints
    constraints: { max_runtime_sec: 60 }
    budget: { per: on_behalf_of, window: 1h, max_count: 2 }
  - id: spend-cap
    match: { topics: [job.refund.go], when: payload.amount <= 200 }
    decision: allow
    budget: { per: tenant, window: 24h, max_sum: { field: payload.amount, value: 500 } }
  - id: refund-gate
    match: { topics: [job.refund.go], when: payload.amount > 200 }
    decision: require_approval
  - id: sliding
    match: { topics: [job.slide.go] }
    decision: allow
    budget: { per: tenant, window: 1h, max_count: 1 }
`;

async function ageUses(tenant: string, rule: string, seconds: number) {
  const db = await getDb();
  await db.execute(sql`update budget_uses set created_at = created_at - make_interval(secs => ${seconds}) where tenant_id = ${tenant} and rule_id = ${rule}`);
}

describe("budgets (DESIGN §2.1)", () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld("budget");
    await put(w, POLICY);
  });

  it("lets exactly 10 of 50 concurrent submissions through a budget of 10; the default decides the rest", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => submit(w, { topic: "job.race.go", payload: { i } })));
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const allowed = answers.filter((a) => a.body.decision === "ALLOW");
    expect(allowed).toHaveLength(10);
    expect(allowed.every((a) => a.body.policy_rule_id === "ten-a-day" && a.body.job.state === "APPROVED")).toBe(true);
    const rest = answers.filter((a) => a.body.decision !== "ALLOW");
    expect(rest.every((a) => a.body.decision === "REQUIRE_APPROVAL" && a.body.policy_rule_id === "default")).toBe(true);
    // The rest do not list the spent rule: past its budget it does not match. Their decision log says so.
    expect(rest.every((a) => a.body.matched_rules.length === 0)).toBe(true);
    const log = await call("GET", `/api/v1/jobs/${rest[0]!.body.job.id}/decisions`, { token: w.admin });
    expect(log.body.decisions[0].matched_rules).toEqual([
      { id: "ten-a-day", decision: "allow", reason: null, over_budget: true, note: "budget: past its budget for this window, so the rule did not match" },
    ]);
  });

  it("counts with claim: true in the same transaction", async () => {
    const res = await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "job.race.go", risk_tags: [], payload: {}, claim: true } });
    expect(res.status).toBe(201);
    expect(res.body.decision).toBe("REQUIRE_APPROVAL");
    expect(res.body.grant).toBeUndefined();
  });

  it("counts per agent: each agent has its own two", async () => {
    const other = await agentToken(w, "other-bot");
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push((await submit(w, { topic: "job.agent.go" })).body.decision);
    const theirs = [];
    for (let i = 0; i < 3; i++) theirs.push((await submit(w, { topic: "job.agent.go" }, other)).body.decision);
    expect(mine).toEqual(["ALLOW", "ALLOW", "REQUIRE_APPROVAL"]);
    expect(theirs).toEqual(["ALLOW", "ALLOW", "REQUIRE_APPROVAL"]);
  });

  it("counts per on_behalf_of; a job for nobody does not fit", async () => {
    const decide = async (on_behalf_of?: string) => (await submit(w, { topic: "job.person.go", ...(on_behalf_of ? { on_behalf_of } : {}) })).body.decision;
    expect([await decide("alice@example.com"), await decide("alice@example.com"), await decide("Alice@example.com"), await decide("bob@example.com"), await decide()]).toEqual([
      "ALLOW_WITH_CONSTRAINTS",
      "ALLOW_WITH_CONSTRAINTS",
      "REQUIRE_APPROVAL",
      "ALLOW_WITH_CONSTRAINTS",
      "REQUIRE_APPROVAL",
    ]);
  });

  it("sums max_sum over the amounts, and a larger job can fail where a smaller fits", async () => {
    const decide = async (amount: number) => (await submit(w, { topic: "job.refund.go", payload: { amount } })).body.decision;
    expect(await decide(200)).toBe("ALLOW"); // 200
    expect(await decide(150)).toBe("ALLOW"); // 350
    expect(await decide(180)).toBe("REQUIRE_APPROVAL"); // 530 > 500
    expect(await decide(150)).toBe("ALLOW"); // 500
    expect(await decide(1)).toBe("REQUIRE_APPROVAL");
    expect(await decide(300)).toBe("REQUIRE_APPROVAL"); // the gate, not a budget
  });

  it("slides: uses older than the window no longer count", async () => {
    expect((await submit(w, { topic: "job.slide.go" })).body.decision).toBe("ALLOW");
    expect((await submit(w, { topic: "job.slide.go" })).body.decision).toBe("REQUIRE_APPROVAL");
    await ageUses(w.tenant, "sliding", 59 * 60);
    expect((await submit(w, { topic: "job.slide.go" })).body.decision).toBe("REQUIRE_APPROVAL");
    await ageUses(w.tenant, "sliding", 61);
    expect((await submit(w, { topic: "job.slide.go" })).body.decision).toBe("ALLOW");
  });

  it("an idempotent replay spends nothing more", async () => {
    const w2 = await makeWorld("budget-replay");
    await put(w2, POLICY);
    const once = await call("POST", "/api/v1/jobs", { token: w2.agent, body: { topic: "job.slide.go", risk_tags: [], payload: {} }, headers: { "idempotency-key": "k1" } });
    const again = await call("POST", "/api/v1/jobs", { token: w2.agent, body: { topic: "job.slide.go", risk_tags: [], payload: {} }, headers: { "idempotency-key": "k1" } });
    expect([once.status, again.status]).toEqual([201, 200]);
    expect(again.body.job.id).toBe(once.body.job.id);
    const use = await call("GET", "/api/v1/policy/budgets", { token: w2.admin });
    expect(use.body.budgets.find((b: { rule_id: string }) => b.rule_id === "sliding").scopes).toEqual([{ key: null, count: 1, sum: 0 }]);
  });

  it("claim: true on a job that fits claims it and spends the budget in one transaction", async () => {
    const w3 = await makeWorld("budget-claim");
    await put(w3, POLICY);
    const first = await call("POST", "/api/v1/jobs", { token: w3.agent, body: { topic: "job.slide.go", risk_tags: [], payload: {}, claim: true } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ decision: "ALLOW", job: { state: "RUNNING" }, grant: { job_id: first.body.job.id } });
    const second = await call("POST", "/api/v1/jobs", { token: w3.agent, body: { topic: "job.slide.go", risk_tags: [], payload: {}, claim: true } });
    expect(second.body.decision).toBe("REQUIRE_APPROVAL");
  });

  it("GET /policy/budgets shows each budget's use per scope", async () => {
    const res = await call("GET", "/api/v1/policy/budgets", { token: w.admin });
    expect(res.status).toBe(200);
    const by = Object.fromEntries(res.body.budgets.map((b: { rule_id: string }) => [b.rule_id, b]));
    expect(by["ten-a-day"]).toMatchObject({ per: "tenant", window: "24h", max_count: 10, max_sum: null, scopes: [{ key: null, count: 10, sum: 0 }], others: 0 });
    expect(by["two-per-agent"].scopes).toEqual([
      { key: "deploy-bot", count: 2, sum: 0 },
      { key: "other-bot", count: 2, sum: 0 },
    ].map((s) => ({ ...s, key: expect.stringContaining(s.key) })));
    expect(by["two-per-person"].scopes).toEqual([{ key: "alice@example.com", count: 2, sum: 0 }, { key: "bob@example.com", count: 1, sum: 0 }]);
    expect(by["spend-cap"]).toMatchObject({ max_sum: { field: "payload.amount", value: 500 }, scopes: [{ key: null, count: 3, sum: 500 }] });
  });

  it("POST /policy/test counts budgets as unused", async () => {
    const tests = "- name: allowed\n  job: { topic: job.race.go }\n  expect: { decision: ALLOW, rule_id: ten-a-day }\n";
    const res = await call("POST", "/api/v1/policy/test", { token: w.admin, body: { policy: POLICY, tests } });
    expect(res.body).toMatchObject({ passed: 1, failed: 0 });
  });

  it("refuses a budget on a gate at upload, with line and column", async () => {
    const res = await call("PUT", "/api/v1/policy", {
      token: w.admin,
      rawBody: "version: v1\nrules:\n  - id: g\n    decision: require_approval\n    budget: { per: agent, window: 1h, max_count: 1 }\n",
      headers: { "content-type": "application/yaml" },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: "rules[0].budget", line: 5, column: 13 });
  });
});
