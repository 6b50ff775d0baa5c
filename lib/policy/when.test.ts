import { describe, expect, it } from "vitest";
import { evaluate, type EvaluationJob } from "./evaluate";
import { compileYaml as compile } from "./compile-yaml.test-support";
import { parsePolicy } from "./parse";

const job = (extra: Partial<EvaluationJob> = {}): EvaluationJob => ({
  topic: "job.payments.refund",
  risk_tags: ["payment"],
  title: null,
  payload: { amount: 1500, currency: "EUR" },
  labels: { team: "billing" },
  requested_by: "agent:refunder",
  on_behalf_of: null,
  ...extra,
});

// One allow rule under a condition; the default asks a reviewer.
const allowWhen = (when: string) =>
  compile(`version: v1
rules:
  - id: small-refund
    match: { topics: ["job.payments.*"], when: ${JSON.stringify(when)} }
    decision: allow
`);

describe("match.when decides whether a rule matches", () => {
  it.each([
    ["a payload comparison, true", "payload.amount > 1000 && payload.currency == 'EUR'", {}, "allow"],
    ["a payload comparison, false", "payload.amount <= 1000", {}, "require_approval"],
    ["an int literal against a JSON number", "payload.amount == 1500", {}, "allow"],
    ["the topic", "topic.startsWith('job.payments.')", {}, "allow"],
    ["a risk tag", "'payment' in risk_tags", {}, "allow"],
    ["a label", "labels.team == 'billing'", {}, "allow"],
    ["the submitting agent", "requested_by == 'agent:refunder'", {}, "allow"],
    ["on_behalf_of, set", "on_behalf_of.endsWith('@example.com')", { on_behalf_of: "ann@example.com" }, "allow"],
    ["a nested payload field", "payload.order.lines.size() == 2", { payload: { order: { lines: [1, 2] } } }, "allow"],
    // Missing fields: the condition is false, so the rule does not match and the default decides.
    ["a missing payload key", "payload.refund_id == 'x'", {}, "require_approval"],
    ["a missing label", "labels.region == 'eu'", {}, "require_approval"],
    ["no on_behalf_of", "on_behalf_of == 'ann@example.com'", {}, "require_approval"],
    ["no labels at all", "labels.team == 'billing'", { labels: null }, "require_approval"],
    ["a list index past the end", "payload.items[3] == 1", { payload: { items: [1] } }, "require_approval"],
    ["a missing key negated is still false", "!(payload.refund_id == 'x')", {}, "require_approval"],
    ["has() guards a missing key", "!has(payload.refund_id)", {}, "allow"],
  ])("%s: %s", (_name, when, extra, decision) => {
    const e = evaluate(allowWhen(when), job(extra as Partial<EvaluationJob>));
    expect(e.decision).toBe(decision);
    expect(e.matched_rules.every((r) => r.error === undefined)).toBe(true);
  });
});

describe("a condition that fails to evaluate never allows", () => {
  it.each([
    ["mixed arithmetic (a JSON number is a double)", "payload.amount * 2 > 10", "no such overload"],
    ["comparing a string with a number", "payload.currency > 5", "no such overload"],
    ["a non-bool result", "payload.amount", "not a bool"],
    ["an invalid regular expression", "topic.matches('(')", "regular expression"],
  ])("%s", (_name, when, fragment) => {
    const e = evaluate(allowWhen(when), job());
    expect(e.decision).toBe("require_approval");
    expect(e.rule_id).toBe("small-refund");
    expect(e.reason).toContain("could not be evaluated");
    expect(e.reason).toContain(fragment);
    expect(e.matched_rules).toEqual([expect.objectContaining({ id: "small-refund", decision: "require_approval", error: expect.stringContaining(fragment) })]);
    expect(e.requirements).toEqual([{ rule_id: "small-refund", roles: ["reviewer"], count: 1, escalate_to: [] }]);
  });

  it("a deny rule whose condition errs still denies", () => {
    const c = compile(`version: v1
rules:
  - id: big
    match: { when: "payload.amount * 2 > 10" }
    decision: deny
`);
    const e = evaluate(c, job());
    expect(e).toMatchObject({ decision: "deny", rule_id: "big" });
    expect(e.matched_rules[0]?.error).toContain("no such overload");
  });

  it("an approval rule whose condition errs keeps its approvers", () => {
    const c = compile(`version: v1
rules:
  - id: dual
    match: { when: "payload.currency > 5" }
    decision: require_approval
    approvers: { roles: [finance], count: 2 }
`);
    expect(evaluate(c, job()).requirements).toEqual([{ rule_id: "dual", roles: ["finance"], count: 2, escalate_to: [] }]);
  });
});

describe("match.when is checked at upload", () => {
  it.each([
    ["a syntax error, plain scalar", "    match: { when: payload.amount > }\n", "CEL syntax error", 4, 36],
    ["a type error, quoted", '    match: { when: "payload.amount > 1 && topic + 1 == 2" }\n', "CEL type error: no such overload", 4, 43],
    ["an unknown variable", '    match: { when: "amount > 5" }\n', "Unknown variable: amount", 4, 21],
    ["a non-bool condition", '    match: { when: "topic" }\n', "must be a bool", 4, 21],
    ["an error on the second line of a block", "    match:\n      when: |\n        payload.amount > 1 &&\n        payload.currency ==\n", "CEL syntax error", 7, 28],
  ])("%s", (_name, match, message, line, column) => {
    const yaml = `version: v1\nrules:\n  - id: r\n${match}    decision: allow\n`;
    const result = parsePolicy(yaml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([expect.objectContaining({ path: "rules[0].match.when", line, column })]);
    expect(result.errors[0]?.message).toContain(message);
  });

  it("a rule without when keeps the snapshot shape it had", () => {
    const result = parsePolicy("version: v1\nrules:\n  - id: r\n    decision: allow\n");
    expect(result.ok && result.policy.rules[0]?.match).toEqual({ topics: [], risk_tags: [] });
  });
});
