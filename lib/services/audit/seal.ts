import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { auditEvents, auditHeads } from "@/lib/db/schema";
import { GENESIS_HASH, appendAudit, chainHash } from "./chain";
import { eventMacProblem, sealMac } from "./mac";

const BATCH = 2000;

export const SEALER_ACTOR = "system:audit";

/**
 * Seal the tenant's committed events into its chain: each sealing appends the events it can see, in
 * the order they were written. The chain's order is the order of sealing; an event committed late (by
 * a long transaction) simply joins a later sealing. Events that depend on each other (a vote on a
 * job, after the job) commit in that order, so they are sealed in that order. The head row lock keeps
 * two sealers (in this or another instance) from forking the chain; with `skipLocked` a busy tenant is
 * left to whoever holds it. Returns how many events were sealed.
 *
 * An event whose MAC fails (written by someone without the app's key) is never sealed: it is marked
 * rejected, which takes it out of every later sealing, and an `audit.event_rejected` event, genuine and
 * sealed after it, records in the chain what was refused and why. So a forged row cannot stall the
 * tenant's chain, nor pass for a genuine event.
 */
export async function sealTenant(db: Db, tenantId: string, opts: { skipLocked?: boolean } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      await tx.insert(auditHeads).values({ tenantId, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
      const lock = tx.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId));
      const [head] = await (opts.skipLocked ? lock.for("update", { skipLocked: true }) : lock.for("update"));
      if (!head) return { examined: 0, sealed: 0, rejected: 0 };
      const rows = await tx
        .select({
          id: auditEvents.id,
          type: auditEvents.type,
          actor: auditEvents.actor,
          jobId: auditEvents.jobId,
          data: auditEvents.data,
          createdAt: auditEvents.createdAt,
          keyId: auditEvents.keyId,
          nonce: auditEvents.nonce,
          mac: auditEvents.mac,
        })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), isNull(auditEvents.hash), isNull(auditEvents.rejected)))
        .orderBy(asc(auditEvents.id))
        .limit(BATCH);
      if (rows.length === 0) return { examined: 0, sealed: 0, rejected: 0 };

      let { seq, hash } = head;
      const sealing = { ids: [] as number[], seqs: [] as number[], prevs: [] as string[], hashes: [] as string[], macs: [] as string[] };
      const refused: { row: (typeof rows)[number]; reason: string }[] = [];
      for (const row of rows) {
        const reason = eventMacProblem({ ...row, tenantId });
        if (reason) {
          refused.push({ row, reason });
          continue;
        }
        const prev = hash;
        seq += 1;
        hash = chainHash(prev, {
          tenant_id: tenantId,
          seq,
          type: row.type,
          actor: row.actor,
          job_id: row.jobId,
          data: row.data,
          created_at: row.createdAt,
        });
        sealing.ids.push(row.id);
        sealing.seqs.push(seq);
        sealing.prevs.push(prev);
        sealing.hashes.push(hash);
        sealing.macs.push(sealMac(row.keyId!, hash));
      }
      if (sealing.ids.length > 0) {
        // One statement text whatever the batch size (it is prepared once per connection), arrays as
        // single parameters.
        const { ids, seqs, prevs, hashes, macs } = sealing;
        const sealed = await tx
          .update(auditEvents)
          .set({ seq: sql`v.seq`, prevHash: sql`v.prev_hash`, hash: sql`v.hash`, sealMac: sql`v.seal_mac` })
          .from(
            sql`unnest(${sql.param(ids)}::bigint[], ${sql.param(seqs)}::bigint[], ${sql.param(prevs)}::text[], ${sql.param(hashes)}::text[], ${sql.param(macs)}::text[]) as v(id, seq, prev_hash, hash, seal_mac)`,
          )
          .where(and(sql`${auditEvents.id} = v.id`, eq(auditEvents.tenantId, tenantId), isNull(auditEvents.hash)))
          .returning({ id: auditEvents.id });
        // Under the head lock nobody else seals these rows; a shortfall means the table was touched
        // behind our back, and moving the head past a gap would hide it.
        if (sealed.length !== ids.length) {
          throw new Error(`sealing tenant ${tenantId}: ${sealed.length} of ${ids.length} events updated`);
        }
        await tx.update(auditHeads).set({ seq, hash }).where(eq(auditHeads.tenantId, tenantId));
      }
      if (refused.length > 0) await reject(tx, tenantId, refused);
      return { examined: rows.length, sealed: sealing.ids.length, rejected: refused.length };
    });
    total += batch.sealed;
    // After a rejection, go round once more so the event recording it is sealed now, not next time.
    if (batch.examined < BATCH && batch.rejected === 0) return total;
  }
}

const clip = (s: string) => s.slice(0, 200);

/** Mark forged events rejected and record the refusal in the chain, in the sealing's transaction. */
async function reject(tx: Db, tenantId: string, refused: { row: { id: number; type: string; actor: string; jobId: string | null; createdAt: string }; reason: string }[]) {
  console.error(`[countersign] audit: refused to seal ${refused.length} event(s) of tenant ${tenantId} whose MAC fails (ids ${refused.map((r) => r.row.id).join(", ")})`);
  await tx
    .update(auditEvents)
    .set({ rejected: sql`v.reason` })
    .from(sql`unnest(${sql.param(refused.map((r) => r.row.id))}::bigint[], ${sql.param(refused.map((r) => r.reason))}::text[]) as v(id, reason)`)
    .where(and(sql`${auditEvents.id} = v.id`, eq(auditEvents.tenantId, tenantId), isNull(auditEvents.hash)));
  await appendAudit(tx, {
    tenantId,
    type: "audit.event_rejected",
    actor: SEALER_ACTOR,
    data: {
      // What the forger wrote is quoted short: it names the row, and cannot bloat the genuine record.
      events: refused.map(({ row, reason }) => ({ id: row.id, type: clip(row.type), actor: clip(row.actor), job_id: row.jobId && clip(row.jobId), created_at: clip(row.createdAt), reason })),
    },
    at: new Date(),
  });
}

/** Tenants with events waiting to be sealed. */
export async function tenantsWithUnsealed(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ tenantId: auditEvents.tenantId })
    .from(auditEvents)
    .where(and(isNull(auditEvents.hash), isNull(auditEvents.rejected)))
    .limit(1000);
  return rows.map((r) => r.tenantId);
}
