import "server-only";
import type { Ctx } from "@/lib/services/context";
import { activePolicy } from "./active";

/** The active policy's rule ids that can gate a job (for the queue's rule filter). */
export async function activeRuleIds(ctx: Ctx): Promise<string[]> {
  const { policy } = await activePolicy(ctx.db, ctx.principal.tenantId);
  return policy.rules.filter((r) => r.decision === "require_approval").map((r) => r.id).concat("default");
}
