import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { policyActivations, policySnapshots, tenants } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";

/** Every snapshot the tenant ever had, newest first, with its YAML and when it was last activated. */
export async function listSnapshots({ ctx }: { ctx: Ctx }) {
  const tenantId = ctx.principal.tenantId;
  const [tenant] = await ctx.db.select({ active: tenants.activeSnapshotId }).from(tenants).where(eq(tenants.id, tenantId));
  const rows = await ctx.db
    .select({
      id: policySnapshots.id,
      createdAt: policySnapshots.createdAt,
      createdBy: policySnapshots.createdBy,
      yaml: policySnapshots.yaml,
      lastActivatedAt: sql<Date | null>`max(${policyActivations.activatedAt})`.mapWith((v) => (v ? new Date(v as string) : null)),
      activations: sql<number>`count(${policyActivations.id})`.mapWith(Number),
    })
    .from(policySnapshots)
    .leftJoin(policyActivations, eq(policyActivations.snapshotId, policySnapshots.id))
    .where(eq(policySnapshots.tenantId, tenantId))
    .groupBy(policySnapshots.id)
    .orderBy(desc(policySnapshots.createdAt))
    .limit(500);
  return {
    active: tenant?.active ?? null,
    items: rows.map((r) => ({
      snapshot_id: r.id,
      active: r.id === tenant?.active,
      created_at: r.createdAt.toISOString(),
      created_by: r.createdBy,
      last_activated_at: r.lastActivatedAt?.toISOString() ?? null,
      activations: r.activations,
      yaml: r.yaml,
    })),
  };
}
