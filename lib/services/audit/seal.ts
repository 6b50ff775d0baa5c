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
      const values = rows.map((row) => {
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
        return sql`(${row.id}::bigint, ${seq}::bigint, ${prev}, ${hash})`;
      });
      await tx.execute(sql`
        update ${auditEvents} as a set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
        from (values ${sql.join(values, sql`, `)}) as v(id, seq, prev_hash, hash)
        where a.id = v.id and a.tenant_id = ${tenantId} and a.hash is null`);
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
