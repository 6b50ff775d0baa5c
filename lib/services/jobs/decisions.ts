import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { decisions, votes as votesTable } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { findJob } from "./find";
import { DECISION_NAMES, cannotAct, renderJob } from "./render";

/** The approval log: every vote on the job with its reason and note, in the order cast. */
function voteLog(db: Db, tenantId: string, jobId: string) {
  return db
    .select()
    .from(votesTable)
    .where(and(eq(votesTable.tenantId, tenantId), eq(votesTable.jobId, jobId)))
    .orderBy(asc(votesTable.id));
}

/** Why the policy gated (decision log) and who decided (approval log), side by side. */
export async function jobDecisions({ ctx, id }: { ctx: Ctx; id: string }) {
  const { db, principal, now } = ctx;
  const { job, votes: tally } = await findJob(db, principal.tenantId, id);
  const [log, votes] = await Promise.all([
    db
      .select()
      .from(decisions)
      .where(and(eq(decisions.tenantId, principal.tenantId), eq(decisions.jobId, id)))
      .orderBy(asc(decisions.id)),
    voteLog(db, principal.tenantId, id),
  ]);
  const item = renderJob(job, tally, principal, now);
  const refusal = cannotAct(job, tally, principal, now);
  return {
    job: item,
    decisions: log.map((d) => ({
      cause: d.cause,
      policy_snapshot: d.policySnapshot,
      decision: DECISION_NAMES[d.decision],
      rule_id: d.ruleId,
      reason: d.reason,
      matched_rules: d.matchedRules,
      requirements: d.requirements,
      constraints: d.constraints,
      created_at: d.createdAt.toISOString(),
    })),
    votes: votes.map((v) => ({
      voter: v.userEmail,
      vote: v.vote,
      roles: v.roles,
      reason: v.reason,
      note: v.note,
      // Which credential cast it (`token:<id>`, `session:<id>`, `slack:<user>`, `email:<link>`): one token voting as two people shows here.
      credential: v.credential,
      created_at: v.createdAt.toISOString(),
    })),
    // What happens at the deadline, and to whom it escalates: shown as text beside the SLA.
    deadline: { on_timeout: job.onTimeout, escalate_to: job.escalateTo },
    // The run after approval: who claimed it when, and how it ended.
    execution: job.claimedAt
      ? {
          claimed_by: job.claimedBy,
          claimed_at: job.claimedAt.toISOString(),
          completed_at: job.completedAt?.toISOString() ?? null,
          outcome: job.state === "SUCCEEDED" ? ("succeeded" as const) : job.state === "FAILED" ? ("failed" as const) : null,
          detail: job.outcomeDetail,
        }
      : null,
    resolution: item.resolution,
    resolved_by: item.resolved_by,
    resolved_comment: item.resolved_comment,
    resolved_at: item.resolved_at,
    // Whether the caller may vote, and if not why, so a form can say so instead of failing on submit.
    viewer: { can_act: refusal === null, code: refusal?.code ?? null, message: refusal?.message ?? null },
  };
}
