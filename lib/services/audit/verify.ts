import "server-only";
import { log } from "@/lib/log";
import { and, asc, count, eq, gt, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import type { Ctx } from "@/lib/services/context";
import { auditEvents, auditHeads } from "@/lib/db/schema";
import { GENESIS_HASH, chainHash } from "./chain";
import type { TenantCheckpoints } from "./checkpoint";
import { eventMacProblem, sealMacHolds } from "./mac";
import { sealTenant } from "./seal";

export interface RejectedEvent {
  id: number;
  type: string;
  actor: string;
  created_at: string;
  reason: string;
}

export interface VerifyResult {
  /** The chain holds (and its checkpoints, if given) and no forged event was found. */
  ok: boolean;
  tenant: string;
  checked: number;
  head: { seq: number; hash: string } | null;
  first_broken: { seq: number; reason: string } | null;
  /** Events that committed between this request's sealing and its reading. */
  pending: number;
  /** Rows the sealer refused because their MAC fails (forged), oldest first, at most 100. */
  rejected: RejectedEvent[];
}

/** How the chain disagrees with the signed checkpoints, when that is what broke it. */
export interface CheckpointFinding {
  code: "rewound" | "rewritten";
  /** The event the checkpoint signed, and the log line that signed it. */
  seq: number;
  line: number;
  reason: string;
}

export interface TenantVerification {
  result: VerifyResult;
  /** Set when the first break is the checkpoints' finding (the chain alone looked whole). */
  checkpoint: CheckpointFinding | null;
}

const BATCH = 2000;
const REJECTED_SHOWN = 100;

/** Recompute the tenant's chain from the first event and name the first link that does not hold. */
export async function verifyChain({ ctx }: { ctx: Ctx }): Promise<VerifyResult> {
  return (await verifyTenant(ctx.db, ctx.principal.tenantId)).result;
}

/** The check behind `GET /audit/verify` and `audit verify`, optionally against signed checkpoints. */
export async function verifyTenant(db: Db, tenant: string, checkpoints?: TenantCheckpoints): Promise<TenantVerification> {
  // Seal what has committed first, so the check covers everything written before this request. If the
  // chain cannot be extended (it was tampered with), verify what is there: that is what names the break.
  await sealTenant(db, tenant).catch((err: unknown) => log().warn({ err }, "sealing before verify failed"));
  // One snapshot for the head and every page: sealers and writers meanwhile cannot look like a break.
  return db.transaction((tx) => verifyIn(tx, tenant, checkpoints), { isolationLevel: "repeatable read", accessMode: "read only" });
}

async function verifyIn(db: Db, tenant: string, checkpoints: TenantCheckpoints | undefined): Promise<TenantVerification> {
  const [head] = await db.select().from(auditHeads).where(eq(auditHeads.tenantId, tenant));
  const [unsealed] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenant), isNull(auditEvents.hash), isNull(auditEvents.rejected)));
  const rejected = await db
    .select({ id: auditEvents.id, type: auditEvents.type, actor: auditEvents.actor, created_at: auditEvents.createdAt, reason: auditEvents.rejected })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenant), isNotNull(auditEvents.rejected)))
    .orderBy(asc(auditEvents.id))
    .limit(REJECTED_SHOWN);
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const result = (first_broken: VerifyResult["first_broken"], checkpoint: CheckpointFinding | null = null): TenantVerification => ({
    result: {
      ok: first_broken === null && rejected.length === 0,
      tenant,
      checked,
      head: head ? { seq: head.seq, hash: head.hash } : null,
      first_broken,
      pending: unsealed?.n ?? 0,
      rejected: rejected.map((r) => ({ ...r, reason: r.reason ?? "" })),
    },
    checkpoint,
  });
  const broken = (seq: number, reason: string) => result({ seq, reason });
  const rewritten = (seq: number, line: number, reason: string) => result({ seq, reason }, { code: "rewritten", seq, line, reason });

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
      // Events from before audit MACs existed fail here too: nothing outside the database vouches for
      // them, and a chain whose MACs were stripped would look the same.
      const problem = eventMacProblem(row);
      if (problem) return broken(row.seq, problem);
      if (!sealMacHolds(row.keyId, row.hash, row.sealMac)) {
        return broken(row.seq, "its seal MAC does not match its place in the chain: the chain was recomputed from here (events removed, reordered or rewritten)");
      }
      const signed = checkpoints?.bySeq.get(row.seq);
      if (signed && signed.hash !== row.hash) {
        const reason = `it is not the event #${row.seq} signed in the checkpoint of ${signed.at}: the chain was rewritten up to here`;
        return rewritten(row.seq, signed.line, reason);
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }
  const lastSeq = expectedSeq - 1;
  if (checkpoints) {
    const conflict = checkpoints.conflicts[0];
    if (conflict) {
      const reason = `checkpoints of ${conflict.at.join(" and ")} signed different events #${conflict.seq}: the chain was rewritten between them`;
      return rewritten(conflict.seq, conflict.line, reason);
    }
    const { last } = checkpoints;
    if (last.seq > lastSeq) {
      const reason = `event ${lastSeq + 1} is missing: the checkpoint of ${last.at} signed the chain up to #${last.seq} (it was cut back)`;
      return result({ seq: lastSeq + 1, reason }, { code: "rewound", seq: last.seq, line: last.line, reason });
    }
  }
  if (!head && lastSeq > 0) return broken(lastSeq, "sealed events exist but the chain head is gone");
  if (head && (head.seq !== lastSeq || head.hash !== prevHash)) {
    return broken(lastSeq + 1, `the chain head says ${head.seq} events but ${lastSeq} were found`);
  }
  return result(null);
}
