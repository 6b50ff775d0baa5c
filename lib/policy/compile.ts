import type { CompiledBudget } from "./budget";
import { policyDurationSec } from "./duration";
import { addTopicGlob, createTopicTrie, type TopicTrie } from "./glob";
import { type CompiledTemplate, compileTemplate } from "./summary";
import type { Constraints, OnTimeout, Policy, PolicyDecision, Requirement } from "./types";
import { type CompiledWhen, compileWhen } from "./when";

export const DECISION_RANK: Record<PolicyDecision, number> = {
  allow: 0,
  allow_with_constraints: 1,
  require_approval: 2,
  deny: 3,
};

/** Everything evaluation needs about one rule, worked out once. */
export interface CompiledRule {
  readonly index: number;
  readonly id: string;
  readonly decision: PolicyDecision;
  readonly rank: number;
  readonly reason: string | null;
  /** Interned ids of the risk tags the job must all carry. */
  readonly tagIds: readonly number[];
  readonly requirement: Readonly<Requirement> | null;
  readonly slaSec: number | null;
  readonly cutoffSec: number;
  readonly onTimeout: OnTimeout;
  readonly constraints: Readonly<Constraints> | null;
  readonly title: CompiledTemplate | null;
  readonly nextEffect: CompiledTemplate | null;
  /** `match.when`, compiled; null for the (common) rule without one, which never touches CEL. */
  readonly when: CompiledWhen | null;
  /** `mode: shadow`: evaluated and logged, never part of the outcome. */
  readonly shadow: boolean;
  readonly budget: CompiledBudget | null;
  /**
   * What the rule counts as when its condition fails to evaluate (DESIGN §2.1): never an allow. An
   * allow rule becomes an approval rule asking the defaults' approvers; deny and approval rules stay.
   */
  readonly onWhenError: Omit<CompiledRule, "onWhenError" | "reason"> | null;
}

export interface CompiledPolicy {
  readonly policy: Policy;
  readonly rules: readonly CompiledRule[];
  readonly byId: ReadonlyMap<string, CompiledRule>;
  /** Whether any rule has a budget: without one, submission never counts anything. */
  readonly hasBudgets: boolean;
  /** Whether any rule is a shadow rule. */
  readonly hasShadow: boolean;
  readonly topics: TopicTrie;
  readonly tagIds: ReadonlyMap<string, number>;
  /** Rules without topic globs but with tags, filed under one of their tags. */
  readonly byTag: ReadonlyMap<number, readonly number[]>;
  /** Rules with neither topic globs nor tags: they match every job. */
  readonly always: readonly number[];
  readonly defaults: {
    readonly decision: "require_approval" | "deny";
    readonly requirement: Readonly<Requirement>;
    readonly slaSec: number | null;
    readonly cutoffSec: number;
    readonly onTimeout: OnTimeout;
  };
}

function intern(ids: Map<string, number>, tag: string): number {
  let id = ids.get(tag);
  if (id === undefined) {
    id = ids.size;
    ids.set(tag, id);
  }
  return id;
}

// A rule without topic globs is filed under the tag with the fewest rules so far, so one common
// tag ("prod") does not pull every rule that also needs it into each evaluation.
function fileUnderRarestTag(byTag: Map<number, number[]>, ruleTags: readonly number[], index: number): void {
  let bestTag = -1;
  let bestSize = Infinity;
  for (const t of ruleTags) {
    const size = byTag.get(t)?.length ?? 0;
    if (size < bestSize) [bestTag, bestSize] = [t, size];
  }
  const bucket = byTag.get(bestTag);
  if (bucket) bucket.push(index);
  else byTag.set(bestTag, [index]);
}

function whenErrorRule(rule: Omit<CompiledRule, "onWhenError">, d: Policy["defaults"]): CompiledRule["onWhenError"] {
  if (rule.rank >= DECISION_RANK.require_approval) return rule;
  return {
    ...rule,
    decision: "require_approval",
    rank: DECISION_RANK.require_approval,
    requirement: { rule_id: rule.id, roles: [...d.approvers.roles], count: d.approvers.count, escalate_to: [] },
    slaSec: d.sla === undefined ? null : policyDurationSec(d.sla),
    cutoffSec: policyDurationSec(d.cutoff),
    onTimeout: d.on_timeout,
    constraints: null,
    title: null,
    nextEffect: null,
  };
}

function compileBudget(b: NonNullable<Policy["rules"][number]["budget"]>): CompiledBudget {
  return {
    per: b.per,
    windowSec: policyDurationSec(b.window),
    maxCount: b.max_count ?? null,
    maxSum: b.max_sum ? { path: b.max_sum.field.split(".").slice(1), value: b.max_sum.value } : null,
  };
}

/** Compiles a validated, defaults-filled policy (from parsePolicy) for fast evaluation. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const d = policy.defaults;
  const defaultSla = d.sla === undefined ? null : policyDurationSec(d.sla);
  const defaultCutoff = policyDurationSec(d.cutoff);
  const tagIds = new Map<string, number>();
  const byTag = new Map<number, number[]>();
  const always: number[] = [];
  const topics = createTopicTrie();

  const rules = policy.rules.map((r, index): CompiledRule => {
    const ruleTags = [...new Set(r.match.risk_tags.map((t) => intern(tagIds, t)))];
    if (r.match.topics.length > 0) {
      for (const glob of r.match.topics) addTopicGlob(topics, glob, index);
    } else if (ruleTags.length > 0) {
      fileUnderRarestTag(byTag, ruleTags, index);
    } else {
      always.push(index);
    }
    const approval = r.decision === "require_approval";
    const approvers = r.approvers ?? d.approvers;
    const rule: Omit<CompiledRule, "onWhenError"> = {
      index,
      id: r.id,
      decision: r.decision,
      rank: DECISION_RANK[r.decision],
      reason: r.reason ?? null,
      tagIds: ruleTags,
      requirement: approval
        ? { rule_id: r.id, roles: [...approvers.roles], count: approvers.count, escalate_to: [...new Set(r.escalate_to ?? [])].sort() }
        : null,
      slaSec: r.sla !== undefined ? policyDurationSec(r.sla) : defaultSla,
      cutoffSec: r.cutoff !== undefined ? policyDurationSec(r.cutoff) : defaultCutoff,
      onTimeout: r.on_timeout ?? d.on_timeout,
      constraints: r.decision === "allow_with_constraints" ? (r.constraints ?? {}) : null,
      title: r.summary?.title !== undefined ? compileTemplate(r.summary.title) : null,
      nextEffect: r.summary?.next_effect !== undefined ? compileTemplate(r.summary.next_effect) : null,
      when: r.match.when !== undefined ? compileWhen(r.match.when) : null,
      shadow: r.mode === "shadow",
      budget: r.budget ? compileBudget(r.budget) : null,
    };
    return { ...rule, onWhenError: rule.when === null ? null : whenErrorRule(rule, d) };
  });

  return {
    policy,
    rules,
    byId: new Map(rules.map((r) => [r.id, r])),
    hasBudgets: rules.some((r) => r.budget !== null),
    hasShadow: rules.some((r) => r.shadow),
    topics,
    tagIds,
    byTag,
    always,
    defaults: {
      decision: d.decision,
      requirement: { rule_id: "default", roles: [...d.approvers.roles], count: d.approvers.count, escalate_to: [] },
      slaSec: defaultSla,
      cutoffSec: defaultCutoff,
      onTimeout: d.on_timeout,
    },
  };
}
