import { describe, expect, it } from "vitest";
import { budgetClaims, exhaustedRules, type BudgetUsed } from "./budget";
import { evaluate, type EvaluationJob } from "./evaluate";
import { compileYaml as compile } from "./compile-yaml.test-support";
import { parsePolicy } from "./parse";

const POLICY = `
version: v1
rules:
  - id: small-refund
    match: { topics: [job.payments.refund], when: payload.amount <= 200 }
    decision: allow
    budget: { per: agent, window: 24h, max_count: 20, max_sum: { field: payload.amount, value: 1000 } }
  - id: any-refund-for-alice
    match: { topics: [job.payments.refund], risk_tags: [delegated] }
    decision: allow_with_constraints
    constraints: { max_runtime_sec: 60 }
    budget: { per: on_behalf_of, window: 1h, max_count: 2 }
  - id: huge-refund
    match: { topics: [job.payments.refund], when: payload.amount > 5000 }
    decision: deny
  - id: tenant-cap
    match: { topics: [job.search.read] }
    decision: allow
    budget: { per: tenant, window: 7d, max_count: 3 }
`;
const compiled = compile(POLICY);

const job = (over: Partial<EvaluationJob> = {}): EvaluationJob => ({
  topic: "job.payments.refund",
  risk_tags: [],
  payload: { amount: 120 },
  labels: null,
  requested_by: "agent:bot",
  on_behalf_of: null,
  ...over,
});

/** Evaluates as submission does: claims, then again without the rules past their budget. */
function decide(j: EvaluationJob, used: Record<string, BudgetUsed>) {
  const first = evaluate(compiled, j);
  const exhausted = exhaustedRules(budgetClaims(compiled, first, j), new Map(Object.entries(used)));
  const second = evaluate(compiled, j, exhausted);
  return { decision: second.decision, rule_id: second.rule_id, exhausted: [...exhausted], spends: budgetClaims(compiled, second, j).map((c) => c.rule_id) };
}

describe("budgets as inputs to the engine", () => {
  it.each([
    ["unused: the budgeted rule allows and spends", job(), {}, "allow", "small-refund", [], ["small-refund"]],
    ["19 of 20 used: still fits", job(), { "small-refund": { count: 19, sum: 0 } }, "allow", "small-refund", [], ["small-refund"]],
    ["20 of 20 used: the default decides", job(), { "small-refund": { count: 20, sum: 0 } }, "require_approval", "default", ["small-refund"], []],
    ["sum 900 + 120 > 1000: past it", job(), { "small-refund": { count: 1, sum: 900 } }, "require_approval", "default", ["small-refund"], []],
    ["sum 880 + 120 = 1000: fits", job(), { "small-refund": { count: 1, sum: 880 } }, "allow", "small-refund", [], ["small-refund"]],
    ["negative amount never fits", job({ payload: { amount: -5 } }), {}, "require_approval", "default", ["small-refund"], []],
    ["per on_behalf_of without one: no fit", job({ payload: { amount: 900 }, risk_tags: ["delegated"] }), {}, "require_approval", "default", ["any-refund-for-alice"], []],
    [
      "per on_behalf_of with room: constrained allow, both spend",
      job({ on_behalf_of: "alice", risk_tags: ["delegated"] }),
      {},
      "allow_with_constraints",
      "any-refund-for-alice",
      [],
      ["small-refund", "any-refund-for-alice"],
    ],
    [
      "on_behalf_of spent: the other budget still allows",
      job({ on_behalf_of: "alice", risk_tags: ["delegated"] }),
      { "any-refund-for-alice": { count: 2, sum: 0 } },
      "allow",
      "small-refund",
      ["any-refund-for-alice"],
      ["small-refund"],
    ],
    ["a deny is never budget-checked", job({ payload: { amount: 9000 }, on_behalf_of: "alice", risk_tags: ["delegated"] }), {}, "deny", "huge-refund", [], []],
    ["tenant cap spent", job({ topic: "job.search.read" }), { "tenant-cap": { count: 3, sum: 0 } }, "require_approval", "default", ["tenant-cap"], []],
  ])("%s", (_name, j, used, decision, rule_id, exhausted, spends) => {
    expect(decide(j, used)).toEqual({ decision, rule_id, exhausted, spends });
  });

  it("scopes a claim per agent, per on_behalf_of and per tenant", () => {
    const j = job({ on_behalf_of: "alice", risk_tags: ["delegated"] });
    const claims = budgetClaims(compiled, evaluate(compiled, j), j);
    expect(claims.map((c) => [c.rule_id, c.scope, c.amount])).toEqual([
      ["small-refund", "agent:agent:bot", 120],
      ["any-refund-for-alice", "on_behalf_of:alice", 0],
    ]);
    const t = job({ topic: "job.search.read" });
    expect(budgetClaims(compiled, evaluate(compiled, t), t)[0]?.scope).toBe("tenant");
  });

  it("claims nothing for a policy without budgets", () => {
    const plain = compile("version: v1\nrules:\n  - { id: a, decision: allow }\n");
    expect(plain.hasBudgets).toBe(false);
    expect(budgetClaims(plain, evaluate(plain, job()), job())).toEqual([]);
  });
});

describe("budget validation at upload", () => {
  const refused = (rule: string) => {
    const r = parsePolicy(`version: v1\nrules:\n  - ${rule}\n`);
    return r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`);
  };
  it.each([
    ["on a require_approval rule", "{ id: a, decision: require_approval, budget: { per: agent, window: 1h, max_count: 1 } }", "3:50 rules[0].budget: only applies to allow and allow_with_constraints rules"],
    ["on a deny rule", "{ id: a, decision: deny, budget: { per: agent, window: 1h, max_count: 1 } }", "rules[0].budget: only applies"],
    ["window over 365d", "{ id: a, decision: allow, budget: { per: agent, window: 366d, max_count: 1 } }", "rules[0].budget.window: must be at most 365d"],
    ["no cap", "{ id: a, decision: allow, budget: { per: agent, window: 1h } }", "rules[0].budget: must set max_count, max_sum or both"],
    ["unknown per", "{ id: a, decision: allow, budget: { per: team, window: 1h, max_count: 1 } }", "rules[0].budget.per: must be agent, on_behalf_of or tenant"],
    ["bad field", "{ id: a, decision: allow, budget: { per: agent, window: 1h, max_sum: { field: amount, value: 5 } } }", "rules[0].budget.max_sum.field: must be a field"],
    ["on a shadow rule", "{ id: a, decision: allow, mode: shadow, budget: { per: agent, window: 1h, max_count: 1 } }", "rules[0].budget: does not apply to shadow rules"],
    ["unknown mode", "{ id: a, decision: allow, mode: dry }", "rules[0].mode: must be shadow"],
  ])("refuses a budget %s", (_name, rule, message) => {
    expect(refused(rule).join("\n")).toContain(message);
  });

  it("accepts a budget with its line and column intact elsewhere", () => {
    expect(refused("{ id: a, decision: allow, budget: { per: tenant, window: 365d, max_sum: { field: payload.order.total, value: 10 } } }")).toEqual([]);
  });
});
