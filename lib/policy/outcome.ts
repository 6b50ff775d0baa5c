import type { CompiledRule } from "./compile";
import type { Constraints, OnTimeout, PolicyDecision, Requirement } from "./types";

export interface ApprovalOutcome {
  requirements: Requirement[];
  sla_sec: number | null;
  cutoff_sec: number;
  on_timeout: OnTimeout;
  escalate_to: string[];
}

/**
 * Folds the matching require_approval rules into one outcome: every rule adds a requirement
 * (all must be met), the shortest sla and cutoff apply, and the on_timeout of the rule whose sla
 * runs out first decides what happens then; on a tie, "reject" wins as the stricter.
 */
export function approvalOutcome(rules: readonly CompiledRule[]): ApprovalOutcome {
  const requirements: Requirement[] = [];
  const escalate = new Set<string>();
  let sla: number | null = null;
  let cutoff = Infinity;
  let onTimeout: OnTimeout | null = null;
  let anyReject = false;
  for (const r of rules) {
    const req = r.requirement;
    if (req === null) continue;
    requirements.push({ rule_id: req.rule_id, roles: [...req.roles], count: req.count, escalate_to: [...req.escalate_to] });
    for (const role of req.escalate_to) escalate.add(role);
    cutoff = Math.min(cutoff, r.cutoffSec);
    if (r.onTimeout === "reject") anyReject = true;
    if (r.slaSec === null) continue;
    if (sla === null || r.slaSec < sla) [sla, onTimeout] = [r.slaSec, r.onTimeout];
    else if (r.slaSec === sla && r.onTimeout === "reject") onTimeout = "reject";
  }
  return {
    requirements,
    sla_sec: sla,
    cutoff_sec: cutoff,
    // With no sla there is no due time, so on_timeout never fires; report the strictest anyway.
    on_timeout: onTimeout ?? (anyReject ? "reject" : "escalate"),
    escalate_to: [...escalate].sort(),
  };
}

/** Strictest merge: smallest max_runtime_sec, intersection of the allowlists that are set. */
export function mergeConstraints(rules: readonly CompiledRule[]): Constraints {
  let runtime: number | undefined;
  let allow: Set<string> | undefined;
  for (const r of rules) {
    const c = r.constraints;
    if (c === null) continue;
    if (c.max_runtime_sec !== undefined) runtime = Math.min(runtime ?? Infinity, c.max_runtime_sec);
    if (c.network_allowlist !== undefined) {
      const prev = allow;
      allow = new Set(prev === undefined ? c.network_allowlist : c.network_allowlist.filter((h) => prev.has(h)));
    }
  }
  const merged: Constraints = {};
  if (runtime !== undefined) merged.max_runtime_sec = runtime;
  if (allow !== undefined) merged.network_allowlist = [...allow].sort();
  return merged;
}

/**
 * The stricter of two constraint sets, as a re-decided job keeps them (null: none): the smaller
 * max_runtime_sec, the intersection of the allowlists that are set. Constraints only ever tighten.
 */
export function stricterConstraints(a: Constraints | null, b: Constraints | null): Constraints | null {
  if (a === null || b === null) return a ?? b;
  const merged: Constraints = {};
  const runtimes = [a.max_runtime_sec, b.max_runtime_sec].filter((n): n is number => n !== undefined);
  if (runtimes.length > 0) merged.max_runtime_sec = Math.min(...runtimes);
  const [x, y] = [a.network_allowlist, b.network_allowlist];
  if (x !== undefined || y !== undefined) {
    merged.network_allowlist = x === undefined ? [...y!] : y === undefined ? [...x] : x.filter((h) => y.includes(h));
    merged.network_allowlist.sort();
  }
  return merged;
}

/** What the summary and decision log say when the deciding rule gives no reason of its own. */
export function defaultReason(decision: PolicyDecision, ruleId: string | null): string {
  if (ruleId === null) {
    return decision === "deny"
      ? "No policy rule matched; the policy denies unmatched actions"
      : "No policy rule matched; the policy requires approval for unmatched actions";
  }
  switch (decision) {
    case "allow":
      return `Allowed by policy rule ${ruleId}`;
    case "allow_with_constraints":
      return `Allowed within constraints by policy rule ${ruleId}`;
    case "require_approval":
      return `Approval required by policy rule ${ruleId}`;
    case "deny":
      return `Denied by policy rule ${ruleId}`;
  }
}

export const DEFAULT_NEXT_EFFECT: Record<PolicyDecision, string> = {
  allow: "The agent may run {{topic}} now",
  allow_with_constraints: "The agent may run {{topic}} now, within its constraints",
  require_approval: "Approve to let the agent run {{topic}}",
  deny: "The agent may not run {{topic}}",
};
