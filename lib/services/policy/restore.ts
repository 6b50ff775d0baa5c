import "server-only";
import { and, eq } from "drizzle-orm";
import { policySnapshots } from "@/lib/db/schema";
import type { Policy } from "@/lib/policy/types";
import { actorOf, withTransaction, type Ctx } from "@/lib/services/context";
import { NotFound } from "@/lib/services/errors";
import { type ActivationResult, activatePolicy } from "./activate";

/**
 * Rollback (DESIGN §2.1): make an earlier snapshot of the tenant active again. It is a new activation
 * like any upload (audited, re-deciding open jobs); a foreign snapshot is as unknown as a missing one.
 */
export async function activateSnapshot({ ctx, id }: { ctx: Ctx; id: string }): Promise<ActivationResult> {
  const tenantId = ctx.principal.tenantId;
  return withTransaction(ctx, async ({ db: tx }) => {
    const [snap] = await tx
      .select({ yaml: policySnapshots.yaml, policy: policySnapshots.policy })
      .from(policySnapshots)
      .where(and(eq(policySnapshots.tenantId, tenantId), eq(policySnapshots.id, id)));
    if (!snap) throw new NotFound("policy snapshot");
    // The stored policy is the validated one, so it hashes back to the same id (content-addressed).
    return activatePolicy(tx, { tenantId, yaml: snap.yaml, policy: snap.policy as Policy, actor: actorOf(ctx.principal), now: ctx.now });
  });
}
