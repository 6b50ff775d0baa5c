import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { policyActivations, policySnapshots, tenants } from "@/lib/db/schema";
import { parsePolicy } from "@/lib/policy/parse";
import { policySnapshotId } from "@/lib/policy/snapshot";
import type { Policy } from "@/lib/policy/types";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, withTransaction, type Ctx } from "@/lib/services/context";
import { Invalid, NotFound } from "@/lib/services/errors";
import { endStanding } from "@/lib/services/standing/end";
import { redecideTenant } from "./redecide";

export interface ActivationResult {
  snapshot_id: string;
  changed: boolean;
  redecided: number;
}

/**
 * Store the snapshot (content-addressed: the same policy twice is one snapshot) and make it the
 * tenant's active one, re-deciding its open jobs (pending, approved and unclaimed) in the same transaction.
 */
export async function activatePolicy(
  tx: Db,
  args: { tenantId: string; yaml: string; policy: Policy; actor: string; now: Date },
): Promise<ActivationResult> {
  const { tenantId, yaml, policy, actor, now } = args;
  const snapshotId = policySnapshotId(tenantId, policy);
  // Lock the tenant row: activations of one tenant happen one at a time.
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId)).for("update");
  if (!tenant) throw new NotFound("tenant");
  if (tenant.activeSnapshotId === snapshotId) return { snapshot_id: snapshotId, changed: false, redecided: 0 };

  await tx
    .insert(policySnapshots)
    .values({ id: snapshotId, tenantId, yaml, policy, createdBy: actor, createdAt: now })
    .onConflictDoNothing();
  await tx.update(tenants).set({ activeSnapshotId: snapshotId }).where(eq(tenants.id, tenantId));
  await tx.insert(policyActivations).values({ tenantId, snapshotId, activatedBy: actor, activatedAt: now });
  // Votes and claims take the tenant row before their job, so while this holds the tenant row they wait,
  // and the open jobs locked here are free: a claim that waited finds its job re-decided (or claims it
  // before this activation starts, under the snapshot that was active then).
  const redecided = await redecideTenant(tx, { tenantId, snapshotId, policy, now });
  // Standing approvals last only as long as the policy they were granted under (DESIGN §2.1).
  const standingEnded = await endStanding(tx, { tenantId, actor, snapshotId, now });
  await appendAudit(tx, {
    tenantId,
    type: "policy.activated",
    actor,
    data: { snapshot_id: snapshotId, previous: tenant.activeSnapshotId, redecided, standing_ended: standingEnded },
    at: now,
  });
  return { snapshot_id: snapshotId, changed: true, redecided };
}

export function parseOrThrow(yaml: string): Policy {
  const parsed = parsePolicy(yaml);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    const where = first ? ` (line ${first.line}, column ${first.column}: ${first.message})` : "";
    throw new Invalid(`The policy did not validate${where}; the active policy is unchanged.`, parsed.errors, "invalid_policy");
  }
  return parsed.policy;
}

export async function putPolicy({ ctx, yaml }: { ctx: Ctx; yaml: string }): Promise<ActivationResult> {
  const policy = parseOrThrow(yaml);
  return withTransaction(ctx, ({ db: tx }) =>
    activatePolicy(tx, { tenantId: ctx.principal.tenantId, yaml, policy, actor: actorOf(ctx.principal), now: ctx.now }),
  );
}

export async function getActivePolicy({ ctx }: { ctx: Ctx }) {
  const tenantId = ctx.principal.tenantId;
  const [row] = await ctx.db
    .select({ snap: policySnapshots, activation: policyActivations })
    .from(tenants)
    .innerJoin(policySnapshots, eq(policySnapshots.id, tenants.activeSnapshotId))
    .leftJoin(
      policyActivations,
      and(eq(policyActivations.tenantId, tenants.id), eq(policyActivations.snapshotId, tenants.activeSnapshotId)),
    )
    .where(eq(tenants.id, tenantId))
    .orderBy(desc(policyActivations.id))
    .limit(1);
  if (!row) throw new NotFound("policy");
  return {
    snapshot_id: row.snap.id,
    yaml: row.snap.yaml,
    policy: row.snap.policy,
    created_at: row.snap.createdAt.toISOString(),
    created_by: row.snap.createdBy,
    activated_at: row.activation?.activatedAt.toISOString() ?? null,
    activated_by: row.activation?.activatedBy ?? null,
  };
}
