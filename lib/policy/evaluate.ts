import type { CompiledPolicy, CompiledRule } from "./compile";
import { matchTopic } from "./glob";
import { type ApprovalOutcome, approvalOutcome, DEFAULT_NEXT_EFFECT, defaultReason, mergeConstraints } from "./outcome";
import { compileTemplate, renderTemplate, type TemplateVar } from "./summary";
import type { Evaluation, PolicyDecision, ShadowEntry } from "./types";
import type { WhenVars } from "./when";

export { compilePolicy, type CompiledPolicy } from "./compile";

/**
 * What a policy reads of a job. Everything a `match.when` condition may name is required, so a caller
 * cannot forget a field and have a condition silently read it as missing.
 */
export interface EvaluationJob {
  topic: string;
  risk_tags: readonly string[];
  title?: string | null;
  payload: Record<string, unknown>;
  labels: Record<string, string> | null;
  requested_by: string;
  on_behalf_of: string | null;
}

/** A matching rule; `error` when it counts only because its condition failed to evaluate. */
type MatchedRule = CompiledRule & { readonly error?: string };

function whenVars(job: EvaluationJob): WhenVars {
  const vars: WhenVars = { topic: job.topic, risk_tags: job.risk_tags, payload: job.payload, labels: job.labels ?? {}, requested_by: job.requested_by };
  if (job.on_behalf_of !== null) vars.on_behalf_of = job.on_behalf_of;
  return vars;
}

// A condition that errs never lets the job through (DESIGN §2.1): the rule counts as at least an
// approval rule, and the error goes to the decision log (its reason and its matched_rules entry).
function erred(rule: CompiledRule, error: string): MatchedRule {
  const as = rule.onWhenError!;
  const base = as.decision === rule.decision && rule.reason !== null ? rule.reason : defaultReason(as.decision, rule.id);
  return { ...as, onWhenError: null, reason: `${base}: its condition could not be evaluated (${error})`, error };
}

const DEFAULT_TITLE = compileTemplate("Review {{topic}}");
const NEXT_EFFECT = Object.fromEntries(
  Object.entries(DEFAULT_NEXT_EFFECT).map(([d, text]) => [d, compileTemplate(text)]),
) as Record<PolicyDecision, readonly string[]>;

