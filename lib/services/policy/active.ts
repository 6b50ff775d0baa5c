import { eq } from "drizzle-orm";
import type { Db, RawQuery } from "@/lib/db/client";
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
 * The tenant's active policy. Reading it takes no lock: the submission's insert re-checks, under the
 * tenant row's lock, that this snapshot is still the active one (see jobs/insert.ts).
 */
export async function activePolicy(db: Db, tenantId: string, opts: { query?: RawQuery } = {}): Promise<ActivePolicy> {
  const [tenant] = opts.query
    ? (await opts.query<{ snapshot_id: string | null }>("select active_snapshot_id as snapshot_id from tenants where id = $1", [tenantId])).map(
        (r) => ({ snapshotId: r.snapshot_id }),
      )
    : await db.select({ snapshotId: tenants.activeSnapshotId }).from(tenants).where(eq(tenants.id, tenantId));
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
