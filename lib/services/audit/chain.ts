import { eq, sql } from "drizzle-orm";
import { canonicalJson, sha256Hex } from "@/lib/policy/snapshot";
import type { Db } from "@/lib/db/client";
import { auditEvents, auditHeads } from "@/lib/db/schema";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditInput {
  tenantId: string;
  type: string;
  actor: string;
  jobId?: string | null;
  data: Record<string, unknown>;
  at: Date;
}

export interface ChainedEvent {
  tenant_id: string;
  seq: number;
  type: string;
  actor: string;
  job_id: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

/** hash = sha256(prev_hash ‖ canonical event): what `verify` recomputes. */
export function chainHash(prevHash: string, event: ChainedEvent): string {
  return sha256Hex(prevHash + canonicalJson(event));
}

async function lockHead(tx: Db, tenantId: string) {
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId)).for("update");
  return head;
}

/**
 * Append one event to the tenant's chain inside the caller's transaction. The head row is locked,
 * so concurrent writers queue here instead of forking the chain; callers append last, just before
 * commit, to hold that lock as briefly as possible. Two round trips: lock the head, then write the
 * event and move the head in one statement.
 */
export async function appendAudit(tx: Db, input: AuditInput): Promise<void> {
  let head = await lockHead(tx, input.tenantId);
  if (!head) {
    // Tenants get their head at creation; this covers one made before that rule.
    await tx.insert(auditHeads).values({ tenantId: input.tenantId, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
    head = await lockHead(tx, input.tenantId);
  }
  if (!head) throw new Error(`audit head missing for tenant ${input.tenantId}`);

  const event: ChainedEvent = {
    tenant_id: input.tenantId,
    seq: head.seq + 1,
    type: input.type,
    actor: input.actor,
    job_id: input.jobId ?? null,
    // Round-trip through JSON so what is hashed is exactly what jsonb will hand back.
    data: JSON.parse(JSON.stringify(input.data)) as Record<string, unknown>,
    created_at: input.at.toISOString(),
  };
  const hash = chainHash(head.hash, event);
  await tx.execute(sql`
    with appended as (
      insert into ${auditEvents} (tenant_id, seq, type, actor, job_id, data, created_at, prev_hash, hash)
      values (${event.tenant_id}, ${event.seq}, ${event.type}, ${event.actor}, ${event.job_id},
              ${JSON.stringify(event.data)}::jsonb, ${event.created_at}, ${head.hash}, ${hash})
      returning seq
    )
    update ${auditHeads} set seq = (select seq from appended), hash = ${hash}
    where tenant_id = ${input.tenantId}`);
}
