import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { txRows } from "@/lib/db/raw-sql";
import { tenants, type JobRow } from "@/lib/db/schema";
import { actorOf, type Ctx } from "@/lib/services/context";
import { Conflict } from "@/lib/services/errors";
import { compiledSnapshot } from "@/lib/services/policy/active";
import { isRedecidable, redecideJob } from "@/lib/services/policy/redecide";
import { RefuseAfterCommit, withLockedJob } from "./locked";
import type { ClaimBody, ExecutionGrant } from "./schemas";
import { transitionJob } from "./transition";

const staleSnapshot = (message: string) => new Conflict("stale_snapshot", message);

/** Why this job may not be claimed under the `active` snapshot with this body; null when it may. */
function claimRefusal(job: JobRow, input: ClaimBody, active: string | null): Conflict | null {
  if (job.state !== "APPROVED") {
    // Approved once, then a policy change took the approval back (DESIGN §4): the approval is stale.
    const retracted = job.approvedSnapshot !== null && job.approvedSnapshot !== job.policySnapshot;
    if (retracted && (job.state === "DENIED" || job.state === "APPROVAL")) {
      const now = job.state === "DENIED" ? "denies it" : "needs approvals it lacks";
      return staleSnapshot(`The job was approved under another policy snapshot; the active one ${now}.`);
    }
    if (job.state === "RUNNING" || job.state === "SUCCEEDED" || job.state === "FAILED") {
      return new Conflict("already_claimed", `The job was already claimed (state ${job.state}).`);
    }
    if (job.state === "EXPIRED") return new Conflict("expired", "The job expired without approval.");
    return new Conflict("not_approved", `Only an APPROVED job can be claimed; this one is ${job.state}.`);
  }
  if (input.job_hash !== job.jobHash) {
    return new Conflict("stale_request", "The job hash does not match the approved request.");
  }
  // Approved under the snapshot active now, and the one the executor names (if it names one).
  if (job.policySnapshot !== active || job.approvedSnapshot !== job.policySnapshot) {
    return staleSnapshot("The approval was given under a policy snapshot that is no longer active.");
  }
  if (input.policy_snapshot !== undefined && input.policy_snapshot !== job.policySnapshot) {
    return staleSnapshot("The approval was given under another policy snapshot.");
  }
  return null;
}

/**
 * Execution bind: only what was approved, exactly as approved, under the active policy, once.
 *
 * The tenant's active snapshot is read after the job's lock, while the tenant row is held (key share):
 * an activation holds it for update, so it either committed before (and re-decided this job) or waits
 * for this claim to end. A job still carrying an earlier snapshot is re-decided here first, and that
 * re-decision is committed even when the claim is then refused: no grant under a superseded snapshot.
 */
export async function claimJob({ ctx, id, input }: { ctx: Ctx; id: string; input: ClaimBody }) {
  const tenantId = ctx.principal.tenantId;
  const activeNow = (tx: Db) => txRows<{ active_snapshot_id: string | null }>(tx, sql`select ${tenants.activeSnapshotId} from ${tenants} where ${tenants.id} = ${tenantId}`);
  return withLockedJob(
    ctx,
    id,
    async (tx, locked, votes, tenant) => {
      const active = tenant?.[0]?.active_snapshot_id ?? null;
      let job = locked;
      if (active !== null && isRedecidable(job) && job.policySnapshot !== active) {
        const compiled = await compiledSnapshot(tx, active);
        job = await redecideJob(tx, job, votes, { snapshotId: active, compiled, now: ctx.now });
      }
      const refusal = claimRefusal(job, input, active);
      if (refusal) {
        if (job !== locked) return new RefuseAfterCommit(refusal);
        throw refusal;
      }
      return (await startJob(tx, job, ctx)).grant;
    },
    activeNow,
  );
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

/** What the audit log says of a claim (here, and in the submission statement when a submission claims). */
export function claimedAudit(job: Pick<JobRow, "jobHash" | "policySnapshot">) {
  return { type: "job.claimed", data: { job_hash: job.jobHash, policy_snapshot: job.policySnapshot } };
}

/**
 * A job the policy allows, claimed by the request that submits it (`"claim": true`): it is inserted
 * RUNNING, claimed at its creation by its submitter, and the submission statement audits the claim.
 */
export function claimedAtSubmission(row: JobRow): JobRow {
  return { ...row, state: "RUNNING", claimedAt: row.createdAt, claimedBy: row.requestedBy };
}

/**
 * The claim itself, once the caller has checked that `job` may be claimed and holds it in `tx` (row
 * locked by claimJob): RUNNING, audited.
 */
export async function startJob(tx: Db, job: JobRow, ctx: Ctx): Promise<{ row: JobRow; grant: ExecutionGrant }> {
  const actor = actorOf(ctx.principal);
  const row = await transitionJob(
    tx,
    job,
    { state: "RUNNING", claimedAt: ctx.now, claimedBy: actor },
    { ...claimedAudit(job), actor, at: ctx.now },
  );
  return { row, grant: executionGrant(row) };
}
