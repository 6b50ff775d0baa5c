import { sql } from "drizzle-orm";
import { requireScope } from "@/lib/auth/authenticate";
import type { Db } from "@/lib/db/client";
import { txRows } from "@/lib/db/raw-sql";
import type { JobRow } from "@/lib/db/schema";
import { actorOf, type Ctx, type Principal } from "@/lib/services/context";
import { Conflict, Forbidden, Unauthenticated } from "@/lib/services/errors";
import { FinalWrite, withLockedJob } from "@/lib/services/jobs/locked";
import { renderJob } from "@/lib/services/jobs/render";
import { countApprovals, eligibleRoles, isEscalated, isSelf } from "@/lib/services/jobs/state";
import type { ResolveBody } from "./schemas";
import { voteStatement } from "./write-vote";

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

  // Re-read the voter under a share lock, in the same pipeline as the job lock: a role change commits
  // before us or waits for us.
  const readVoter = (tx: Db) =>
    txRows<{ id: string; email: string; roles: string[]; disabled: boolean }>(
      tx,
      sql`select id, email, roles, disabled from users where tenant_id = ${principal.tenantId} and id = ${principal.userId} for share`,
    );

  const result = await withLockedJob(ctx, id, async (tx, job, prior, voters) => {
    if (job.state !== "APPROVAL") throw notPending(job);
    if (input.job_hash !== undefined && input.job_hash !== job.jobHash) {
      throw new Conflict("stale_request", "The request changed since you saw it (job hash differs).");
    }
    if (input.policy_snapshot !== undefined && input.policy_snapshot !== job.policySnapshot) {
      throw new Conflict("stale_snapshot", "The policy changed since you saw this job; review it again.");
    }

    const voter = voters?.[0];
    if (!voter || voter.disabled) throw new Unauthenticated("Your account is disabled.");

    if (isSelf(job, voter.email)) {
      throw new Forbidden("self_approval", "You cannot resolve a request made by you or on your behalf.");
    }
    const escalated = isEscalated(job, now);
    const allowed = eligibleRoles(job.requirements, escalated);
    if (!voter.roles.some((r) => allowed.includes(r))) {
      throw new Forbidden("role_required", `This job needs one of these roles: ${allowed.join(", ") || "(none)"}.`);
    }
    if (prior.some((v) => v.userId === voter.id)) {
      throw new Conflict("already_voted", "You have already voted on this job.");
    }

    const all = [...prior, { userId: voter.id, vote, roles: voter.roles }];
    const approvals = countApprovals(job.requirements, all, escalated);
    const met = job.requirements.every((r, i) => (approvals[i] ?? 0) >= r.count);
    const comment = input.note ? `${input.reason}\n${input.note}` : input.reason;
    const resolution: Partial<JobRow> | null =
      vote === "reject"
        ? { state: "REJECTED", resolution: "rejected", resolvedBy: voter.email, resolvedComment: comment, resolvedReason: input.reason, resolvedAt: now }
        : met
          ? {
              state: "APPROVED",
              resolution: "approved",
              resolvedBy: voter.email,
              resolvedComment: comment,
              resolvedReason: input.reason,
              resolvedAt: now,
              approvedSnapshot: job.policySnapshot,
            }
          : null;
    const last = voteStatement({
      job,
      voter,
      vote,
      input,
      approvals,
      resolution,
      tally: all,
      actor: actorOf(principal),
      now,
    });
    return new FinalWrite({ job: resolution ? { ...job, ...resolution, updatedAt: now } : job, votes: all }, last);
  }, readVoter);

  const item = renderJob(result.job, result.votes, principal, now);
  const missing = item.requirements
    .filter((r) => r.approvals < r.count)
    .map((r) => ({ rule_id: r.rule_id, roles: r.roles, needed: r.count - r.approvals }));
  return { ...item, vote: { vote, reason: input.reason, note: input.note ?? null }, missing: item.job.state === "APPROVAL" ? missing : [] };
}
