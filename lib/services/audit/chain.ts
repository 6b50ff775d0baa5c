import { canonicalJson } from "@/lib/policy/snapshot";
import { sha256Hex } from "@/lib/sha256";
import type { Db } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import { stampEvent } from "./mac";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditInput {
  tenantId: string;
  type: string;
  actor: string;
  jobId?: string | null;
  data: Record<string, unknown>;
  at: Date;
}

/** What is hashed for each event: its content and its place in the tenant's chain. */
export interface ChainedEvent {
  tenant_id: string;
  seq: number;
  type: string;
  actor: string;
  job_id: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

/** hash = sha256(prev_hash ‖ canonical event): what sealing computes and `verify` recomputes. */
export function chainHash(prevHash: string, event: ChainedEvent): string {
  return sha256Hex(prevHash + canonicalJson(event));
}

/**
 * Write one audit event in the caller's transaction, so it commits or vanishes with the change it
 * records. No lock is taken: the event is sealed into the tenant's chain after commit (see seal.ts),
 * so the chain never becomes the ceiling of write throughput. It carries the app's MAC (mac.ts).
 */
export async function appendAudit(tx: Db, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values(auditRow(input));
}

/** The row appendAudit writes, MAC included: for a statement that writes several events at once. */
export function auditRow(input: AuditInput): typeof auditEvents.$inferInsert {
  const content = { tenantId: input.tenantId, type: input.type, actor: input.actor, jobId: input.jobId ?? null, data: input.data, createdAt: input.at.toISOString() };
  const stamp = stampEvent(content);
  return { ...content, data: stamp.data, keyId: stamp.keyId, nonce: stamp.nonce, mac: stamp.mac };
}
