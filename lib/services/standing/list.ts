import "server-only";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { standingApprovals } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { renderStanding } from "./render";

/** The tenant's live standing approvals (not revoked, not expired), soonest to end first. */
export async function listStanding({ ctx }: { ctx: Ctx }) {
  const rows = await ctx.db
    .select()
    .from(standingApprovals)
    .where(and(eq(standingApprovals.tenantId, ctx.principal.tenantId), isNull(standingApprovals.revokedAt), gt(standingApprovals.expiresAt, ctx.now)))
    .orderBy(asc(standingApprovals.expiresAt), asc(standingApprovals.id))
    .limit(500);
  return { items: rows.map(renderStanding), next_cursor: null };
}
