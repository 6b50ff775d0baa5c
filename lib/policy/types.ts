// The shapes the rest of Countersign reads. A Policy here is always validated and defaults-filled
// (see parse.ts), so evaluation never has to guess at a missing field.

export type PolicyDecision = "allow" | "allow_with_constraints" | "require_approval" | "deny";
export type OnTimeout = "escalate" | "reject";

export interface Constraints {
  max_runtime_sec?: number;
  network_allowlist?: string[];
}

/** N distinct people, each holding at least one of `roles`. */
export interface Approvers {
  roles: string[];
  count: number;
}

/**
 * A rate or spend cap on an allow rule (DESIGN §2.1): the rule matches only while the job fits in what
 * is left over the sliding `window` of jobs it allowed, per submitting agent, per on_behalf_of or per tenant.
 */
export interface Budget {
  per: "agent" | "on_behalf_of" | "tenant";
  window: string;
  max_count?: number;
  /** `field` is a dotted path into the job, `payload.<key>[.<key>...]`. */
  max_sum?: { field: string; value: number };
}

export interface PolicyRule {
  id: string;
  /** `shadow`: evaluated and logged, never part of the outcome. Written only when set. */
  mode?: "shadow";
  budget?: Budget;
  /** `when` (a CEL condition) is written only when the rule has one. */
  match: { topics: string[]; risk_tags: string[]; when?: string };
  decision: PolicyDecision;
  reason?: string;
  approvers?: Approvers;
  sla?: string;
  cutoff?: string;
  on_timeout?: OnTimeout;
  escalate_to?: string[];
  constraints?: Constraints;
  summary?: { title?: string; next_effect?: string };
}

export interface Policy {
  version: "v1";
  defaults: {
    decision: "require_approval" | "deny";
    approvers: Approvers;
    sla?: string;
    cutoff: string;
    on_timeout: OnTimeout;
  };
  rules: PolicyRule[];
}

export interface Requirement {
  rule_id: string;
  roles: string[];
  count: number;
  escalate_to: string[];
}

export interface Evaluation {
  decision: PolicyDecision;
  /** First rule in file order having the winning decision; "default" when no rule matched. */
  rule_id: string;
  /** That rule's reason, or a default text naming the rule. */
  reason: string;
  /** All matching rules, file order. */
  /** `error`: the rule's `when` failed to evaluate, so it counts as at least require_approval. */
  matched_rules: { id: string; decision: PolicyDecision; reason: string | null; error?: string }[];
  /** Matching shadow rules, file order: what each would have made the job, never part of the outcome. */
  shadow: ShadowEntry[];
  /** Only for require_approval: one per matching require_approval rule (or "default"). */
  requirements: Requirement[];
  /** Strictest merge over matching allow_with_constraints rules; null for any other decision. */
  constraints: Constraints | null;
  /** Shortest sla among matching approval rules; null if none or not require_approval. */
  sla_sec: number | null;
  /** Shortest cutoff among matching approval rules, else defaults.cutoff. */
  cutoff_sec: number;
  /** Of the rule giving the shortest sla; "reject" if any tied rule says reject. */
  on_timeout: OnTimeout;
  /** Union (sorted, unique) over matching approval rules. */
  escalate_to: string[];
  summary: { title: string; why: string; next_effect: string };
}

/** A shadow rule's line in the decision log. */
export interface ShadowEntry {
  id: string;
  shadow: true;
  /** The rule's own decision (require_approval when its condition failed to evaluate). */
  decision: PolicyDecision;
  reason: string | null;
  /** The outcome had this rule alone been live, beside the live rules. */
  would_decide: PolicyDecision;
  disagreed: boolean;
  /** "shadow: would have required approval". */
  note: string;
  error?: string;
}
