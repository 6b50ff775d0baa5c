import type { RawPolicy } from "./schema";
import type { Approvers, Budget, Constraints, Policy, PolicyRule } from "./types";

type RawRule = NonNullable<RawPolicy["rules"]>[number];
type Defaults = Policy["defaults"];

const DEFAULT_APPROVERS: Approvers = { roles: ["reviewer"], count: 1 };

// Lists are deduplicated but keep their written order: order carries no meaning for sets of
// tags or roles, and the snapshot id should not change because a name was written twice.
function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

function copyApprovers(a: Approvers): Approvers {
  return { roles: unique(a.roles), count: a.count };
}

function fillConstraints(c: Constraints): Constraints {
  const out: Constraints = {};
  if (c.max_runtime_sec !== undefined) out.max_runtime_sec = c.max_runtime_sec;
  if (c.network_allowlist !== undefined) out.network_allowlist = unique(c.network_allowlist);
  return out;
}

// Only defined keys are written, so "absent" has one representation and the canonical JSON
// (and with it the snapshot id) is the same however the YAML spelled it.
function fillRule(r: RawRule, defaults: Defaults): PolicyRule {
  const rule: PolicyRule = {
    id: r.id,
    match: { topics: unique(r.match?.topics ?? []), risk_tags: unique(r.match?.risk_tags ?? []) },
    decision: r.decision,
  };
  if (r.match?.when !== undefined) rule.match.when = r.match.when;
  if (r.mode !== undefined) rule.mode = r.mode;
  if (r.budget !== undefined) {
    const b: Budget = { per: r.budget.per, window: r.budget.window };
    if (r.budget.max_count !== undefined) b.max_count = r.budget.max_count;
    if (r.budget.max_sum !== undefined) b.max_sum = { field: r.budget.max_sum.field, value: r.budget.max_sum.value };
    rule.budget = b;
  }
  if (r.reason !== undefined) rule.reason = r.reason;
  if (r.decision === "require_approval") {
    rule.approvers = copyApprovers(r.approvers ?? defaults.approvers);
    rule.on_timeout = r.on_timeout ?? defaults.on_timeout;
  }
  if (r.sla !== undefined) rule.sla = r.sla;
  if (r.cutoff !== undefined) rule.cutoff = r.cutoff;
  if (r.escalate_to !== undefined) rule.escalate_to = unique(r.escalate_to);
  if (r.constraints !== undefined) rule.constraints = fillConstraints(r.constraints);
  if (r.summary !== undefined) {
    const summary: NonNullable<PolicyRule["summary"]> = {};
    if (r.summary.title !== undefined) summary.title = r.summary.title;
    if (r.summary.next_effect !== undefined) summary.next_effect = r.summary.next_effect;
    rule.summary = summary;
  }
  return rule;
}

/** The validated policy with every default written out (DESIGN §2). */
export function fillDefaults(raw: RawPolicy): Policy {
  const d = raw.defaults ?? {};
  const defaults: Defaults = {
    decision: d.decision ?? "require_approval",
    approvers: copyApprovers(d.approvers ?? DEFAULT_APPROVERS),
    cutoff: d.cutoff ?? "24h",
    on_timeout: d.on_timeout ?? "escalate",
  };
  if (d.sla !== undefined) defaults.sla = d.sla;
  return { version: "v1", defaults, rules: (raw.rules ?? []).map((r) => fillRule(r, defaults)) };
}
