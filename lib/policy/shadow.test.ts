import { describe, expect, it } from "vitest";
import { evaluate, type EvaluationJob } from "./evaluate";
import { compileYaml as compile } from "./compile-yaml.test-support";

const compiled = compile(`
version: v1
rules:
  - id: small-refund
    match: { topics: [job.payments.refund], when: payload.amount <= 200 }
    decision: allow
  - id: try-gate-over-100
    mode: shadow
    match: { topics: [job.payments.refund], when: payload.amount > 100 }
    decision: require_approval
    approvers: { roles: [finance], count: 2 }
  - id: try-allow-reads
    mode: shadow
    match: { topics: [job.search.read] }
    decision: allow
  - id: try-broken
    mode: shadow
    match: { topics: [job.payments.refund], when: payload.kind > 5 }
    decision: allow
`);

const job = (over: Partial<EvaluationJob>): EvaluationJob => ({
  topic: "job.payments.refund", risk_tags: [], payload: {}, labels: null, requested_by: "agent:bot", on_behalf_of: null, ...over,
});

describe("shadow rules", () => {
  it.each([
    ["gate would have asked: disagrees", job({ payload: { amount: 150, kind: 1 } }), "allow", [["try-gate-over-100", "require_approval", true, "shadow: would have required approval"]]],
    ["condition false: not listed", job({ payload: { amount: 50 } }), "allow", []],
    ["live default, shadow allow: disagrees", job({ topic: "job.search.read" }), "require_approval", [["try-allow-reads", "allow", true, "shadow: would have allowed"]]],
    ["live gate, shadow gate: agrees", job({ payload: { amount: 500, kind: 1 } }), "require_approval", [["try-gate-over-100", "require_approval", false, "shadow: would have required approval"]]],
  ])("%s", (_name, j, live, entries) => {
    const e = evaluate(compiled, j);
    expect(e.decision).toBe(live);
    expect(e.matched_rules.map((r) => r.id)).not.toContain("try-gate-over-100");
    expect(e.shadow.map((s) => [s.id, s.would_decide, s.disagreed, s.note])).toEqual(entries);
  });

  it("never changes the outcome, its requirements or its rule", () => {
    const e = evaluate(compiled, job({ payload: { amount: 150, kind: 1 } }));
    expect(e).toMatchObject({ decision: "allow", rule_id: "small-refund", requirements: [] });
  });

  it("logs a shadow condition that fails as an error, never an allow", () => {
    const e = evaluate(compiled, job({ payload: { amount: 150, kind: "x" } }));
    const broken = e.shadow.find((s) => s.id === "try-broken");
    expect(broken).toMatchObject({ decision: "require_approval", would_decide: "require_approval", disagreed: true, shadow: true });
    expect(broken?.error).toBeTruthy();
    expect(e.decision).toBe("allow");
  });
});
