import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { policySnapshots, tenants } from "@/lib/db/schema";
import { compilePolicy, type CompiledPolicy } from "@/lib/policy/evaluate";
import type { Policy } from "@/lib/policy/types";
import { NotFound } from "@/lib/services/errors";

// Snapshots are immutable and content-addressed, so a compiled one can be cached by id forever;
// which snapshot is active is always read from the database.
const compiled = new Map<string, CompiledPolicy>();

export function compiledFor(snapshotId: string, policy: Policy): CompiledPolicy {
  let hit = compiled.get(snapshotId);
  if (!hit) {
    hit = compilePolicy(policy);
    if (compiled.size > 500) compiled.clear();
    compiled.set(snapshotId, hit);
  }
  return hit;
}

export interface ActivePolicy {
  snapshotId: string;
  policy: Policy;
  compiled: CompiledPolicy;
}

/**
 * The tenant's active policy. Inside a submit transaction pass `lock`: the tenant row is held
 * FOR KEY SHARE until commit, so an activation (which takes it FOR UPDATE) either waits for this job
 * and then re-decides it, or has committed before and this job sees the new snapshot. Either way no
 * job slips past a new policy under the old one.
 */
export async function activePolicy(db: Db, tenantId: string, opts: { lock?: boolean } = {}): Promise<ActivePolicy> {
  const query = db.select({ snapshotId: tenants.activeSnapshotId }).from(tenants).where(eq(tenants.id, tenantId));
  const [tenant] = await (opts.lock ? query.for("key share") : query);
  if (!tenant?.snapshotId) throw new NotFound("tenant policy", `Tenant ${tenantId} has no active policy.`);
  const cached = compiled.get(tenant.snapshotId);
  if (cached) return { snapshotId: tenant.snapshotId, policy: cached.policy, compiled: cached };
  const [snap] = await db
    .select({ policy: policySnapshots.policy })
    .from(policySnapshots)
    .where(eq(policySnapshots.id, tenant.snapshotId));
  if (!snap) throw new NotFound("policy snapshot");
  const policy = snap.policy as Policy;
  return { snapshotId: tenant.snapshotId, policy, compiled: compiledFor(tenant.snapshotId, policy) };
}
