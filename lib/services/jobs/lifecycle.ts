import type { Db } from "@/lib/db/client";
import type { JobRow } from "@/lib/db/schema";
import { actorOf, principalKey, type Ctx } from "@/lib/services/context";
import { Conflict, Forbidden } from "@/lib/services/errors";
import { renderJob } from "./render";
import { withLockedJob } from "./locked";
import type { ClaimBody, CompleteBody, ExecutionGrant } from "./schemas";
import { transitionJob } from "./transition";

function claimConflict(job: JobRow): Conflict {
  if (job.state === "RUNNING" || job.state === "SUCCEEDED" || job.state === "FAILED") {
    return new Conflict("already_claimed", `The job was already claimed (state ${job.state}).`);
  }
  if (job.state === "EXPIRED") return new Conflict("expired", "The job expired without approval.");
  return new Conflict("not_approved", `Only an APPROVED job can be claimed; this one is ${job.state}.`);
}

/** Execution bind: only what was approved, exactly as approved, under the same policy, once. */
export async function claimJob({ ctx, id, input }: { ctx: Ctx; id: string; input: ClaimBody }) {
  return withLockedJob(ctx, id, async (tx, job) => {
    if (job.state !== "APPROVED") throw claimConflict(job);
    if (input.job_hash !== job.jobHash) {
      throw new Conflict("stale_request", "The job hash does not match the approved request.");
    }
    const snapshotMoved = job.approvedSnapshot !== job.policySnapshot;
    if (snapshotMoved || (input.policy_snapshot !== undefined && input.policy_snapshot !== job.policySnapshot)) {
      throw new Conflict("stale_snapshot", "The approval was given under another policy snapshot.");
    }
    return (await startJob(tx, job, ctx)).grant;
  });
}

/** The execution grant: exactly what may run, under which policy, within which limits. */
export function executionGrant(job: JobRow): ExecutionGrant {
  return {
    job_id: job.id,
    job_hash: job.jobHash,
    policy_snapshot: job.policySnapshot,
    constraints: job.constraints ?? null,
  };
}

/**
 * The claim itself, once the caller has checked that `job` may be claimed and holds it in `tx` (row
 * locked by claimJob, or inserted by the same transaction when a submission claims): RUNNING, audited.
 */
export async function startJob(tx: Db, job: JobRow, ctx: Ctx): Promise<{ row: JobRow; grant: ExecutionGrant }> {
  const actor = actorOf(ctx.principal);
  const row = await transitionJob(
    tx,
    job,
    { state: "RUNNING", claimedAt: ctx.now, claimedBy: actor },
    { type: "job.claimed", actor, data: { job_hash: job.jobHash, policy_snapshot: job.policySnapshot }, at: ctx.now },
  );
  return { row, grant: executionGrant(row) };
}

export async function completeJob({ ctx, id, input }: { ctx: Ctx; id: string; input: CompleteBody }) {
  const { row, votes } = await withLockedJob(ctx, id, async (tx, job, votes) => {
    if (job.state !== "RUNNING") {
      throw new Conflict("not_running", `Only a RUNNING job can be completed; this one is ${job.state}.`);
    }
    const actor = actorOf(ctx.principal);
    const updated = await transitionJob(
      tx,
      job,
      {
        state: input.outcome === "succeeded" ? "SUCCEEDED" : "FAILED",
        completedAt: ctx.now,
        outcomeDetail: input.detail ?? null,
      },
      { type: "job.completed", actor, data: { outcome: input.outcome, detail: input.detail ?? null }, at: ctx.now },
    );
    return { row: updated, votes };
  });
  return renderJob(row, votes, ctx.principal, ctx.now);
}

/** The submitting agent withdraws a job that is still waiting for people. */
export async function cancelJob({ ctx, id, reason }: { ctx: Ctx; id: string; reason?: string }) {
  const actor = actorOf(ctx.principal);
  const { row, votes } = await withLockedJob(ctx, id, async (tx, job, votes) => {
    if (job.principalKey !== principalKey(ctx.principal) && ctx.principal.kind !== "admin") {
      throw new Forbidden("not_submitter", "Only the principal that submitted the job may cancel it.");
    }
    if (job.state !== "APPROVAL") {
      throw new Conflict("already_resolved", `The job is no longer pending (state ${job.state}).`);
    }
    const updated = await transitionJob(
      tx,
      job,
      {
        state: "CANCELLED",
        resolution: "cancelled",
        resolvedBy: actor,
        resolvedComment: reason ?? null,
        resolvedReason: reason ?? null,
        resolvedAt: ctx.now,
      },
      { type: "job.cancelled", actor, data: { reason: reason ?? null }, at: ctx.now },
    );
    return { row: updated, votes };
  });
  return renderJob(row, votes, ctx.principal, ctx.now);
}
