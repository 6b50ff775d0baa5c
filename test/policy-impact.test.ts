import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";
import { activatePolicy, allowRule, approvalRule, policyOf } from "./policies";

// Check before activate (DESIGN §2.1): every difference a draft makes to recent and pending jobs.
const payments = (count: number, sla: string, cutoff = "1d") => approvalRule({ id: "payments", topics: "job.pay.*", roles: ["finance"], count, sla, cutoff });
const simulate = (w: World, yaml: string) => call("POST", "/api/v1/policy/simulate", { token: w.admin, body: { yaml, days: 7 } });

describe("POST /policy/simulate reports the whole impact", () => {
  let w: World;
  const active = policyOf(payments(2, "4h"), allowRule("reads", "job.read.*"));
  let pending: string[];

  beforeAll(async () => {
    w = await makeWorld("impact");
    await activatePolicy(w, active);
    pending = [];
    for (let i = 0; i < 3; i++) pending.push((await w.submit({ topic: "job.pay.refund", payload: { n: i } })).job.id);
    await w.submit({ topic: "job.read.ledger" });
  });

  it("names fewer approvers and a shorter SLA, with the pending jobs they touch", async () => {
    const res = await simulate(w, policyOf(payments(1, "1h"), allowRule("reads", "job.read.*")));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jobs: 4, changed: 3, open: { count: 4, changed: 3 } });
    expect(res.body.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "requirements", from: "payments: 2 of finance", to: "payments: 1 of finance", count: 3, open: 3 }),
        expect.objectContaining({ field: "sla", from: "4h", to: "1h", count: 3, open: 3 }),
      ]),
    );
    expect(res.body.changes).toHaveLength(2);
    const examples = res.body.changes[0].examples.map((e: { job_id: string }) => e.job_id);
    expect(examples.sort()).toEqual([...pending].sort());
    expect(res.body.changes[0].examples[0]).toMatchObject({ topic: "job.pay.refund", state: "APPROVAL" });
  });

  it("names a cutoff and a decision change, and nothing for the active policy itself", async () => {
    const res = await simulate(w, policyOf(payments(2, "4h", "2h"), approvalRule({ id: "reads", topics: "job.read.*", roles: ["auditor"], count: 1, sla: "1h", cutoff: "1d" })));
    const fields = res.body.changes.map((c: { field: string; from: string; to: string }) => `${c.field}:${c.from}>${c.to}`);
    expect(fields).toEqual(
      expect.arrayContaining(["cutoff:1d>2h", "decision:allow>require_approval", "requirements:none>reads: 1 of auditor", "sla:none>1h", "cutoff:none>1d"]),
    );
    const same = await simulate(w, active);
    expect(same.body).toMatchObject({ changed: 0, changes: [], open: { count: 4, changed: 0 } });
  });

  it("answers the differences for one job body too", async () => {
    const res = await call("POST", "/api/v1/policy/simulate", {
      token: w.admin,
      body: { yaml: policyOf(payments(1, "4h")), job: { topic: "job.pay.refund", payload: {} } },
    });
    expect(res.body.job).toMatchObject({ changed: true, differences: [{ field: "requirements", from: "payments: 2 of finance", to: "payments: 1 of finance" }] });
  });
});
