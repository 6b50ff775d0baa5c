import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";

const POLICY = `
version: v1
rules:
  - id: small-refund
    match: { topics: [job.payments.refund], when: payload.amount <= 200 }
    decision: allow
  - id: try-gate-over-100
    mode: shadow
    match: { topics: [job.payments.refund], when: payload.amount > 100 }
    decision: require_approval
  - id: try-never
    mode: shadow
    match: { topics: [job.nothing] }
    decision: deny
`;

describe("shadow rules (DESIGN §2.1)", () => {
  let w: World;
  let reader: string;
  const jobs: Record<string, string> = {};
  beforeAll(async () => {
    w = await makeWorld("shadow");
    const put = await call("PUT", "/api/v1/policy", { token: w.admin, rawBody: POLICY, headers: { "content-type": "application/yaml" } });
    expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
    reader = (await w.person(["reviewer"])).token;
    for (const amount of [50, 150, 180, 500]) jobs[amount] = (await w.submit({ topic: "job.payments.refund", payload: { amount } })).job.id;
  });

  it("never changes the outcome, and the job shows only live rules", async () => {
    const res = await call("GET", `/api/v1/jobs/${jobs[150]}`, { token: w.agent });
    expect(res.body).toMatchObject({ decision: "ALLOW", policy_rule_id: "small-refund", matched_rules: [{ id: "small-refund", decision: "allow", reason: null }] });
  });

  it("writes what it would have decided to the decision log", async () => {
    const res = await call("GET", `/api/v1/jobs/${jobs[150]}/decisions`, { token: w.admin });
    expect(res.status).toBe(200);
    expect(res.body.decisions[0].matched_rules).toEqual([
      { id: "small-refund", decision: "allow", reason: null },
      { id: "try-gate-over-100", shadow: true, decision: "require_approval", reason: null, would_decide: "require_approval", disagreed: true, note: "shadow: would have required approval" },
    ]);
    const quiet = await call("GET", `/api/v1/jobs/${jobs[50]}/decisions`, { token: w.admin });
    expect(quiet.body.decisions[0].matched_rules).toEqual([{ id: "small-refund", decision: "allow", reason: null }]);
  });

  it("GET /metrics/shadow counts evaluated and disagreed per shadow rule, with examples", async () => {
    const res = await call("GET", "/api/v1/metrics/shadow?window=7d", { token: reader });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ window: "7d", since: expect.any(String) });
    expect(res.body.rules).toEqual([
      // 150, 180 and 500 matched; 500 already needed approval live, so it agreed.
      { rule_id: "try-gate-over-100", evaluated: 3, disagreed: 2, examples: [jobs[180], jobs[150]] },
      { rule_id: "try-never", evaluated: 0, disagreed: 0, examples: [] },
    ]);
  });

  it("is refused without metrics:read, and with a bad window", async () => {
    expect((await call("GET", "/api/v1/metrics/shadow", { token: w.agent })).status).toBe(403);
    const bad = await call("GET", "/api/v1/metrics/shadow?window=1y", { token: reader });
    expect([bad.status, bad.body.code]).toEqual([400, "validation_failed"]);
  });
});
