import { and, eq } from "drizzle-orm";
import { users, votes, type JobRow } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { requireScope } from "@/lib/auth/authenticate";
import { actorOf, type Ctx, type Principal } from "@/lib/services/context";
import { Conflict, Forbidden, Unauthenticated } from "@/lib/services/errors";
import { withLockedJob } from "@/lib/services/jobs/locked";
import { renderJob, votesByJob } from "@/lib/services/jobs/render";
import { countApprovals, eligibleRoles, isEscalated, isSelf } from "@/lib/services/jobs/state";
import { transitionJob } from "@/lib/services/jobs/transition";
import type { ResolveBody } from "./schemas";

export type VoteKind = "approve" | "reject";

function notPending(job: JobRow): Conflict {
  if (job.state === "EXPIRED") return new Conflict("expired", "The job expired before this vote.");
  const by = job.resolvedBy ? ` by ${job.resolvedBy}` : "";
  const when = job.resolvedAt ? ` at ${job.resolvedAt.toISOString()}` : "";
  return new Conflict("already_resolved", `The job is already ${job.state}${by}${when}.`);
}

/**
 * Who may vote at all, checked before the scope: an agent (or the installation admin token) is told
 * `agent_cannot_resolve`, since it can never hold approvals:resolve; a person without the scope is
 * told `insufficient_scope`.
 */
export function assertMayResolve(principal: Principal): asserts principal is Extract<Principal, { kind: "user" }> {
  if (principal.kind !== "user") {
    throw new Forbidden("agent_cannot_resolve", "Only a person can approve or reject; agents and service tokens cannot.");
  }
  requireScope(principal, "approvals:resolve");
}

/**
 * Cast one vote. Everything is decided on the row-locked job and the voter's current user row, so
 * concurrent votes queue on the lock and a role removed before commit is honoured.
 */
export async function resolveVote({ ctx, id, vote, input }: { ctx: Ctx; id: string; vote: VoteKind; input: ResolveBody }) {
  const { principal, now } = ctx;
  assertMayResolve(principal);

  const result = await withLockedJob(ctx, id, async (tx, job) => {
    if (job.state !== "APPROVAL") throw notPending(job);
    if (input.job_hash !== undefined && input.job_hash !== job.jobHash) {
      throw new Conflict("stale_request", "The request changed since you saw it (job hash differs).");
    }
    if (input.policy_snapshot !== undefined && input.policy_snapshot !== job.policySnapshot) {
      throw new Conflict("stale_snapshot", "The policy changed since you saw this job; review it again.");
    }

    // Re-read the voter under a share lock: a role change commits before us or waits for us.
    const [voter] = await tx
      .select({ id: users.id, email: users.email, roles: users.roles, disabled: users.disabled })
      .from(users)
      .where(and(eq(users.tenantId, job.tenantId), eq(users.id, principal.userId)))
      .for("share");
    if (!voter || voter.disabled) throw new Unauthenticated("Your account is disabled.");

    if (isSelf(job, voter.email)) {
      throw new Forbidden("self_approval", "You cannot resolve a request made by you or on your behalf.");
    }
    const escalated = isEscalated(job, now);
    const allowed = eligibleRoles(job.requirements, escalated);
    const qualifying = voter.roles.filter((r) => allowed.includes(r));
    if (qualifying.length === 0) {
      throw new Forbidden("role_required", `This job needs one of these roles: ${allowed.join(", ") || "(none)"}.`);
    }

    const prior = (await votesByJob(tx, job.tenantId, [job.id])).get(job.id) ?? [];
    if (prior.some((v) => v.userId === voter.id)) {
      throw new Conflict("already_voted", "You have already voted on this job.");
    }
    const [cast] = await tx
      .insert(votes)
      .values({
        tenantId: job.tenantId,
        jobId: job.id,
        userId: voter.id,
        userEmail: voter.email,
        vote,
        roles: voter.roles,
        reason: input.reason,
        note: input.note ?? null,
        createdAt: now,
      })
      .returning();
    const all = [...prior, cast!];
    const actor = actorOf(principal);
    const comment = input.note ? `${input.reason}\n${input.note}` : input.reason;

    let updated = job;
    const approvals = countApprovals(job.requirements, all, escalated);
    const met = job.requirements.every((r, i) => (approvals[i] ?? 0) >= r.count);
    await appendAudit(tx, {
      tenantId: job.tenantId,
      type: "vote.cast",
      actor,
      jobId: job.id,
      data: { vote, reason: input.reason, note: input.note ?? null, roles: voter.roles, approvals },
      at: now,
    });
    if (vote === "reject") {
      updated = await transitionJob(
        tx,
        job,
        { state: "REJECTED", resolution: "rejected", resolvedBy: voter.email, resolvedComment: comment, resolvedAt: now },
        { type: "job.rejected", actor, data: { reason: input.reason }, at: now },
      );
    } else if (met) {
      updated = await transitionJob(
        tx,
        job,
        {
          state: "APPROVED",
          resolution: "approved",
          resolvedBy: voter.email,
          resolvedComment: comment,
          resolvedAt: now,
          approvedSnapshot: job.policySnapshot,
        },
        { type: "job.approved", actor, data: { reason: input.reason, policy_snapshot: job.policySnapshot }, at: now },
      );
    }
    return { job: updated, votes: all };
  });

  const item = renderJob(result.job, result.votes, principal, now);
  const missing = item.requirements
    .filter((r) => r.approvals < r.count)
    .map((r) => ({ rule_id: r.rule_id, roles: r.roles, needed: r.count - r.approvals }));
  return { ...item, vote: { vote, reason: input.reason, note: input.note ?? null }, missing: item.job.state === "APPROVAL" ? missing : [] };
}
