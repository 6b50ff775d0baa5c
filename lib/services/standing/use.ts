import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { statement, timestamptz, txQuery, txRows } from "@/lib/db/raw-sql";
import { decisions, jobs, standingApprovals, tenants, type JobRow, type StandingApprovalRow } from "@/lib/db/schema";
import type { Evaluation } from "@/lib/policy/types";
import { appendAudit } from "@/lib/services/audit/chain";
import type { Ctx } from "@/lib/services/context";
import { insertSubmitted, type InsertOutcome } from "@/lib/services/jobs/insert";

/** Whether a standing approval could approve a job so decided: require_approval, every count 1. */
export function standingApplies(ev: Evaluation): boolean {
  return ev.decision === "require_approval" && ev.requirements.length > 0 && ev.requirements.every((r) => r.count === 1);
}

const live = (row: Pick<JobRow, "tenantId" | "requestedBy" | "jobHash" | "policySnapshot">, now: Date) =>
  and(
    eq(standingApprovals.tenantId, row.tenantId),
    eq(standingApprovals.agent, row.requestedBy),
    eq(standingApprovals.jobHash, row.jobHash),
    isNull(standingApprovals.revokedAt),
    eq(standingApprovals.snapshotId, row.policySnapshot),
    gt(standingApprovals.expiresAt, now),
  );

// The submission's lookup, on the plain path (a named prepared statement): it runs for every gated job
// whose requirements each need one person, so it reads standing_approvals_lookup_idx only.
const s = standingApprovals;
const LOOKUP = statement<"tenant" | "agent" | "hash" | "snapshot" | "now">(
  (slot) => sql`select ${s.id} from ${s}
  where ${s.tenantId} = ${slot("tenant")} and ${s.agent} = ${slot("agent")} and ${s.jobHash} = ${slot("hash")} and ${s.revokedAt} is null
    and ${s.snapshotId} = ${slot("snapshot")} and ${s.expiresAt} > ${timestamptz(slot("now"))}
  limit 1`,
);

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

/**
 * Submit `row` approved by a live standing approval (DESIGN §2.1), when its evaluation allows one and
 * one exists: "none" otherwise, and the caller submits it as usual. Only here, never for jobs the policy
 * allows or that need more than one person, so the common submission pays nothing (one indexed read
 * for a gated job with single approvals).
 *
 * In one transaction: the tenant row (key share, as the submission statement takes it: an activation,
 * which ends every grant, holds it for update), the grant FOR SHARE (a revocation waits, or has won),
 * the submission statement, the resolution, the decision-log entry naming the grant, and its audit event.
 */
type StandingOutcome = { outcome: InsertOutcome | "none"; row: JobRow };

export async function submitIfStanding(ctx: Ctx, row: JobRow, evaluation: Evaluation): Promise<StandingOutcome> {
  if (!standingApplies(evaluation)) return { outcome: "none", row };
  const [found] = await ctx.query<{ id: string }>(
    LOOKUP.sql,
    LOOKUP.params({ tenant: row.tenantId, agent: row.requestedBy, hash: row.jobHash, snapshot: row.policySnapshot, now: ctx.now.toISOString() }),
  );
  if (!found) return { outcome: "none", row };
  return ctx.transaction<StandingOutcome>(async (tx) => {
    await txRows(tx, sql`select 1 from ${tenants} where ${tenants.id} = ${row.tenantId} for key share`);
    const [grant] = await tx.select().from(standingApprovals).where(and(eq(standingApprovals.id, found.id), live(row, ctx.now))).for("share");
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
