import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY_YAML, GUIDE_POLICY_YAML } from "./default-policy";
import { formatIssues, type PolicyIssue, parsePolicy } from "./parse";
import type { Policy } from "./types";

function issuesOf(yaml: string): PolicyIssue[] {
  const result = parsePolicy(yaml);
  if (result.ok) throw new Error("expected the policy to be refused");
  return result.errors;
}

function policyOf(yaml: string): Policy {
  const result = parsePolicy(yaml);
  if (!result.ok) throw new Error(formatIssues(result.errors));
  return result.policy;
}

const rule = (body: string) => `version: v1\nrules:\n  - id: a\n${body}`;

describe("parsePolicy: refused policies say where", () => {
  it.each([
    ["unknown key in a rule", rule("    decision: allow\n    reason: x\n    priority: 3\n"), "rules[0].priority", 6, 5, 'unknown key "priority"'],
    ["unknown key at the top", "version: v1\nrule: []\n", "rule", 2, 1, 'unknown key "rule"'],
    ["unknown key in a flow mapping", rule("    decision: allow\n    match: { topics: [job.*], risk_tag: [x] }\n"), "rules[0].match.risk_tag", 5, 31, 'unknown key "risk_tag"'],
    ["bad decision", rule("    decision: maybe\n"), "rules[0].decision", 4, 15, "must be one of allow, allow_with_constraints, require_approval, deny"],
    ["missing decision", rule("    reason: x\n"), "rules[0].decision", 3, 5, "is required"],
    ["defaults.decision allow (fail closed)", "version: v1\ndefaults:\n  decision: allow\n", "defaults.decision", 3, 13, "must be require_approval or deny"],
    ["bad sla duration", rule("    decision: require_approval\n    sla: 1h30m\n"), "rules[0].sla", 5, 10, "must be a duration"],
    ["bad defaults cutoff", "version: v1\ndefaults:\n  cutoff: 0h\n", "defaults.cutoff", 3, 11, "must be a duration"],
    ["cutoff beyond 365d (every deadline stays a storable timestamp)", rule("    decision: require_approval\n    cutoff: 3000000d\n"), "rules[0].cutoff", 5, 13, "at most 365d"],
    ["defaults cutoff beyond 365d", "version: v1\ndefaults:\n  cutoff: 999999999d\n", "defaults.cutoff", 3, 11, "at most 365d"],
    ["sla of 366d", rule("    decision: require_approval\n    sla: 366d\n"), "rules[0].sla", 5, 10, "at most 365d"],
    ["defaults sla of 8761h", "version: v1\ndefaults:\n  sla: 8761h\n", "defaults.sla", 3, 8, "at most 365d"],
    ["cutoff of 31536001s", rule("    decision: require_approval\n    cutoff: 31536001s\n"), "rules[0].cutoff", 5, 13, "at most 365d"],
    ["wrong version", "version: v2\nrules: []\n", "version", 1, 10, 'must be "v1"'],
    ["missing version", "rules: []\n", "version", 1, 1, "is required"],
    ["bad rule id", "version: v1\nrules:\n  - id: Prod_Gate\n    decision: deny\n", "rules[0].id", 3, 9, "must match"],
    ["reserved rule id", "version: v1\nrules:\n  - id: default\n    decision: deny\n", "rules[0].id", 3, 9, "reserved"],
    ["duplicate rule id", rule("    decision: deny\n  - id: a\n    decision: allow\n"), "rules[1].id", 5, 9, 'duplicate rule id "a"'],
    ["bad topic glob", rule("    decision: deny\n    match:\n      topics: [job.*, Job.Deploy]\n"), "rules[0].match.topics[1]", 6, 23, "must be a topic glob"],
    ["partial-segment wildcard", rule("    decision: deny\n    match:\n      topics: [job.dep*]\n"), "rules[0].match.topics[0]", 6, 16, "must be a topic glob"],
    ["bad risk tag", rule("    decision: deny\n    match:\n      risk_tags: [prod, Write]\n"), "rules[0].match.risk_tags[1]", 6, 25, "must match"],
    ["approvers count 0", rule("    decision: require_approval\n    approvers: { roles: [finance], count: 0 }\n"), "rules[0].approvers.count", 5, 43, "at least 1"],
    ["approvers count 21", rule("    decision: require_approval\n    approvers: { roles: [finance], count: 21 }\n"), "rules[0].approvers.count", 5, 43, "at most 20"],
    ["approvers count 1.5", rule("    decision: require_approval\n    approvers: { roles: [finance], count: 1.5 }\n"), "rules[0].approvers.count", 5, 43, "whole number"],
    ["no roles", rule("    decision: require_approval\n    approvers: { roles: [], count: 1 }\n"), "rules[0].approvers.roles", 5, 25, "at least one role"],
    ["approvers on an allow rule", rule("    decision: allow\n    approvers: { roles: [x], count: 1 }\n"), "rules[0].approvers", 5, 16, "only applies to require_approval"],
    ["constraints on a deny rule", rule("    decision: deny\n    constraints: { max_runtime_sec: 5 }\n"), "rules[0].constraints", 5, 18, "only applies to allow_with_constraints"],
    ["unknown template placeholder", rule("    decision: deny\n    summary: { title: 'Stop {{agent}}' }\n"), "rules[0].summary.title", 5, 23, "unknown placeholder {{agent}}"],
    ["a policy that is not a mapping", "- a\n- b\n", "", 1, 1, "must be a YAML mapping"],
    // Numbers JSON cannot carry exactly are refused for what they are, not rounded and then judged.
    ["count beyond 2^53 − 1", rule("    decision: require_approval\n    approvers: { roles: [finance], count: 12345678901234567890 }\n"), "rules[0].approvers.count", 5, 43, "beyond ±(2^53−1)"],
    ["count that underflows", rule("    decision: require_approval\n    approvers: { roles: [finance], count: 1e-400 }\n"), "rules[0].approvers.count", 5, 43, "underflows to 0"],
    ["max_runtime_sec that overflows", rule("    decision: allow_with_constraints\n    constraints:\n      max_runtime_sec: 1e999\n"), "rules[0].constraints.max_runtime_sec", 6, 24, "overflows"],
    ["a .nan", rule("    decision: allow_with_constraints\n    constraints: { max_runtime_sec: .nan }\n"), "rules[0].constraints.max_runtime_sec", 5, 37, "not a number"],
    ["a number in a list", rule("    decision: deny\n    match:\n      topics: [job.a, -9007199254740993]\n"), "rules[0].match.topics[1]", 6, 23, "beyond"],
    ["a number as a key", "version: v1\n12345678901234567890: x\n", "12345678901234567890", 2, 1, "beyond"],
    ["an empty document", "", "", 1, 1, "must be a YAML mapping"],
  ])("%s", (_name, yaml, path, line, column, message) => {
    const issue = issuesOf(yaml).find((i) => i.path === path);
    expect(issue, JSON.stringify(issuesOf(yaml))).toBeDefined();
    expect(issue).toMatchObject({ line, column });
    expect(issue?.message).toContain(message);
  });

  it.each([
    ["tab indentation", "version: v1\n\trules: []\n", 2, 1, "Tabs are not allowed"],
    ["nested compact mapping", "version: v1\nrules: a: b\n", 2, 8, "Nested mappings are not allowed"],
    ["duplicate key", "version: v1\nversion: v1\n", 2, 1, "Map keys must be unique"],
  ])("YAML syntax error: %s", (_name, yaml, line, column, message) => {
    const [first] = issuesOf(yaml);
    expect(first).toMatchObject({ path: "", line, column });
    expect(first?.message).toContain(message);
    expect(first?.message).not.toMatch(/at line \d+/);
  });

  it("reports every problem at once, in document order", () => {
    const errors = issuesOf("version: v1\ndefaults:\n  decision: allow\nrules:\n  - id: a\n    decision: nope\n");
    expect(errors.map((e) => [e.path, e.line])).toEqual([
      ["defaults.decision", 3],
      ["rules[0].decision", 6],
    ]);
  });

  it("formats issues one a line with line:column and path", () => {
    const text = formatIssues([
      { path: "rules[0].decision", message: "must be one of x", line: 4, column: 15 },
      { path: "", message: "Tabs are not allowed", line: 2, column: 1 },
    ]);
    expect(text).toBe("4:15 rules[0].decision: must be one of x\n2:1 (document): Tabs are not allowed");
  });
});

