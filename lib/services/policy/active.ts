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

// Which snapshot each tenant last had active, as this instance saw it: only a guess for the
// submission path, whose insert re-checks it under the tenant row's lock and asks again when it
// moved (see jobs/insert.ts). Nothing that decides trusts it unchecked.
const lastActive = new Map<string, string>();

/**
 * Drop this instance's guess for the tenant, so its next submission reads the active snapshot. Called
 * whenever a submission fails, whatever the reason: a guess that made one submission fail must not be
 * tried again by every later one (it outlived the policy that broke it, until a restart).
 */
export function forgetActive(tenantId: string): void {
  lastActive.delete(tenantId);
}

/** A stored snapshot, compiled (cached by id: snapshots never change). */
export async function compiledSnapshot(db: Db, snapshotId: string): Promise<CompiledPolicy> {
  const cached = compiled.get(snapshotId);
  if (cached) return cached;
  const [snap] = await db
    .select({ policy: policySnapshots.policy })
    .from(policySnapshots)
    .where(eq(policySnapshots.id, snapshotId));
  if (!snap) throw new NotFound("policy snapshot");
  return compiledFor(snapshotId, snap.policy as Policy);
}

/**
 * The tenant's active policy. With `guess`, the snapshot this instance last saw (no round trip);
 * the caller must re-check it under lock, as the submission's insert does. Otherwise read now.
 */
export async function activePolicy(db: Db, tenantId: string, opts: { guess?: boolean } = {}): Promise<ActivePolicy> {
  const guessed = opts.guess ? lastActive.get(tenantId) : undefined;
  const [tenant] = guessed
    ? [{ snapshotId: guessed }]
    : await db.select({ snapshotId: tenants.activeSnapshotId }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant?.snapshotId) throw new NotFound("tenant policy", `Tenant ${tenantId} has no active policy.`);
  lastActive.set(tenantId, tenant.snapshotId);
  const hit = await compiledSnapshot(db, tenant.snapshotId);
  return { snapshotId: tenant.snapshotId, policy: hit.policy, compiled: hit };
}
