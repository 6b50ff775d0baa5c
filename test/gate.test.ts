import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";

let w: World;
beforeAll(async () => {
  w = await makeWorld("gate");
});

describe("submit: the policy decides at once", () => {
  it.each([
    ["job.repo.read", [], "ALLOW", "APPROVED", "allow-read"],
    ["job.ticket.update", [], "ALLOW_WITH_CONSTRAINTS", "APPROVED", "ticket-update"],
    ["job.config.update", ["prod", "write"], "REQUIRE_APPROVAL", "APPROVAL", "prod-write-gate"],
    ["job.db.drop", ["prod"], "DENY", "DENIED", "no-prod-drop"],
    ["job.unknown.thing", [], "REQUIRE_APPROVAL", "APPROVAL", "default"],
  ])("%s %j → %s", async (topic, risk_tags, decision, state, rule) => {
    const res = await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic, risk_tags, payload: { a: 1 } } });
    expect(res.status).toBe(201);
    expect(res.body.decision).toBe(decision);
    expect(res.body.job.state).toBe(state);
    expect(res.body.policy_rule_id).toBe(rule);
    expect(res.body.policy_snapshot).toMatch(new RegExp(`^cfg:${w.tenant}:policy#sha256:[0-9a-f]{64}$`));
    expect(res.body.job_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.job.requested_by).toBe("agent:deploy-bot");
  });

  it("renders the queue item shape with requirements and sla", async () => {
    const item = await w.submit({ topic: "job.payments.send", risk_tags: ["payment", "prod"], payload: { amount: 10 } });
    expect(item.approval_required).toBe(true);
    expect(item.requirements).toEqual([{ rule_id: "payment-gate", roles: ["finance"], count: 2, approvals: 0 }]);
    expect(item.sla.due_at).toBeTruthy();
    expect(item.sla.escalated).toBe(false);
    expect(item.decision_summary).toEqual({
      title: "Review job.payments.send",
      why: "Financial operations require dual approval",
      next_effect: "Approve to release the payment",
    });
    expect(item.resolution).toBeNull();
    expect(item.can_act).toBe(false);
  });
});

describe("approve → claim → complete", () => {
  it("runs only what was approved, once", async () => {
    const item = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { key: "x", value: 1 } });
    const oncall = await w.person(["oncall"]);
    const approve = await call("POST", `/api/v1/approvals/${item.job.id}/approve`, {
      token: oncall.token,
      body: { reason: "approved by on-call", note: "ticket INC-123", job_hash: item.job_hash, policy_snapshot: item.policy_snapshot },
    });
    expect(approve.status).toBe(200);
    expect(approve.body.job.state).toBe("APPROVED");
    expect(approve.body.resolution).toBe("approved");
    expect(approve.body.resolved_by).toBe(oncall.email);
    expect(approve.body.resolved_comment).toBe("approved by on-call\nticket INC-123");

    const wrong = await call("POST", `/api/v1/jobs/${item.job.id}/claim`, { token: w.agent, body: { job_hash: "0".repeat(64) } });
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe("stale_request");

    const claims = await Promise.all(
      [1, 2, 3].map(() => call("POST", `/api/v1/jobs/${item.job.id}/claim`, { token: w.agent, body: { job_hash: item.job_hash } })),
    );
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409, 409]);
    const grant = claims.find((c) => c.status === 200)!.body;
    expect(grant).toEqual({ job_id: item.job.id, job_hash: item.job_hash, policy_snapshot: item.policy_snapshot, constraints: null });
    expect(claims.filter((c) => c.status === 409).every((c) => c.body.code === "already_claimed")).toBe(true);

    const done = await call("POST", `/api/v1/jobs/${item.job.id}/complete`, { token: w.agent, body: { outcome: "succeeded" } });
    expect(done.status).toBe(200);
    expect(done.body.job.state).toBe("SUCCEEDED");

    const log = await call("GET", `/api/v1/jobs/${item.job.id}/decisions`, { token: w.agent });
    expect(log.status).toBe(200);
    expect(log.body.decisions).toHaveLength(1);
    expect(log.body.votes).toHaveLength(1);
    expect(log.body.resolution).toBe("approved");

    const verify = await call("GET", "/api/v1/audit/verify", { token: w.admin });
    expect(verify.body.ok).toBe(true);
  });
});
