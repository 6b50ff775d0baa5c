import type { CompiledPolicy, CompiledRule } from "./compile";
import type { EvaluationJob } from "./evaluate";
import type { Budget, Evaluation } from "./types";

/** A budget as evaluation uses it: seconds, and the path under `payload` it sums. */
export interface CompiledBudget {
  readonly per: Budget["per"];
  readonly windowSec: number;
  readonly maxCount: number | null;
  readonly maxSum: { readonly path: readonly string[]; readonly value: number } | null;
}

/** What a rule's budget has spent in its window for one scope. */
export interface BudgetUsed {
  count: number;
  sum: number;
}

/** One budgeted rule a job would spend, with where it counts and how much. */
export interface BudgetClaim {
  rule_id: string;
  budget: CompiledBudget;
  /** `agent:<requested_by>`, `on_behalf_of:<name>` or `tenant`; null: the job has no such scope. */
  scope: string | null;
  /** What the job adds to `max_sum` (0 without one); null: the field is missing or not a number ≥ 0. */
  amount: number | null;
}

export function budgetScope(per: Budget["per"], job: Pick<EvaluationJob, "requested_by" | "on_behalf_of">): string | null {
  if (per === "tenant") return "tenant";
  if (per === "agent") return `agent:${job.requested_by}`;
  // A job acting for nobody in particular cannot spend a per-person budget: the rule does not match.
  return job.on_behalf_of === null ? null : `on_behalf_of:${job.on_behalf_of}`;
}

export function budgetAmount(budget: CompiledBudget, payload: Record<string, unknown>): number | null {
  if (budget.maxSum === null) return 0;
  let value: unknown = payload;
  for (const key of budget.maxSum.path) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[key];
  }
  // A negative amount would give budget back; a missing one cannot be counted. Either way: no fit.
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

/** Whether one more job of `amount` fits in what is left of the budget. */
export function fitsBudget(claim: BudgetClaim, used: BudgetUsed): boolean {
  if (claim.scope === null || claim.amount === null) return false;
  const b = claim.budget;
  if (b.maxCount !== null && used.count + 1 > b.maxCount) return false;
  if (b.maxSum !== null && used.sum + claim.amount > b.maxSum.value) return false;
  return true;
}

/**
 * The budgeted rules an evaluation lets the job through by (a budget only counts jobs its rule allowed):
 * none unless the outcome is an allow. The caller counts their use and evaluates again without the
 * rules past their budget (`evaluate(compiled, job, exhausted)`).
 */
export function budgetClaims(compiled: CompiledPolicy, evaluation: Evaluation, job: EvaluationJob): BudgetClaim[] {
  if (!compiled.hasBudgets || (evaluation.decision !== "allow" && evaluation.decision !== "allow_with_constraints")) return [];
  const claims: BudgetClaim[] = [];
  for (const m of evaluation.matched_rules) {
    const rule: CompiledRule | undefined = compiled.byId.get(m.id);
    if (!rule?.budget || m.error !== undefined) continue;
    claims.push({ rule_id: rule.id, budget: rule.budget, scope: budgetScope(rule.budget.per, job), amount: budgetAmount(rule.budget, job.payload) });
  }
  return claims;
}

/** Ids of the claimed rules the job does not fit in; `used` is keyed by rule id (missing: unused). */
export function exhaustedRules(claims: readonly BudgetClaim[], used: ReadonlyMap<string, BudgetUsed>): Set<string> {
  const out = new Set<string>();
  for (const c of claims) if (!fitsBudget(c, used.get(c.rule_id) ?? { count: 0, sum: 0 })) out.add(c.rule_id);
  return out;
}
