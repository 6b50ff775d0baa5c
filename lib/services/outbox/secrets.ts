import "server-only";
import crypto from "node:crypto";
import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
import { ulid } from "@/lib/ids";
import type { Db } from "@/lib/db/client";
import { callbackSecrets, tenants } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, type Ctx } from "@/lib/services/context";

/** How long the previous secret keeps signing after a rotation, so receivers can switch without a gap. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

const newSecret = () => `whsec_${crypto.randomBytes(32).toString("base64url")}`;

const valid = (tenantId: string, now: Date) =>
  and(eq(callbackSecrets.tenantId, tenantId), or(isNull(callbackSecrets.retiresAt), gt(callbackSecrets.retiresAt, now)));

async function validSecrets(db: Db, tenantId: string, now: Date) {
  return db.select().from(callbackSecrets).where(valid(tenantId, now)).orderBy(desc(callbackSecrets.createdAt)).limit(2);
}

/** The secrets that sign a tenant's deliveries now, current first; the first is made on first need. */
export async function signingSecrets(db: Db, tenantId: string, now: Date): Promise<string[]> {
  let rows = await validSecrets(db, tenantId, now);
  if (rows.length === 0) {
    // Racing instances settle on the unique "one current secret" index.
    await db.insert(callbackSecrets).values({ id: `whs-${ulid()}`, tenantId, secret: newSecret(), createdAt: now }).onConflictDoNothing();
    rows = await validSecrets(db, tenantId, now);
  }
  return rows.map((r) => r.secret);
}

const render = (r: typeof callbackSecrets.$inferSelect) => ({
  id: r.id,
  secret: r.secret,
  created_at: r.createdAt.toISOString(),
  retires_at: r.retiresAt?.toISOString() ?? null,
});

/** The signing secrets admins configure receivers with (current first). */
export async function listCallbackSecrets({ ctx }: { ctx: Ctx }) {
  await signingSecrets(ctx.db, ctx.principal.tenantId, ctx.now);
  return { items: (await validSecrets(ctx.db, ctx.principal.tenantId, ctx.now)).map(render) };
}

/**
 * Start signing with a new secret. The old current one keeps signing alongside for 24 h (two v1
 * signatures per delivery), and any older one stops now. Serialised on the tenant row.
 */
export async function rotateCallbackSecret({ ctx }: { ctx: Ctx }) {
  const { db, principal, now } = ctx;
  const tenantId = principal.tenantId;
  return db.transaction(async (tx) => {
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for("update");
    await tx
      .update(callbackSecrets)
      .set({ retiresAt: now })
      .where(and(eq(callbackSecrets.tenantId, tenantId), gt(callbackSecrets.retiresAt, now)));
    const previousUntil = new Date(now.getTime() + ROTATION_OVERLAP_MS);
    const retired = await tx
      .update(callbackSecrets)
      .set({ retiresAt: previousUntil })
      .where(and(eq(callbackSecrets.tenantId, tenantId), isNull(callbackSecrets.retiresAt)))
      .returning({ id: callbackSecrets.id });
    const [row] = await tx.insert(callbackSecrets).values({ id: `whs-${ulid()}`, tenantId, secret: newSecret(), createdAt: now }).returning();
    await appendAudit(tx, {
      tenantId,
      type: "callback_secret.rotated",
      actor: actorOf(principal),
      data: { secret_id: row!.id, previous_id: retired[0]?.id ?? null, previous_valid_until: retired[0] ? previousUntil.toISOString() : null },
      at: now,
    });
    return { ...render(row!), previous_valid_until: retired[0] ? previousUntil.toISOString() : null };
  });
}

