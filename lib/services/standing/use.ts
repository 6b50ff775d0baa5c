import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { timestamptz, txQuery, txRows } from "@/lib/db/raw-sql";
import { decisions, jobs, standingApprovals, tenants, type JobRow, type StandingApprovalRow } from "@/lib/db/schema";
import type { Evaluation } from "@/lib/policy/types";
import { appendAudit } from "@/lib/services/audit/chain";
import type { Ctx } from "@/lib/services/context";
import { insertSubmitted, type InsertOutcome } from "@/lib/services/jobs/insert";
import { liveGrant } from "./live";

/** Whether a standing approval could approve a job so decided: require_approval, every count 1. */
export function standingApplies(ev: Evaluation): boolean {
  return ev.decision === "require_approval" && ev.requirements.length > 0 && ev.requirements.every((r) => r.count === 1);
}

/** The job as a standing approval leaves it: approved at submission, resolved by the granter. */
function approvedBy(row: JobRow, grant: StandingApprovalRow): JobRow {
  return {
    ...row,
    state: "APPROVED",
    approvedSnapshot: row.policySnapshot,
    resolution: "approved",
    resolvedBy: grant.grantedBy,
    resolvedReason: grant.reason,
    resolvedNote: `Standing approval ${grant.id} granted by ${grant.grantedBy} until ${grant.expiresAt.toISOString()}`,
    resolvedAt: row.createdAt,
  };
}

type StandingOutcome = { outcome: InsertOutcome | "none"; row: JobRow };

/**
 * Submit `row` approved by the live standing approval the submission statement found for it (DESIGN
 * §2.1); "none" when that grant was revoked or expired meanwhile, and the caller submits it as usual.
 *
 * In one transaction: the tenant row (key share, as the submission statement takes it: an activation,
 * which ends every grant, holds it for update), the grant FOR SHARE (a revocation waits, or has won),
 * the submission statement, the resolution, the decision-log entry naming the grant, and its audit event.
 */
export async function submitWithStanding(ctx: Ctx, row: JobRow, evaluation: Evaluation): Promise<StandingOutcome> {
  return ctx.transaction<StandingOutcome>(async (tx) => {
    await txRows(tx, sql`select 1 from ${tenants} where ${tenants.id} = ${row.tenantId} for key share`);
    const live = liveGrant({ tenant: row.tenantId, agent: row.requestedBy, hash: row.jobHash, snapshot: row.policySnapshot, now: timestamptz(ctx.now) });
    const [grant] = await tx.select().from(standingApprovals).where(live).orderBy(standingApprovals.id).limit(1).for("share");
    if (!grant) return { result: { outcome: "none", row } };
    const approved = approvedBy(row, grant);
    const outcome = await insertSubmitted(txQuery(tx), approved, evaluation);
    if (outcome !== "inserted") return { result: { outcome, row } };
    await tx
      .update(jobs)
      .set({ resolution: "approved", resolvedBy: approved.resolvedBy, resolvedReason: approved.resolvedReason, resolvedNote: approved.resolvedNote, resolvedAt: approved.resolvedAt })
      .where(and(eq(jobs.tenantId, row.tenantId), eq(jobs.id, row.id)));
    await tx.insert(decisions).values({
      tenantId: row.tenantId,
      jobId: row.id,
      cause: "standing_approval",
      policySnapshot: row.policySnapshot,
      decision: evaluation.decision,
      ruleId: evaluation.rule_id,
      reason: `Approved at submission by standing approval ${grant.id}, granted by ${grant.grantedBy} (until ${grant.expiresAt.toISOString()})`,
      matchedRules: evaluation.matched_rules,
      requirements: evaluation.requirements,
      constraints: evaluation.constraints,
      createdAt: ctx.now,
    });
    await appendAudit(tx, {
      tenantId: row.tenantId,
      type: "approval.standing_used",
      actor: row.requestedBy,
      jobId: row.id,
      data: { standing_approval: grant.id, granted_by: grant.grantedBy, job_hash: row.jobHash, source_job_id: grant.sourceJobId, state: "APPROVED" },
      at: ctx.now,
    });
    return { result: { outcome, row: approved } };
  });
}
