import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY_YAML, GUIDE_POLICY_YAML } from "./default-policy";
import { type CompiledPolicy, evaluate as evaluateJob, type EvaluationJob } from "./evaluate";
import { compileYaml as compile } from "./compile-yaml.test-support";
import { stricterConstraints } from "./outcome";

// These cases are about topics, tags and outcomes; the job's other fields are blank.
type Job = Pick<EvaluationJob, "topic" | "risk_tags" | "title">;
const evaluate = (c: CompiledPolicy, job: Job) => evaluateJob(c, { payload: {}, labels: null, requested_by: "agent:test", on_behalf_of: null, ...job });

const shipped = compile(DEFAULT_POLICY_YAML);
const guide = compile(GUIDE_POLICY_YAML);
const ids = (c: CompiledPolicy, topic: string, risk_tags: string[] = []) => evaluate(c, { topic, risk_tags }).matched_rules.map((r) => r.id);

describe("the guide's risk tiers, with the shipped policy", () => {
  it.each([
    ["read-only search", "job.search.read", [], "allow", "allow-read", []],
    ["internal ticket update", "job.ticket.update", [], "allow_with_constraints", "ticket-update", []],
    ["production config change", "job.config.update", ["prod", "write"], "require_approval", "prod-write-gate", [{ rule_id: "prod-write-gate", roles: ["service-owner", "oncall"], count: 1 }]],
    ["payment", "job.payments.refund", ["payment"], "require_approval", "payment-gate", [{ rule_id: "payment-gate", roles: ["finance"], count: 2 }]],
    ["access grant", "job.iam.grant", ["access"], "require_approval", "access-grant-gate", [{ rule_id: "access-grant-gate", roles: ["security"], count: 2 }]],
    ["destructive delete", "job.storage.delete", ["destructive"], "require_approval", "destructive-delete-gate", [{ rule_id: "destructive-delete-gate", roles: ["service-owner", "oncall"], count: 2 }]],
    ["db drop on prod", "job.db.drop", ["prod", "write"], "deny", "no-prod-drop", []],
  ])("%s: %s %j is %s", (_name, topic, risk_tags, decision, rule_id, requirements) => {
    const e = evaluate(shipped, { topic, risk_tags });
    expect(e).toMatchObject({ decision, rule_id });
    expect(e.requirements).toEqual(requirements.map((r) => expect.objectContaining(r)));
  });

  it("constrains the ticket update", () => {
    expect(evaluate(shipped, { topic: "job.ticket.update", risk_tags: [] }).constraints).toEqual({ max_runtime_sec: 30 });
  });

  it("denies the prod db drop while still listing the approval rule it also matched", () => {
    expect(ids(shipped, "job.db.drop", ["prod", "write"])).toEqual(["prod-write-gate", "no-prod-drop"]);
  });
});

describe("the guide's own four rules", () => {
  it("a read topic carrying prod+write tags needs approval; allow-read still matched", () => {
    const e = evaluate(guide, { topic: "job.db.read", risk_tags: ["prod", "write"] });
    expect(e.decision).toBe("require_approval");
    expect(e.rule_id).toBe("prod-write-gate");
    expect(e.reason).toBe("Production writes require human approval");
    expect(e.matched_rules).toEqual([
      { id: "allow-read", decision: "allow", reason: null },
      { id: "prod-write-gate", decision: "require_approval", reason: "Production writes require human approval" },
    ]);
    expect(e.requirements).toEqual([{ rule_id: "prod-write-gate", roles: ["reviewer"], count: 1, escalate_to: [] }]);
  });

  it.each([
    ["job.db.read", [], "allow", "allow-read"],
    ["job.http.fetch", ["egress"], "allow_with_constraints", "egress-bounded"],
    ["job.payments.refund", ["payment"], "require_approval", "payment-gate"],
    ["job.unknown.thing", [], "require_approval", "default"],
  ])("%s %j is %s by %s", (topic, risk_tags, decision, rule_id) => {
    expect(evaluate(guide, { topic, risk_tags })).toMatchObject({ decision, rule_id });
  });

  it("a payment in production needs both requirements", () => {
    const e = evaluate(shipped, { topic: "job.deploy.release", risk_tags: ["prod", "write", "payment"] });
    expect(e.decision).toBe("require_approval");
    expect(e.rule_id).toBe("prod-write-gate");
    expect(e.requirements.map((r) => [r.rule_id, r.roles, r.count])).toEqual([
      ["prod-write-gate", ["service-owner", "oncall"], 1],
      ["payment-gate", ["finance"], 2],
    ]);
  });
});

