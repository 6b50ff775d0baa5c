import "server-only";
import { actorOf, principalKey, type Ctx } from "@/lib/services/context";
import { Conflict, Forbidden } from "@/lib/services/errors";
import { withLockedJob } from "./locked";
import { renderJob } from "./render";
import { transitionJob } from "./transition";

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
        resolvedReason: reason ?? null,
        resolvedAt: ctx.now,
      },
      { type: "job.cancelled", actor, data: { reason: reason ?? null }, at: ctx.now },
    );
    return { row: updated, votes };
  });
  return renderJob(row, votes, ctx.principal, ctx.now);
}
