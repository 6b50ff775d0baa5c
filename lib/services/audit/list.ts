import { and, asc, eq, gt, gte, isNull, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { CursorSeq, cursorRefused } from "@/lib/services/cursor";
import { Instant, queryInt } from "@/lib/services/jobs/schemas";
import { sealTenant } from "./seal";

export const AuditQuery = z
  .object({
    job_id: z.string().max(100).optional(),
    type: z.string().max(100).optional(),
    actor: z.string().max(400).optional(),
    since: Instant.optional(),
    until: Instant.optional(),
    // The last event id seen; decoded by listAudit (400 invalid_cursor, as every listing's cursor).
    cursor: z.string().max(40).optional(),
    limit: queryInt(1, 1000).default(100),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

/** The export takes the listing's filters; it pages by itself. */
export const AuditExportQuery = AuditQuery.omit({ cursor: true, limit: true });

/**
 * The tenant's events in the order they were written (sealed ones carry their place in the chain);
 * the cursor is the last event id seen. Committed events are sealed first, so an answer shows them
 * chained unless an older transaction is still running.
 */
export async function listAudit({ ctx, input }: { ctx: Ctx; input: AuditQuery }) {
  await sealTenant(ctx.db, ctx.principal.tenantId).catch((err) => console.warn("[countersign] sealing before listing failed", err));
  // Rows the sealer refused as forged are not events of this tenant (verify names them).
  const where: SQL[] = [eq(auditEvents.tenantId, ctx.principal.tenantId), isNull(auditEvents.rejected)];
  if (input.job_id) where.push(eq(auditEvents.jobId, input.job_id));
  if (input.type) where.push(eq(auditEvents.type, input.type));
  if (input.actor) where.push(eq(auditEvents.actor, input.actor));
  if (input.since) where.push(gte(auditEvents.createdAt, new Date(input.since).toISOString()));
  if (input.until) where.push(lte(auditEvents.createdAt, new Date(input.until).toISOString()));
  if (input.cursor !== undefined) {
    const after = CursorSeq.safeParse(input.cursor);
    if (!after.success) throw cursorRefused();
    where.push(gt(auditEvents.id, after.data));
  }
  const rows = await ctx.db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(asc(auditEvents.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      seq: r.seq,
      type: r.type,
      actor: r.actor,
      job_id: r.jobId,
      data: r.data,
      created_at: r.createdAt,
      prev_hash: r.prevHash,
      hash: r.hash,
    })),
    next_cursor: rows.length > input.limit ? String(page.at(-1)!.id) : null,
  };
}