describe("matching", () => {
  const globs = compile(`version: v1
rules:
  - { id: deploy-one, match: { topics: ["job.deploy.*"] }, decision: allow }
  - { id: job-any, match: { topics: ["job.**"] }, decision: allow }
  - { id: two-globs, match: { topics: ["job.deploy.web", "job.**.web"] }, decision: allow }
`);
  it.each([
    ["job.deploy", ["job-any"]],
    ["job.deploy.web", ["deploy-one", "job-any", "two-globs"]],
    ["job.deploy.web.eu", ["job-any"]],
    ["job.a.b.web", ["job-any", "two-globs"]],
    ["job", []],
    ["other.deploy.web", []],
  ])("%s matches %j", (topic, expected) => {
    expect(ids(globs, topic)).toEqual(expected);
  });

  const tags = compile(`version: v1
rules:
  - { id: prod-write, match: { risk_tags: [prod, write] }, decision: allow }
  - { id: prod-db, match: { topics: ["db.*"], risk_tags: [prod] }, decision: allow }
  - { id: everything, match: {}, decision: allow }
  - { id: no-match-key, decision: allow }
`);
  it.each([
    ["x", [], ["everything", "no-match-key"]],
    ["x", ["prod"], ["everything", "no-match-key"]],
    ["x", ["write", "prod"], ["prod-write", "everything", "no-match-key"]],
    ["x", ["prod", "write", "write", "extra"], ["prod-write", "everything", "no-match-key"]],
    ["db.main", ["prod"], ["prod-db", "everything", "no-match-key"]],
    ["db.main", ["write"], ["everything", "no-match-key"]],
  ])("%s %j needs every tag of a rule: %j", (topic, risk_tags, expected) => {
    expect(ids(tags, topic, risk_tags)).toEqual(expected);
  });
});

describe("the strongest decision wins", () => {
  const policy = (a: string, b: string) =>
    compile(`version: v1\nrules:\n  - { id: first, match: { topics: [t] }, decision: ${a} }\n  - { id: second, match: { topics: [t] }, decision: ${b} }\n`);
  it.each([
    ["allow", "deny", "deny", "second"],
    ["deny", "allow", "deny", "first"],
    ["allow", "require_approval", "require_approval", "second"],
    ["allow_with_constraints", "allow", "allow_with_constraints", "first"],
    ["require_approval", "allow_with_constraints", "require_approval", "first"],
    ["require_approval", "require_approval", "require_approval", "first"],
    ["deny", "require_approval", "deny", "first"],
  ])("%s then %s: %s by %s", (a, b, decision, rule_id) => {
    const e = evaluate(policy(a, b), { topic: "t", risk_tags: [] });
    expect(e).toMatchObject({ decision, rule_id });
    expect(e.matched_rules.map((r) => r.id)).toEqual(["first", "second"]);
    if (decision !== "require_approval") expect(e.requirements).toEqual([]);
  });
});

describe("no rule matches: fail closed", () => {
  it.each([
    ["version: v1\n", "require_approval", [{ rule_id: "default", roles: ["reviewer"], count: 1, escalate_to: [] }]],
    ["version: v1\ndefaults: { approvers: { roles: [lead], count: 2 } }\n", "require_approval", [{ rule_id: "default", roles: ["lead"], count: 2, escalate_to: [] }]],
    ["version: v1\ndefaults: { decision: deny }\n", "deny", []],
  ])("%j gives %s", (yaml, decision, requirements) => {
    const e = evaluate(compile(yaml), { topic: "job.x", risk_tags: ["prod"] });
    expect(e).toMatchObject({ decision, rule_id: "default", matched_rules: [], requirements, constraints: null });
    expect(e.reason).toMatch(/No policy rule matched/);
  });

  it("uses the defaults' sla, cutoff and on_timeout", () => {
    const e = evaluate(compile("version: v1\ndefaults: { sla: 20m, cutoff: 2h, on_timeout: reject }\n"), { topic: "a", risk_tags: [] });
    expect(e).toMatchObject({ sla_sec: 1200, cutoff_sec: 7200, on_timeout: "reject", escalate_to: [] });
  });
});

