import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";

const put = (w: World, yaml: string) =>
  call("PUT", "/api/v1/policy", { token: w.admin, rawBody: yaml, headers: { "content-type": "application/yaml" } });

// Refunds up to 1,000 go through; above, two people from finance look; a condition that cannot be
// evaluated (a currency compared as a number) must never let a job through.
const REFUNDS = `version: v1
defaults:
  decision: require_approval
rules:
  - id: small-refund
    match:
      topics: ["job.payments.refund"]
      when: payload.amount <= 1000 && payload.currency == "EUR"
    decision: allow
  - id: large-refund
    match:
      topics: ["job.payments.refund"]
      when: payload.amount > 1000
    decision: require_approval
    approvers: { roles: [finance], count: 2 }
  - id: odd-payout
    match:
      topics: ["job.payments.payout"]
      when: payload.currency > 5
    decision: allow
`;

describe("match.when through PUT /policy and POST /jobs", () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld("when");
  });

  it("refuses a policy whose condition does not compile, with line and column, and keeps the active one", async () => {
    const before = await call("GET", "/api/v1/policy", { token: w.admin });
    const res = await put(w, REFUNDS.replace("payload.amount > 1000", "payload.amount >> 1000"));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_policy");
    expect(res.body.errors[0]).toMatchObject({ path: "rules[1].match.when", line: 13 });
    expect(res.body.errors[0].message).toMatch(/^CEL syntax error/);
    const typed = await put(w, REFUNDS.replace("payload.amount > 1000", 'topic > 1000'));
    expect(typed.status).toBe(400);
    expect(typed.body.errors[0]).toMatchObject({ path: "rules[1].match.when", line: 13, column: 13 });
    expect(typed.body.errors[0].message).toMatch(/^CEL type error/);
    const after = await call("GET", "/api/v1/policy", { token: w.admin });
    expect(after.body.snapshot_id).toBe(before.body.snapshot_id);
  });

  it("decides on the payload", async () => {
    const res = await put(w, REFUNDS);
    expect(res.status).toBe(200);

    const small = await w.submit({ topic: "job.payments.refund", payload: { amount: 200, currency: "EUR" } });
    expect(small).toMatchObject({ decision: "ALLOW", job: { state: "APPROVED" } });

    const large = await w.submit({ topic: "job.payments.refund", payload: { amount: 5000, currency: "EUR" } });
    expect(large).toMatchObject({ decision: "REQUIRE_APPROVAL", job: { state: "APPROVAL" } });
    expect(large.requirements).toEqual([{ rule_id: "large-refund", roles: ["finance"], count: 2, approvals: 0 }]);

    // No amount at all: both conditions are false, so the default decides.
    const missing = await w.submit({ topic: "job.payments.refund", payload: { currency: "EUR" } });
    expect(missing).toMatchObject({ decision: "REQUIRE_APPROVAL" });
    expect(missing.requirements).toEqual([{ rule_id: "default", roles: ["reviewer"], count: 1, approvals: 0 }]);
  });

  it("a condition that errs makes the job require approval and says why in the decision log", async () => {
    const job = await w.submit({ topic: "job.payments.payout", payload: { currency: "EUR" } });
    expect(job).toMatchObject({ decision: "REQUIRE_APPROVAL", job: { state: "APPROVAL" } });
    const log = await call("GET", `/api/v1/jobs/${job.job.id}/decisions`, { token: w.admin });
    expect(log.status).toBe(200);
    const [first] = log.body.decisions;
    expect(first).toMatchObject({ decision: "REQUIRE_APPROVAL", rule_id: "odd-payout" });
    expect(first.reason).toContain("could not be evaluated");
    expect(first.matched_rules).toEqual([
      expect.objectContaining({ id: "odd-payout", decision: "require_approval", error: expect.stringContaining("no such overload") }),
    ]);
  });

  it("a new policy re-decides pending jobs on their payload", async () => {
    const large = await w.submit({ topic: "job.payments.refund", payload: { amount: 3000, currency: "EUR" } });
    expect(large.decision).toBe("REQUIRE_APPROVAL");
    // Raise the threshold: a pending job keeps the stricter outcome (its gate is never lowered)...
    const looser = await put(w, REFUNDS.replace("<= 1000", "<= 5000").replace("> 1000", "> 5000"));
    expect(looser.status).toBe(200);
    const kept = await call("GET", `/api/v1/jobs/${large.job.id}`, { token: w.agent });
    expect(kept.body.job.state).toBe("APPROVAL");
    // ...and an allowed, unclaimed job that a new condition denies is denied.
    const small = await w.submit({ topic: "job.payments.refund", payload: { amount: 900, currency: "EUR" } });
    expect(small.job.state).toBe("APPROVED");
    const deny = `${REFUNDS}  - id: no-refunds-over-800
    match: { topics: ["job.payments.refund"], when: "payload.amount > 800" }
    decision: deny
`;
    expect((await put(w, deny)).status).toBe(200);
    const denied = await call("GET", `/api/v1/jobs/${small.job.id}`, { token: w.agent });
    expect(denied.body).toMatchObject({ job: { state: "DENIED" }, decision: "DENY", policy_rule_id: "no-refunds-over-800" });
  });
});
