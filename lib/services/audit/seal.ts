import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { auditEvents, auditHeads } from "@/lib/db/schema";
import { GENESIS_HASH, chainHash } from "./chain";

const BATCH = 2000;

/**
 * Seal the tenant's committed events into its chain: each sealing appends the events it can see, in
 * the order they were written. The chain's order is the order of sealing; an event committed late (by
 * a long transaction) simply joins a later sealing. Events that depend on each other (a vote on a
 * job, after the job) commit in that order, so they are sealed in that order. The head row lock keeps
 * two sealers (in this or another instance) from forking the chain; with `skipLocked` a busy tenant is
 * left to whoever holds it. Returns how many events were sealed.
 */
export async function sealTenant(db: Db, tenantId: string, opts: { skipLocked?: boolean } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await db.transaction(async (tx) => {
      await tx.insert(auditHeads).values({ tenantId, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
      const lock = tx.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId));
      const [head] = await (opts.skipLocked ? lock.for("update", { skipLocked: true }) : lock.for("update"));
      if (!head) return 0;
      const rows = await tx
        .select({
          id: auditEvents.id,
          type: auditEvents.type,
          actor: auditEvents.actor,
          jobId: auditEvents.jobId,
          data: auditEvents.data,
          createdAt: auditEvents.createdAt,
        })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), isNull(auditEvents.hash)))
        .orderBy(asc(auditEvents.id))
        .limit(BATCH);
      if (rows.length === 0) return 0;

      let { seq, hash } = head;
      const ids: number[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
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
        ids.push(row.id);
        seqs.push(seq);
        prevs.push(prev);
        hashes.push(hash);
      }
      // One statement text whatever the batch size (it is prepared once per connection), arrays as
      // single parameters.
      const sealed = await tx
        .update(auditEvents)
        .set({ seq: sql`v.seq`, prevHash: sql`v.prev_hash`, hash: sql`v.hash` })
        .from(
          sql`unnest(${sql.param(ids)}::bigint[], ${sql.param(seqs)}::bigint[], ${sql.param(prevs)}::text[], ${sql.param(hashes)}::text[]) as v(id, seq, prev_hash, hash)`,
        )
        .where(and(sql`${auditEvents.id} = v.id`, eq(auditEvents.tenantId, tenantId), isNull(auditEvents.hash)))
        .returning({ id: auditEvents.id });
      // Under the head lock nobody else seals these rows; a shortfall means the table was touched
      // behind our back, and moving the head past a gap would hide it.
      if (sealed.length !== rows.length) {
        throw new Error(`sealing tenant ${tenantId}: ${sealed.length} of ${rows.length} events updated`);
      }
      await tx.update(auditHeads).set({ seq, hash }).where(eq(auditHeads.tenantId, tenantId));
      return rows.length;
    });
    total += sealed;
    if (sealed < BATCH) return total;
  }
}

/** Tenants with events waiting to be sealed. */
export async function tenantsWithUnsealed(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ tenantId: auditEvents.tenantId })
    .from(auditEvents)
    .where(isNull(auditEvents.hash))
    .limit(1000);
  return rows.map((r) => r.tenantId);
}
