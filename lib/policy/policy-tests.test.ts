import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GUIDE_POLICY_YAML } from "./default-policy";
import { runPolicyTests } from "./policy-tests";

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8");

describe("runPolicyTests", () => {
  it("passes the example refunds policy's own tests", () => {
    const r = runPolicyTests(example("refunds-policy.yaml"), example("refunds-policy.tests.yaml"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.failed).toBe(0);
    expect(r.report.passed).toBe(7);
  });

  it.each([
    ["the right decision", { decision: "ALLOW" }, true],
    ["the decision in the policy's spelling", { decision: "allow" }, true],
    ["the wrong decision", { decision: "DENY" }, false],
    ["the right rule", { decision: "ALLOW", rule_id: "allow-read" }, true],
    ["the wrong rule", { decision: "ALLOW", rule_id: "other" }, false],
    ["no requirements", { decision: "ALLOW", requirements: [] }, true],
    ["a requirement that is not there", { decision: "ALLOW", requirements: [{ rule_id: "x", roles: ["a"], count: 1 }] }, false],
    ["no constraints", { decision: "ALLOW", constraints: null }, true],
    ["constraints that are not there", { decision: "ALLOW", constraints: { max_runtime_sec: 5 } }, false],
  ])("compares %s", (_name, expectation, ok) => {
    const tests = JSON.stringify([{ name: "read", job: { topic: "job.db.read" }, expect: expectation }]);
    const r = runPolicyTests(GUIDE_POLICY_YAML, tests);
    expect(r.ok && r.report).toMatchObject({ passed: ok ? 1 : 0, failed: ok ? 0 : 1, results: [{ name: "read", ok }] });
    if (r.ok) expect(r.report.results[0]?.actual).toEqual({ decision: "ALLOW", rule_id: "allow-read", requirements: [], constraints: null });
  });

  it("compares requirements and allowlists as sets", () => {
    const tests = `
- name: egress
  job: { topic: job.http.fetch, risk_tags: [egress] }
  expect: { decision: ALLOW_WITH_CONSTRAINTS, constraints: { max_runtime_sec: 60, network_allowlist: [api.slack.com, api.github.com] } }
`;
    const r = runPolicyTests(GUIDE_POLICY_YAML, tests);
    expect(r.ok && r.report.passed).toBe(1);
  });

  it.each([
    ["a policy that does not validate", "version: v1\nrules:\n  - id: x\n    decision: perhaps\n", "[]", "policy", { path: "rules[0].decision", line: 4, column: 15 }],
    ["a tests file that is not a list", GUIDE_POLICY_YAML, "name: x\n", "tests", { path: "", line: 1, column: 1 }],
    ["a case with an unknown decision", GUIDE_POLICY_YAML, "- name: x\n  job: { topic: a.b }\n  expect: { decision: MAYBE }\n", "tests", { path: "[0].expect.decision", line: 3, column: 23 }],
    ["a case with an unknown key", GUIDE_POLICY_YAML, "- name: x\n  job: { topic: a.b, tpoic: c }\n  expect: { decision: DENY }\n", "tests", { path: "[0].job.tpoic", line: 2, column: 22 }],
    ["a tests file with a YAML syntax error", GUIDE_POLICY_YAML, "- name: x\n  job: [\n", "tests", { line: 3 }],
  ])("refuses %s with line and column", (_name, policy, tests, file, issue) => {
    const r = runPolicyTests(policy, tests);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.file).toBe(file);
    expect(r.errors[0]).toMatchObject(issue);
  });
});
