import type { CompiledPolicy, CompiledRule } from "./compile";
import { matchTopic } from "./glob";
import { type ApprovalOutcome, approvalOutcome, DEFAULT_NEXT_EFFECT, defaultReason, mergeConstraints } from "./outcome";
import { compileTemplate, renderTemplate, type TemplateVar } from "./summary";
import type { Evaluation, PolicyDecision } from "./types";

export { compilePolicy, type CompiledPolicy } from "./compile";

export interface EvaluationJob {
  topic: string;
  risk_tags: readonly string[];
  title?: string | null;
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

/** Every rule whose topics and risk tags both match, in file order. */
export function matchingRules(compiled: CompiledPolicy, job: EvaluationJob): CompiledRule[] {
  const carried = carriedTagIds(compiled, job.risk_tags);
  const candidates: number[] = [...compiled.always];
  for (const id of carried) {
    const bucket = compiled.byTag.get(id);
    if (bucket) for (const i of bucket) candidates.push(i);
  }
  for (const i of matchTopic(compiled.topics, job.topic)) candidates.push(i);
  // File order decides which rule speaks for the decision; a rule reached by two globs counts once.
  candidates.sort((a, b) => a - b);
  const matched: CompiledRule[] = [];
  let previous = -1;
  for (const i of candidates) {
    if (i === previous) continue;
    previous = i;
    const rule = compiled.rules[i];
    if (rule && carriesAll(rule.tagIds, carried)) matched.push(rule);
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

/**
 * Decides one job (DESIGN §2): every matching rule counts, the strongest decision wins, and the
 * first rule in file order with that decision names it. Pure and total on valid input.
 */
export function evaluate(compiled: CompiledPolicy, job: EvaluationJob): Evaluation {
  const matched = matchingRules(compiled, job);
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
    matched_rules: matched.map((r) => ({ id: r.id, decision: r.decision, reason: r.reason })),
    ...approval,
    constraints: decision === "allow_with_constraints" ? mergeConstraints(matched) : null,
    summary: { title, why: reason, next_effect: renderTemplate(winner?.nextEffect ?? NEXT_EFFECT[decision], values) },
  };
}