describe("constraints merge to the strictest", () => {
  const policy = compile(`version: v1
rules:
  - { id: a, match: { risk_tags: [a] }, decision: allow_with_constraints, constraints: { max_runtime_sec: 60, network_allowlist: [x.com, y.com, z.com] } }
  - { id: b, match: { risk_tags: [b] }, decision: allow_with_constraints, constraints: { max_runtime_sec: 30, network_allowlist: [z.com, y.com, w.com] } }
  - { id: c, match: { risk_tags: [c] }, decision: allow_with_constraints, constraints: { max_runtime_sec: 10 } }
  - { id: d, match: { risk_tags: [d] }, decision: allow_with_constraints }
  - { id: gate, match: { risk_tags: [gate] }, decision: require_approval }
  - { id: read, match: { risk_tags: [read] }, decision: allow }
`);
  it.each([
    [["a"], { max_runtime_sec: 60, network_allowlist: ["x.com", "y.com", "z.com"] }],
    [["a", "b"], { max_runtime_sec: 30, network_allowlist: ["y.com", "z.com"] }],
    [["a", "c"], { max_runtime_sec: 10, network_allowlist: ["x.com", "y.com", "z.com"] }],
    [["c", "d"], { max_runtime_sec: 10 }],
    [["d"], {}],
    [["d", "read"], {}],
    [["a", "gate"], null],
    [["read"], null],
  ])("tags %j: %j", (risk_tags, constraints) => {
    expect(evaluate(policy, { topic: "t", risk_tags }).constraints).toEqual(constraints);
  });
});

describe("sla, cutoff and on_timeout across approval rules", () => {
  const policy = compile(`version: v1
defaults: { sla: 45m, cutoff: 12h }
rules:
  - { id: slow, match: { risk_tags: [slow] }, decision: require_approval, sla: 60m, cutoff: 8h, on_timeout: reject, escalate_to: [vp, cto] }
  - { id: fast, match: { risk_tags: [fast] }, decision: require_approval, sla: 10m, cutoff: 2h, escalate_to: [vp, lead] }
  - { id: tie, match: { risk_tags: [tie] }, decision: require_approval, sla: 10m, on_timeout: reject }
  - { id: plain, match: { risk_tags: [plain] }, decision: require_approval }
  - { id: stop, match: { risk_tags: [stop] }, decision: deny }
`);
  it.each([
    [["slow"], 3600, 28_800, "reject", ["cto", "vp"]],
    [["slow", "fast"], 600, 7200, "escalate", ["cto", "lead", "vp"]],
    [["fast", "tie"], 600, 7200, "reject", ["lead", "vp"]],
    [["plain"], 2700, 43_200, "escalate", []],
    [["slow", "plain"], 2700, 28_800, "escalate", ["cto", "vp"]],
    [["slow", "stop"], null, 43_200, "escalate", []],
  ])("tags %j: sla %s, cutoff %s, %s, escalate to %j", (risk_tags, sla_sec, cutoff_sec, on_timeout, escalate_to) => {
    expect(evaluate(policy, { topic: "t", risk_tags })).toMatchObject({ sla_sec, cutoff_sec, on_timeout, escalate_to });
  });

  it("has no sla when no rule or default sets one", () => {
    expect(evaluate(guide, { topic: "job.x", risk_tags: ["payment"] }).sla_sec).toBeNull();
  });
});

