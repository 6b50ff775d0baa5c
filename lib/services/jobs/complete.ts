import "server-only";
import { actorOf, type Ctx } from "@/lib/services/context";
import { Conflict } from "@/lib/services/errors";
import { withLockedJob } from "./locked";
import { renderJob } from "./render";
import type { CompleteBody } from "./schemas";
import { transitionJob } from "./transition";

/** The executor reports how the claimed work ended. */
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
