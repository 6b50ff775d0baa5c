import { z } from "zod";
import { compilePolicy } from "./compile";
import { evaluate } from "./evaluate";
import { parsePolicy, parseYamlWith, type PolicyIssue } from "./parse";
import { RISK_TAG_RE } from "./schema";
import type { Constraints, PolicyDecision } from "./types";

// Policy tests (DESIGN §2.1): a YAML list of cases run against a policy with the pure engine, no
// database at all, so a policy can be tested in CI before it is uploaded (budgets count as unused).

const DECISION_NAMES = {
  allow: "ALLOW",
  allow_with_constraints: "ALLOW_WITH_CONSTRAINTS",
  require_approval: "REQUIRE_APPROVAL",
  deny: "DENY",
} as const satisfies Record<PolicyDecision, string>;
type DecisionName = (typeof DECISION_NAMES)[PolicyDecision];
const NAMES = Object.values(DECISION_NAMES) as [DecisionName, ...DecisionName[]];

/** Who submits a test job unless the case says: conditions on `requested_by` can name it. */
export const TEST_REQUESTED_BY = "agent:policy-test";

const requirement = z.strictObject({
  rule_id: z.string(),
  roles: z.array(z.string()),
  count: z.number().int().min(1),
});

const constraints = z.strictObject({
  max_runtime_sec: z.number().int().optional(),
  network_allowlist: z.array(z.string()).optional(),
});

const testCase = z.strictObject({
  name: z.string().min(1).max(200),
  job: z.strictObject({
    topic: z.string().min(1).max(200).regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/, "must be a topic: lowercase dot-separated segments"),
    risk_tags: z.array(z.string().regex(RISK_TAG_RE, "must match ^[a-z0-9_-]+$")).max(32).default([]),
    payload: z.record(z.string(), z.unknown()).default({}),
    labels: z.record(z.string(), z.string()).optional(),
    title: z.string().max(200).optional(),
    requested_by: z.string().min(1).max(320).optional(),
    on_behalf_of: z.string().max(320).optional(),
  }),
  expect: z.strictObject({
    // As the queue item spells it; the policy's own spelling (require_approval) is read the same.
    decision: z
      .string()
      .transform((d) => d.toUpperCase())
      .pipe(z.enum(NAMES, { error: `must be one of ${NAMES.join(", ")}` })),
    rule_id: z.string().optional(),
    requirements: z.array(requirement).optional(),
    constraints: constraints.nullable().optional(),
  }),
});

export const policyTestsSchema = z.array(testCase, { error: "the tests must be a YAML list of {name, job, expect}" }).max(1000);
export type PolicyTestCase = z.output<typeof testCase>;

export interface PolicyTestOutcome {
  decision: DecisionName;
  rule_id: string;
  requirements: { rule_id: string; roles: string[]; count: number }[];
  constraints: Constraints | null;
}

export interface PolicyTestResult {
  name: string;
  ok: boolean;
  expected: PolicyTestCase["expect"];
  actual: PolicyTestOutcome;
}

export interface PolicyTestReport {
  passed: number;
  failed: number;
  results: PolicyTestResult[];
}

export type RunPolicyTestsResult =
  | { ok: true; report: PolicyTestReport }
  | { ok: false; file: "policy" | "tests"; errors: PolicyIssue[] };

// Lists whose order carries no meaning compare as sets, so a test does not break on reordering.
const sorted = (xs: readonly string[]) => [...xs].sort();
const reqKey = (r: { rule_id: string; roles: readonly string[]; count: number }) => JSON.stringify([r.rule_id, sorted(r.roles), r.count]);
const constraintsKey = (c: Constraints | null) =>
  c === null ? "null" : JSON.stringify([c.max_runtime_sec ?? null, c.network_allowlist ? sorted(c.network_allowlist) : null]);

function passes(expected: PolicyTestCase["expect"], actual: PolicyTestOutcome): boolean {
  if (expected.decision !== actual.decision) return false;
  if (expected.rule_id !== undefined && expected.rule_id !== actual.rule_id) return false;
  if (expected.requirements !== undefined) {
    const want = expected.requirements.map(reqKey).sort();
    const got = actual.requirements.map(reqKey).sort();
    if (JSON.stringify(want) !== JSON.stringify(got)) return false;
  }
  if (expected.constraints !== undefined && constraintsKey(expected.constraints) !== constraintsKey(actual.constraints)) return false;
  return true;
}

/** Runs a tests file against a policy, both as YAML text. Pure: no I/O. */
export function runPolicyTests(policyYaml: string, testsYaml: string): RunPolicyTestsResult {
  const policy = parsePolicy(policyYaml);
  if (!policy.ok) return { ok: false, file: "policy", errors: policy.errors };
  const tests = parseYamlWith(testsYaml, policyTestsSchema);
  if (!tests.ok) return { ok: false, file: "tests", errors: tests.errors };

  const compiled = compilePolicy(policy.policy);
  const results = tests.value.map((t): PolicyTestResult => {
    const ev = evaluate(compiled, {
      topic: t.job.topic,
      risk_tags: [...new Set(t.job.risk_tags)].sort(),
      title: t.job.title ?? null,
      payload: t.job.payload,
      labels: t.job.labels ?? null,
      requested_by: t.job.requested_by ?? TEST_REQUESTED_BY,
      on_behalf_of: t.job.on_behalf_of ?? null,
    });
    const actual: PolicyTestOutcome = {
      decision: DECISION_NAMES[ev.decision],
      rule_id: ev.rule_id,
      requirements: ev.requirements.map((r) => ({ rule_id: r.rule_id, roles: r.roles, count: r.count })),
      constraints: ev.constraints,
    };
    return { name: t.name, ok: passes(t.expect, actual), expected: t.expect, actual };
  });
  const passed = results.filter((r) => r.ok).length;
  return { ok: true, report: { passed, failed: results.length - passed, results } };
}

/** One line a case, as the CLI prints them: `ok   name` / `FAIL name: expected …, got …`. */
export function formatPolicyTestResult(r: PolicyTestResult): string {
  if (r.ok) return `ok   ${r.name}`;
  const got = { decision: r.actual.decision, rule_id: r.actual.rule_id, requirements: r.actual.requirements, constraints: r.actual.constraints };
  return `FAIL ${r.name}: expected ${JSON.stringify(r.expected)}, got ${JSON.stringify(got)}`;
}