describe("parsePolicy: accepted policies are filled in", () => {
  it.each([
    ["the shipped default policy", DEFAULT_POLICY_YAML, 8],
    ["the guide's four-rule policy", GUIDE_POLICY_YAML, 4],
  ])("%s loads unchanged", (_name, yaml, rules) => {
    expect(policyOf(yaml).rules).toHaveLength(rules);
  });

  it("fills the defaults of a minimal policy", () => {
    expect(policyOf("version: v1\n")).toEqual({
      version: "v1",
      defaults: { decision: "require_approval", approvers: { roles: ["reviewer"], count: 1 }, cutoff: "24h", on_timeout: "escalate" },
      rules: [],
    });
  });

  it("fills approval rules from the defaults and leaves other rules bare", () => {
    const policy = policyOf(`version: v1
defaults:
  approvers: { roles: [lead], count: 2 }
  on_timeout: reject
  sla: 15m
rules:
  - id: gate
    decision: require_approval
  - id: open
    match: { topics: ~ }
    decision: allow
`);
    expect(policy.defaults).toEqual({ decision: "require_approval", approvers: { roles: ["lead"], count: 2 }, sla: "15m", cutoff: "24h", on_timeout: "reject" });
    expect(policy.rules).toEqual([
      { id: "gate", match: { topics: [], risk_tags: [] }, decision: "require_approval", approvers: { roles: ["lead"], count: 2 }, on_timeout: "reject" },
      { id: "open", match: { topics: [], risk_tags: [] }, decision: "allow" },
    ]);
  });

  it("keeps the guide's rules as written and fills what it leaves out", () => {
    const guide = policyOf(GUIDE_POLICY_YAML);
    expect(guide.defaults.decision).toBe("require_approval");
    expect(guide.rules.find((r) => r.id === "payment-gate")).toEqual({
      id: "payment-gate",
      match: { topics: [], risk_tags: ["payment"] },
      decision: "require_approval",
      reason: "Financial operations require dual approval",
      approvers: { roles: ["reviewer"], count: 1 },
      on_timeout: "escalate",
    });
    expect(guide.rules.find((r) => r.id === "egress-bounded")?.constraints).toEqual({
      max_runtime_sec: 60,
      network_allowlist: ["api.github.com", "api.slack.com"],
    });
  });

  it("accepts durations up to 365d in every unit", () => {
    const policy = policyOf("version: v1\ndefaults:\n  sla: 8760h\n  cutoff: 365d\nrules:\n  - id: a\n    decision: require_approval\n    sla: 525600m\n    cutoff: 31536000s\n");
    expect(policy.defaults).toMatchObject({ sla: "8760h", cutoff: "365d" });
  });

  it("removes repeated names from lists without reordering them", () => {
    const policy = policyOf(rule("    decision: require_approval\n    match: { risk_tags: [prod, write, prod] }\n    approvers: { roles: [oncall, owner, oncall], count: 2 }\n"));
    expect(policy.rules[0]?.match.risk_tags).toEqual(["prod", "write"]);
    expect(policy.rules[0]?.approvers?.roles).toEqual(["oncall", "owner"]);
  });
});
