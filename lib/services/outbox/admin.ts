import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { deliveries, deliveryAttempts } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, type Ctx } from "@/lib/services/context";
import { CursorId, CursorInstant, decodeCursor, encodeCursor } from "@/lib/services/cursor";
import { NotFound } from "@/lib/services/errors";
import { queryInt } from "@/lib/services/jobs/schemas";
import { TenantId } from "@/lib/services/provisioning/schemas";

export const DeliveriesQuery = z
  .object({
    tenant: TenantId.optional(),
    job_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional(),
    state: z.enum(["pending", "delivered", "failed"]).optional(),
    limit: queryInt(1, 200).default(50),
    // Newest first; the cursor is the one the previous page handed out.
    cursor: z.string().max(400).optional(),
  })
  .strict();
export type DeliveriesQuery = z.infer<typeof DeliveriesQuery>;

type Delivery = typeof deliveries.$inferSelect;

const cursorBefore = ([at, id]: [string, string]) => sql`(${deliveries.createdAt}, ${deliveries.id}) < (${at}::timestamptz, ${id})`;
type Attempt = typeof deliveryAttempts.$inferSelect;

const renderAttempt = (a: Attempt) => ({ at: a.attemptedAt.toISOString(), status_code: a.statusCode, latency_ms: a.latencyMs, error: a.error });

const render = (d: Delivery, attempts: Attempt[]) => ({
  id: d.id,
  kind: d.kind,
  event_type: d.eventType,
  job_id: d.jobId,
  url: d.url,
  state: d.state,
  attempts: d.attempts,
  next_attempt_at: d.state === "pending" ? d.nextAttemptAt.toISOString() : null,
  last_error: d.lastError,
  created_at: d.createdAt.toISOString(),
  delivered_at: d.deliveredAt?.toISOString() ?? null,
  attempt_log: attempts.map(renderAttempt),
});

// The last item's [created_at, id]; newest first.
const DeliveryCursor = z.tuple([CursorInstant, CursorId]);
const cursorOf = (d: Delivery) => encodeCursor([d.createdAt.toISOString(), d.id]);

/** The tenant's webhook deliveries with every attempt (status, latency, error), newest first. */
export async function listDeliveries({ ctx, input }: { ctx: Ctx; input: DeliveriesQuery }) {
  const tenantId = ctx.principal.tenantId;
  const rows = await ctx.db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.tenantId, tenantId),
        input.job_id ? eq(deliveries.jobId, input.job_id) : undefined,
        input.state ? eq(deliveries.state, input.state) : undefined,
        input.cursor ? cursorBefore(decodeCursor(input.cursor, DeliveryCursor)) : undefined,
      ),
    )
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(input.limit);
  const attempts = rows.length
    ? await ctx.db
        .select()
        .from(deliveryAttempts)
        .where(and(eq(deliveryAttempts.tenantId, tenantId), inArray(deliveryAttempts.deliveryId, rows.map((r) => r.id))))
        .orderBy(deliveryAttempts.id)
    : [];
  const byDelivery = new Map<string, Attempt[]>();
  for (const a of attempts) byDelivery.set(a.deliveryId, [...(byDelivery.get(a.deliveryId) ?? []), a]);
  return {
    items: rows.map((r) => render(r, byDelivery.get(r.id) ?? [])),
    next_cursor: rows.length === input.limit ? cursorOf(rows[rows.length - 1]!) : null,
  };
}

/**
 * Send a delivery again now, whatever became of it. Its retry window starts over (created_at is when it
 * was last queued); the body, and so the event id, stay the same. Audited.
 */
export async function redeliver({ ctx, id }: { ctx: Ctx; id: string }) {
  const { db, principal, now } = ctx;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(deliveries)
      .set({ state: "pending", nextAttemptAt: now, leaseUntil: null, createdAt: now })
      .where(and(eq(deliveries.tenantId, principal.tenantId), eq(deliveries.id, id)))
      .returning();
    if (!row) throw new NotFound("delivery");
    await appendAudit(tx, { tenantId: principal.tenantId, jobId: row.jobId, type: "delivery.redelivered", actor: actorOf(principal), data: { delivery_id: id, url: row.url }, at: now });
    return render(row, []);
  });
}
