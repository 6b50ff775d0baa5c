import type { JobRow, VoteRow } from "@/lib/db/schema";
import type { Requirement } from "@/lib/policy/types";

export const SLA_ACTOR = "system:sla";

/** When a pending job stops being approvable: at due_at for `on_timeout: reject`, else at expires_at. */
export function deadlineOf(job: Pick<JobRow, "dueAt" | "expiresAt" | "onTimeout">): Date | null {
  const { dueAt, expiresAt, onTimeout } = job;
  if (onTimeout === "reject" && dueAt && (!expiresAt || dueAt < expiresAt)) return dueAt;
  return expiresAt;
}

/** A pending job past its deadline is EXPIRED the moment anyone looks, swept or not. */
type Timed = Pick<JobRow, "state" | "dueAt" | "expiresAt" | "onTimeout">;

export function isLapsed(job: Timed, now: Date): boolean {
  if (job.state !== "APPROVAL") return false;
  const deadline = deadlineOf(job);
  return deadline !== null && deadline.getTime() <= now.getTime();
}

/** Pending and still approvable at `now`: the queue holds these. */
export function isStillPending(job: Timed, now: Date): boolean {
  return job.state === "APPROVAL" && !isLapsed(job, now);
}

/** Past due_at with `on_timeout: escalate`, still pending, not yet marked: a write will mark it. */
export function isEscalationDue(job: Timed & Pick<JobRow, "escalated">, now: Date): boolean {
  return (
    !job.escalated &&
    job.state === "APPROVAL" &&
    job.onTimeout === "escalate" &&
    !!job.dueAt &&
    job.dueAt.getTime() <= now.getTime()
  );
}

/** Escalated as stored, or due to be (reads show it before any sweeper or write has marked it). */
export function isEscalated(job: Timed & Pick<JobRow, "escalated">, now: Date): boolean {
  return job.escalated || isEscalationDue(job, now);
}

/** What a lapsed job shows in place of its stored state and resolution. */
export const EXPIRED_VIEW = { state: "EXPIRED", resolution: "expired", resolvedBy: SLA_ACTOR } as const;

/** The job as it stands at `now`, with a lapsed deadline applied (reads never write). */
export function currentView<J extends Timed & Pick<JobRow, "resolution" | "resolvedBy" | "resolvedAt" | "updatedAt">>(job: J, now: Date): J {
  if (!isLapsed(job, now)) return job;
  const at = deadlineOf(job) ?? now;
  return { ...job, ...EXPIRED_VIEW, resolvedAt: at, updatedAt: at };
}

export function requirementRoles(req: Requirement, escalated: boolean): string[] {
  return escalated ? [...new Set([...req.roles, ...req.escalate_to])] : req.roles;
}

/** Roles that may vote on the job at all. */
export function eligibleRoles(requirements: Requirement[], escalated: boolean): string[] {
  return [...new Set(requirements.flatMap((r) => requirementRoles(r, escalated)))].sort();
}

/** Approvals per requirement, re-counted from the votes: a vote counts where the voter's roles qualify. */
export function countApprovals(
  requirements: Requirement[],
  votes: Pick<VoteRow, "vote" | "roles">[],
  escalated: boolean,
): number[] {
  return requirements.map((req) => {
    const roles = new Set(requirementRoles(req, escalated));
    return votes.filter((v) => v.vote === "approve" && v.roles.some((r) => roles.has(r))).length;
  });
}

export function isSelf(job: Pick<JobRow, "onBehalfOf" | "submitterEmail">, email: string): boolean {
  const e = email.toLowerCase();
  return job.onBehalfOf?.toLowerCase() === e || job.submitterEmail?.toLowerCase() === e;
}
