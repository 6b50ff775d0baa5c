import { and, asc, count, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import type { Ctx } from "@/lib/services/context";
import { auditEvents, auditHeads } from "@/lib/db/schema";
import { GENESIS_HASH, chainHash } from "./chain";
import { sealTenant } from "./seal";

export interface VerifyResult {
  ok: boolean;
  tenant: string;
  checked: number;
  head: { seq: number; hash: string } | null;
  first_broken: { seq: number; reason: string } | null;
  /** Events that committed between this request's sealing and its reading. */
  pending: number;
}

const BATCH = 2000;

/** Recompute the tenant's chain from the first event and name the first link that does not hold. */
export async function verifyChain({ ctx }: { ctx: Ctx }): Promise<VerifyResult> {
  // Seal what has committed first, so the check covers everything written before this request. If the
  // chain cannot be extended (it was tampered with), verify what is there: that is what names the break.
  await sealTenant(ctx.db, ctx.principal.tenantId).catch((err) => console.warn("[countersign] sealing before verify failed", err));
  // One snapshot for the head and every page: sealers and writers meanwhile cannot look like a break.
  return ctx.db.transaction((tx) => verifyIn(tx, ctx.principal.tenantId), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
}

async function verifyIn(db: Db, tenant: string): Promise<VerifyResult> {
  const [head] = await db.select().from(auditHeads).where(eq(auditHeads.tenantId, tenant));
  const [unsealed] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenant), isNull(auditEvents.hash)));
  const pending = unsealed?.n ?? 0;
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const broken = (seq: number, reason: string): VerifyResult => ({
    ok: false,
    tenant,
    checked,
    head: head ? { seq: head.seq, hash: head.hash } : null,
    first_broken: { seq, reason },
    pending,
  });

  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant), gt(auditEvents.seq, expectedSeq - 1)))
      .orderBy(asc(auditEvents.seq))
      .limit(BATCH);
    for (const row of rows) {
      if (row.seq !== expectedSeq) return broken(expectedSeq, `event ${expectedSeq} is missing`);
      if (row.prevHash !== prevHash || row.hash === null) return broken(row.seq, "prev_hash does not match the previous event's hash");
      const recomputed = chainHash(prevHash, {
        tenant_id: row.tenantId,
        seq: row.seq,
        type: row.type,
        actor: row.actor,
        job_id: row.jobId,
        data: row.data,
        created_at: row.createdAt,
      });
      if (recomputed !== row.hash) return broken(row.seq, "the event's content does not match its hash");
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }
  const lastSeq = expectedSeq - 1;
  if (!head && lastSeq > 0) return broken(lastSeq, "sealed events exist but the chain head is gone");
  if (head && (head.seq !== lastSeq || head.hash !== prevHash)) {
    return broken(lastSeq + 1, `the chain head says ${head.seq} events but ${lastSeq} were found`);
  }
  return { ok: true, tenant, checked, head: head ? { seq: head.seq, hash: head.hash } : null, first_broken: null, pending };
}