/** Ids of the job's tags that some rule asks for; other tags cannot change any outcome. */
function carriedTagIds(compiled: CompiledPolicy, tags: readonly string[]): number[] {
  const ids: number[] = [];
  for (const tag of tags) {
    const id = compiled.tagIds.get(tag);
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

function carriesAll(required: readonly number[], carried: readonly number[]): boolean {
  for (const id of required) if (!carried.includes(id)) return false;
  return true;
}

/**
 * Every rule whose topics, risk tags and condition all match, in file order, shadow rules included.
 * A rule in `exhausted` (past its budget) does not match.
 */
export function matchingRules(compiled: CompiledPolicy, job: EvaluationJob, exhausted?: ReadonlySet<string>): MatchedRule[] {
  const carried = carriedTagIds(compiled, job.risk_tags);
  const candidates: number[] = [...compiled.always];
  for (const id of carried) {
    const bucket = compiled.byTag.get(id);
    if (bucket) for (const i of bucket) candidates.push(i);
  }
  for (const i of matchTopic(compiled.topics, job.topic)) candidates.push(i);
  // File order decides which rule speaks for the decision; a rule reached by two globs counts once.
  candidates.sort((a, b) => a - b);
  const matched: MatchedRule[] = [];
  let previous = -1;
  let vars: WhenVars | null = null;
  for (const i of candidates) {
    if (i === previous) continue;
    previous = i;
    const rule = compiled.rules[i];
    if (!rule || !carriesAll(rule.tagIds, carried)) continue;
    if (exhausted !== undefined && rule.budget !== null && exhausted.has(rule.id)) continue;
    // Only a rule with a condition pays for CEL, and only once its topics and tags matched.
    if (rule.when === null) {
      matched.push(rule);
      continue;
    }
    const result = rule.when((vars ??= whenVars(job)));
    if (result === true) matched.push(rule);
    else if (result !== false) matched.push(erred(rule, result.error));
  }
  return matched;
}

function noApproval(compiled: CompiledPolicy): ApprovalOutcome {
  const d = compiled.defaults;
  return { requirements: [], sla_sec: null, cutoff_sec: d.cutoffSec, on_timeout: d.onTimeout, escalate_to: [] };
}

function defaultApproval(compiled: CompiledPolicy): ApprovalOutcome {
  const d = compiled.defaults;
  const req = d.requirement;
  return {
    requirements: [{ rule_id: req.rule_id, roles: [...req.roles], count: req.count, escalate_to: [] }],
    sla_sec: d.slaSec,
    cutoff_sec: d.cutoffSec,
    on_timeout: d.onTimeout,
    escalate_to: [],
  };
}

const WOULD_HAVE: Record<PolicyDecision, string> = {
  allow: "allowed",
  allow_with_constraints: "allowed within constraints",
  require_approval: "required approval",
  deny: "denied",
};

/**
 * What each matching shadow rule would have made the job had it alone been live beside the live rules:
 * the stronger of the two decisions, or its own when no live rule matched (the default stood).
 */
function shadowEntries(shadows: readonly MatchedRule[], winner: CompiledRule | null, live: PolicyDecision): ShadowEntry[] {
  return shadows.map((r) => {
    const would = winner === null || r.rank > winner.rank ? r.decision : winner.decision;
    const entry: ShadowEntry = { id: r.id, shadow: true, decision: r.decision, reason: r.reason, would_decide: would, disagreed: would !== live, note: `shadow: would have ${WOULD_HAVE[would]}` };
    if (r.error !== undefined) entry.error = r.error;
    return entry;
  });
}

/**
 * Decides one job (DESIGN §2): every matching rule counts, the strongest decision wins, and the
 * first rule in file order with that decision names it. Pure and total on valid input. `exhausted`:
 * ids of budgeted rules the job does not fit in (DESIGN §2.1; the caller counts them), which do not
 * match; without it every budget counts as unused.
 */
export function evaluate(compiled: CompiledPolicy, job: EvaluationJob, exhausted?: ReadonlySet<string>): Evaluation {
  let matched = matchingRules(compiled, job, exhausted);
  let shadows: MatchedRule[] = [];
  if (compiled.hasShadow) {
    shadows = matched.filter((r) => r.shadow);
    matched = matched.filter((r) => !r.shadow);
  }
  let winner: CompiledRule | null = null;
  for (const r of matched) if (winner === null || r.rank > winner.rank) winner = r;

  const decision = winner?.decision ?? compiled.defaults.decision;
  const ruleId = winner?.id ?? "default";
  const reason = winner?.reason ?? defaultReason(decision, winner?.id ?? null);
  let approval: ApprovalOutcome;
  if (decision !== "require_approval") approval = noApproval(compiled);
  else approval = winner ? approvalOutcome(matched) : defaultApproval(compiled);

  const agentTitle = job.title?.trim() || null;
  const values: Record<TemplateVar, string> = { topic: job.topic, rule_id: ruleId, title: agentTitle ?? job.topic };
  const title = winner?.title ? renderTemplate(winner.title, values) : (agentTitle ?? renderTemplate(DEFAULT_TITLE, values));

  return {
    decision,
    rule_id: ruleId,
    reason,
    matched_rules: matched.map((r) =>
      r.error === undefined ? { id: r.id, decision: r.decision, reason: r.reason } : { id: r.id, decision: r.decision, reason: r.reason, error: r.error },
    ),
    shadow: shadows.length === 0 ? [] : shadowEntries(shadows, winner, decision),
    ...approval,
    constraints: decision === "allow_with_constraints" ? mergeConstraints(matched) : null,
    summary: { title, why: reason, next_effect: renderTemplate(winner?.nextEffect ?? NEXT_EFFECT[decision], values) },
  };
}
