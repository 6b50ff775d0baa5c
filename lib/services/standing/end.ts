import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { auditEvents, standingApprovals } from "@/lib/db/schema";
import { auditRow } from "@/lib/services/audit/chain";

/**
 * A policy activation ends every live standing approval of the tenant (DESIGN §2.1), in its own
 * transaction, after it took the tenant row FOR UPDATE: a submission takes the tenant row before the
 * grant, so it waits for the activation and then finds the grant revoked. Each ending is audited.
 */
export async function endStanding(tx: Db, args: { tenantId: string; actor: string; snapshotId: string; now: Date }): Promise<number> {
  const { tenantId, actor, snapshotId, now } = args;
  const ended = await tx
    .update(standingApprovals)
    .set({ revokedAt: now, revokedBy: actor })
    .where(and(eq(standingApprovals.tenantId, tenantId), isNull(standingApprovals.revokedAt), gt(standingApprovals.expiresAt, now)))
    .returning();
  if (ended.length > 0) {
    await tx.insert(auditEvents).values(
      ended.map((g) =>
        auditRow({
          tenantId,
          type: "approval.standing_revoked",
          actor,
          jobId: g.sourceJobId,
          data: { id: g.id, job_hash: g.jobHash, agent: g.agent, granted_by: g.grantedBy, cause: "policy_activated", policy_snapshot: snapshotId },
          at: now,
        }),
      ),
    );
  }
  return ended.length;
}
