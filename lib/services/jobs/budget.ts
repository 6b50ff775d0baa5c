import "server-only";
import { sql } from "drizzle-orm";
import type { RawQuery } from "@/lib/db/client";
import { bare, runSql, timestamptz, txQuery } from "@/lib/db/raw-sql";
import { budgetUses, type JobRow } from "@/lib/db/schema";
import { budgetClaims, type BudgetClaim, type BudgetUsed, exhaustedRules } from "@/lib/policy/budget";
import type { CompiledPolicy, EvaluationJob } from "@/lib/policy/evaluate";
import type { Evaluation } from "@/lib/policy/types";
import type { Ctx } from "@/lib/services/context";
import { claimedAtSubmission, executionGrant } from "./claim";
import { insertSubmitted, type InsertOutcome } from "./insert";
import type { ExecutionGrant } from "./schemas";

/**
 * Locks each claimed budget's (tenant, rule, scope) for the rest of the transaction, then reads what it
 * spent over its sliding window, and answers the rules the job no longer fits in. The lock serialises
 * submissions spending the same budget, and the read is a later statement, so under READ COMMITTED it
 * sees every use committed by whoever held the lock before: 50 racing jobs against 10 let exactly 10 in.
 */
export async function spentBudgets(query: RawQuery, tenantId: string, claims: readonly BudgetClaim[], now: Date): Promise<Set<string>> {
  // A claim without a scope or an amount cannot fit: nothing to lock or count for it.
  const counted = claims.filter((c) => c.scope !== null && c.amount !== null);
  const used = new Map<string, BudgetUsed>();
  if (counted.length > 0) {
    const keys = counted.map((c) => `${tenantId}\n${c.rule_id}\n${c.scope}`);
    // Sorted key order, so two submissions spending the same two budgets cannot deadlock.
    await runSql(query, sql`select pg_advisory_xact_lock(k) from (select hashtextextended(key, 0) as k from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) key order by 1 offset 0) locks`);
    const u = budgetUses;
    const rows = await runSql<{ rule_id: string; count: number; sum: string }>(
      query,
      sql`select c.rule_id, count(${u.jobId})::int as count, coalesce(sum(${u.amount}), 0)::text as sum
          from jsonb_to_recordset(${JSON.stringify(counted.map((c) => ({ rule_id: c.rule_id, scope: c.scope, since: new Date(now.getTime() - c.budget.windowSec * 1000).toISOString() })))}::jsonb)
               as c(rule_id text, scope text, since timestamptz)
          left join ${u} on ${u.tenantId} = ${tenantId} and ${u.ruleId} = c.rule_id and ${u.scope} = c.scope and ${u.createdAt} > c.since
          group by c.rule_id`,
    );
    for (const r of rows) used.set(r.rule_id, { count: r.count, sum: Number(r.sum) });
  }
  return exhaustedRules(claims, used);
}

/** Records what the job spent, in the transaction that inserted it (and still holds the locks). */
export async function spendBudgets(query: RawQuery, tenantId: string, jobId: string, claims: readonly BudgetClaim[], now: Date): Promise<void> {
  if (claims.length === 0) return;
  const u = budgetUses;
  await runSql(
    query,
    sql`insert into ${u} (${bare(u.tenantId)}, ${bare(u.ruleId)}, ${bare(u.scope)}, ${bare(u.jobId)}, ${bare(u.amount)}, ${bare(u.createdAt)})
        select ${tenantId}, c.rule_id, c.scope, ${jobId}, c.amount, ${timestamptz(now)}
        from jsonb_to_recordset(${JSON.stringify(claims.map((c) => ({ rule_id: c.rule_id, scope: c.scope, amount: c.amount })))}::jsonb)
             as c(rule_id text, scope text, amount numeric)`,
  );
}

function overBudgetNote(c: BudgetClaim): string {
  if (c.scope === null) return "budget: the job has no on_behalf_of to count it against, so the rule did not match";
  if (c.amount === null) return "budget: the job's amount is missing or not a number ≥ 0, so the rule did not match";
  return "budget: past its budget for this window, so the rule did not match";
}

interface WithinBudgets {
  outcome: InsertOutcome;
  row: JobRow;
  claimed?: { row: JobRow; grant: ExecutionGrant };
}

/**
 * Submits a job that a budgeted rule would allow (DESIGN §2.1), in one transaction: lock and count those
 * budgets, evaluate again without the rules past theirs (`again`: stricter rules or the default then
 * decide), insert, record what the job spent, and claim it if asked. Jobs no budget touches never come
 * here: they keep the one-statement submission.
 */
export async function insertWithinBudgets({ ctx, job, compiled, first, again, rowFor, claim }: {
  ctx: Ctx;
  job: EvaluationJob;
  compiled: CompiledPolicy;
  first: { evaluation: Evaluation; claims: BudgetClaim[] };
  again: (exhausted: ReadonlySet<string>) => Evaluation;
  rowFor: (evaluation: Evaluation) => JobRow;
  claim: boolean;
}): Promise<WithinBudgets> {
  const tenantId = ctx.principal.tenantId;
  return ctx.transaction(async (tx) => {
    const query = txQuery(tx);
    const exhausted = await spentBudgets(query, tenantId, first.claims, ctx.now);
    const evaluation = exhausted.size === 0 ? first.evaluation : again(exhausted);
    const decided = rowFor(evaluation);
    const claimed = claim && decided.state === "APPROVED";
    const row = claimed ? claimedAtSubmission(decided) : decided;
    // The decision log says which rules would have matched but were past their budget, so a reviewer
    // sees why a small refund now waits for them.
    const overBudget = first.claims
      .filter((c) => exhausted.has(c.rule_id))
      .map((c) => ({ id: c.rule_id, decision: compiled.byId.get(c.rule_id)!.decision, reason: null, over_budget: true, note: overBudgetNote(c) }));
    const outcome = await insertSubmitted(query, row, evaluation, { logOnly: overBudget });
    const result: WithinBudgets = { outcome, row };
    if (outcome !== "inserted") return { result };
    await spendBudgets(query, tenantId, row.id, exhausted.size === 0 ? first.claims : budgetClaims(compiled, evaluation, job), ctx.now);
    if (claimed) result.claimed = { row, grant: executionGrant(row) };
    return { result };
  });
}
