import { and, asc, eq, gt, gte, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { queryInt } from "@/lib/services/jobs/schemas";

export const AuditQuery = z
  .object({
    job_id: z.string().max(100).optional(),
    type: z.string().max(100).optional(),
    actor: z.string().max(400).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    cursor: queryInt(0, 999_999_999).optional(),
    limit: queryInt(1, 1000).default(100),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

/** The tenant's events in chain order; the cursor is the last seq seen. */
export async function listAudit({ ctx, input }: { ctx: Ctx; input: AuditQuery }) {
  const where: SQL[] = [eq(auditEvents.tenantId, ctx.principal.tenantId)];
  if (input.job_id) where.push(eq(auditEvents.jobId, input.job_id));
  if (input.type) where.push(eq(auditEvents.type, input.type));
  if (input.actor) where.push(eq(auditEvents.actor, input.actor));
  if (input.since) where.push(gte(auditEvents.createdAt, new Date(input.since).toISOString()));
  if (input.until) where.push(lte(auditEvents.createdAt, new Date(input.until).toISOString()));
  if (input.cursor !== undefined) where.push(gt(auditEvents.seq, input.cursor));
  const rows = await ctx.db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(asc(auditEvents.seq))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((r) => ({
      seq: r.seq,
      type: r.type,
      actor: r.actor,
      job_id: r.jobId,
      data: r.data,
      created_at: r.createdAt,
      prev_hash: r.prevHash,
      hash: r.hash,
    })),
    next_cursor: rows.length > input.limit ? String(page.at(-1)!.seq) : null,
  };
}