describe("decision summary", () => {
  const policy = compile(`version: v1
rules:
  - id: tpl
    match: { topics: [tpl] }
    decision: require_approval
    reason: "Templated"
    summary: { title: "{{title}} on {{ topic }} ({{rule_id}})", next_effect: "Approve to run {{topic}}" }
  - { id: plain, match: { topics: [plain] }, decision: require_approval, reason: "Plain" }
  - { id: open, match: { topics: [open] }, decision: allow }
  - { id: bounded, match: { topics: [bounded] }, decision: allow_with_constraints }
  - { id: stop, match: { topics: [stop] }, decision: deny }
`);
  it.each([
    ["tpl", "Ship it", { title: "Ship it on tpl (tpl)", why: "Templated", next_effect: "Approve to run tpl" }],
    ["tpl", null, { title: "tpl on tpl (tpl)", why: "Templated", next_effect: "Approve to run tpl" }],
    ["plain", "Ship it", { title: "Ship it", why: "Plain", next_effect: "Approve to let the agent run plain" }],
    ["plain", "  ", { title: "Review plain", why: "Plain", next_effect: "Approve to let the agent run plain" }],
    ["plain", "Use {{topic}} literally", { title: "Use {{topic}} literally", why: "Plain", next_effect: "Approve to let the agent run plain" }],
    ["open", null, { title: "Review open", why: "Allowed by policy rule open", next_effect: "The agent may run open now" }],
    ["bounded", null, { title: "Review bounded", why: "Allowed within constraints by policy rule bounded", next_effect: "The agent may run bounded now, within its constraints" }],
    ["stop", null, { title: "Review stop", why: "Denied by policy rule stop", next_effect: "The agent may not run stop" }],
    ["none", null, { title: "Review none", why: "No policy rule matched; the policy requires approval for unmatched actions", next_effect: "Approve to let the agent run none" }],
  ])("%s with title %j", (topic, title, summary) => {
    const e = evaluate(policy, { topic, risk_tags: [], title });
    expect(e.summary).toEqual(summary);
    expect(e.reason).toBe(summary.why);
  });

  it("comes from the shipped prod-write-gate as the guide shows it", () => {
    const e = evaluate(shipped, { topic: "job.config.update", risk_tags: ["prod", "write"], title: "Update config" });
    expect(e.summary).toEqual({
      title: "Review production change: job.config.update",
      why: "Production writes require human approval",
      next_effect: "Approve to continue deployment workflow",
    });
  });
});

describe("a generated 1,000-rule policy", () => {
  const decisions = ["allow", "allow_with_constraints", "require_approval", "deny"] as const;
  const rules = Array.from({ length: 1000 }, (_, i) => {
    const decision = decisions[i % 4] ?? "allow";
    const extra = decision === "allow_with_constraints" ? `, constraints: { max_runtime_sec: ${i + 1} }` : "";
    return `  - { id: r${i}, match: { topics: ["svc${i % 10}.op${i}.*", "svc${i % 10}.**.only${i}"], risk_tags: [t${i % 7}] }, decision: ${decision}${extra} }`;
  });
  const big = compile(`version: v1\nrules:\n${rules.join("\n")}\n  - { id: prod-any, match: { risk_tags: [prod, t3] }, decision: require_approval }\n`);

  it.each(Array.from({ length: 1000 }, (_, i) => i).filter((i) => i % 37 === 0))("rule r%i matches only its own topics", (i) => {
    const tag = `t${i % 7}`;
    const e = evaluate(big, { topic: `svc${i % 10}.op${i}.run`, risk_tags: [tag] });
    expect(e.matched_rules.map((r) => r.id)).toEqual([`r${i}`]);
    expect(e.decision).toBe(decisions[i % 4]);
    expect(evaluate(big, { topic: `svc${i % 10}.a.b.only${i}`, risk_tags: [tag, "x"] }).rule_id).toBe(`r${i}`);
    expect(evaluate(big, { topic: `svc${i % 10}.op${i}.run`, risk_tags: ["t-none"] }).rule_id).toBe("default");
  });

  it("adds a tag-only rule on top of a topic rule", () => {
    const e = evaluate(big, { topic: "svc2.op2.run", risk_tags: ["t2", "t3", "prod"] });
    expect(e.matched_rules.map((r) => r.id)).toEqual(["r2", "prod-any"]);
    expect(e.decision).toBe("require_approval");
    expect(e.requirements.map((r) => r.rule_id)).toEqual(["r2", "prod-any"]);
  });
});

describe("stricterConstraints: what a re-decided job keeps", () => {
  it.each([
    [null, null, null],
    [null, { max_runtime_sec: 60 }, { max_runtime_sec: 60 }],
    [{ network_allowlist: ["a.example", "b.example"] }, null, { network_allowlist: ["a.example", "b.example"] }],
    [{ max_runtime_sec: 60 }, { max_runtime_sec: 30, network_allowlist: ["a.example"] }, { max_runtime_sec: 30, network_allowlist: ["a.example"] }],
    [{ network_allowlist: ["a.example", "b.example"] }, { network_allowlist: ["b.example", "c.example"] }, { network_allowlist: ["b.example"] }],
    [{}, {}, {}],
  ])("%j with %j → %j", (a, b, out) => {
    expect(stricterConstraints(a, b)).toEqual(out);
    expect(stricterConstraints(b, a)).toEqual(out);
  });
});
