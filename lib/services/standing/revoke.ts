import "server-only";
import { and, eq } from "drizzle-orm";
import { standingApprovals } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, withTransaction, type Ctx } from "@/lib/services/context";
import { Forbidden, NotFound } from "@/lib/services/errors";
import { renderStanding } from "./render";

/**
 * Revoke a live standing approval: its granter or an admin may (DESIGN §2.1). The row lock orders this
 * against a submission using it (which holds it FOR SHARE): either that job was approved first, or it
 * sees the grant revoked. A grant already revoked answers as it stands; an expired one is revoked too.
 */
export async function revokeStanding({ ctx, id }: { ctx: Ctx; id: string }) {
  const { principal, now } = ctx;
  const row = await withTransaction(ctx, async ({ db: tx }) => {
    const [current] = await tx
      .select()
      .from(standingApprovals)
      .where(and(eq(standingApprovals.tenantId, principal.tenantId), eq(standingApprovals.id, id)))
      .for("update");
    if (!current) throw new NotFound("standing approval");
    const mine = principal.kind === "user" && principal.userId === current.grantedByUserId;
    if (!mine && !principal.scopes.has("admin")) {
      throw new Forbidden("not_granter", "Only the person who granted a standing approval, or an admin, may revoke it.");
    }
    // Revoking twice answers as the first time did (as DELETE /admin/tokens/{id} does), auditing once.
    if (current.revokedAt) return current;
    const actor = actorOf(principal);
    const [updated] = await tx
      .update(standingApprovals)
      .set({ revokedAt: now, revokedBy: actor })
      .where(and(eq(standingApprovals.tenantId, principal.tenantId), eq(standingApprovals.id, id)))
      .returning();
    await appendAudit(tx, {
      tenantId: principal.tenantId,
      type: "approval.standing_revoked",
      actor,
      jobId: current.sourceJobId,
      data: { id, job_hash: current.jobHash, agent: current.agent, granted_by: current.grantedBy, cause: "revoked" },
      at: now,
    });
    return updated!;
  });
  return { ...renderStanding(row), revoked_at: row.revokedAt!.toISOString(), revoked_by: row.revokedBy };
}
