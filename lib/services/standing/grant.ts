import "server-only";
import type { Db } from "@/lib/db/client";
import { standingApprovals } from "@/lib/db/schema";
import { ulid } from "@/lib/ids";
import { parseDuration } from "@/lib/policy/duration";
import { appendAudit } from "@/lib/services/audit/chain";
import { Conflict } from "@/lib/services/errors";
import type { VoteWrite } from "@/lib/services/approvals/write-vote";
import { renderStanding, type StandingItem } from "./render";

/**
 * Why this approve may not also grant a standing approval (DESIGN §2.1), or null: only where every
 * requirement needs one person, and only when this vote alone approves the job (a job needing two
 * roles' approvals must not be approved later by one of them).
 */
export function standingNotAllowed(write: Pick<VoteWrite, "job" | "vote" | "resolution">): string | null {
  if (write.vote !== "approve") return "Only an approval can stand for later requests.";
  if (write.job.requirements.some((r) => r.count > 1)) return "A standing approval is only possible where every requirement needs one person.";
  if (write.resolution?.state !== "APPROVED") return "A standing approval is only possible where your approval alone approves the request.";
  return null;
}

/**
 * Grant a standing approval along with the approving vote `write`, in the vote's transaction (the job
 * row is locked), audited as `approval.standing_granted`. Refused with 409 `standing_not_allowed` before
 * anything is written: the caller's transaction, vote included, then rolls back.
 */
export async function grantStanding(tx: Db, write: VoteWrite, standingFor: string): Promise<StandingItem> {
  const refusal = standingNotAllowed(write);
  if (refusal) throw new Conflict("standing_not_allowed", refusal);
  const { job, voter, now } = write;
  const [row] = await tx
    .insert(standingApprovals)
    .values({
      id: `std-${ulid()}`,
      tenantId: job.tenantId,
      jobHash: job.jobHash,
      topic: job.topic,
      agent: job.requestedBy,
      grantedBy: voter.email,
      grantedByUserId: voter.id,
      sourceJobId: job.id,
      reason: write.input.reason,
      snapshotId: job.policySnapshot,
      createdAt: now,
      expiresAt: new Date(now.getTime() + parseDuration(standingFor) * 1000),
    })
    .returning();
  const item = renderStanding(row!);
  await appendAudit(tx, {
    tenantId: job.tenantId,
    type: "approval.standing_granted",
    actor: write.actor,
    jobId: job.id,
    data: { ...item, standing_for: standingFor, policy_snapshot: job.policySnapshot, credential: write.credential },
    at: now,
  });
  return item;
}
