/**
 * Issue 29 item 3: after a policy change, requirements for the same rule and roles are one line (the
 * union keeps the stricter count), never "1/2 from finance" beside "1/1 from finance".
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY_YAML } from "@/lib/policy/default-policy";
import { unionRequirements } from "@/lib/services/policy/redecide";
import { makeWorld, type Person, type World } from "./fixtures";
import { activatePolicy } from "./policies";
import { people, req, submit, vote } from "./races-helpers";

const PAYMENT = { topic: "job.payment.refund", risk_tags: ["payment"] };

describe("re-decision merges requirements per rule and roles", () => {
  let w: World;
  let finance: Person[];
  beforeAll(async () => {
    w = await makeWorld("redecide-union");
    finance = await people(w, 2, ["finance"], "fin");
  });

  it("keeps one requirement with the stricter count and both escalation targets", () => {
    const a = { rule_id: "r", roles: ["finance"], count: 2, escalate_to: ["cfo"] };
    const b = { rule_id: "r", roles: ["finance"], count: 1, escalate_to: ["manager"] };
    const other = { rule_id: "s", roles: ["finance"], count: 1, escalate_to: [] };
    expect(unionRequirements([a], [b, other])).toEqual([{ ...a, escalate_to: ["cfo", "manager"] }, other]);
  });

  it("a policy lowering payment approvers from 2 to 1 leaves one line, still 2 needed", async () => {
    await activatePolicy(w, DEFAULT_POLICY_YAML, req);
    const job = await submit(w, { ...PAYMENT, payload: { merge: 1 } });
    expect((await vote("approve", job.job.id, finance[0]!.token)).status).toBe(200);
    await activatePolicy(w, DEFAULT_POLICY_YAML.replace("approvers: { roles: [finance], count: 2 }", "approvers: { roles: [finance], count: 1 }"), req);
    const after = (await req("GET", `/api/v1/jobs/${job.job.id}`, { token: w.admin })).body;
    expect(after.job.state).toBe("APPROVAL");
    expect(after.requirements).toEqual([{ rule_id: "payment-gate", roles: ["finance"], count: 2, approvals: 1 }]);
  });
});
