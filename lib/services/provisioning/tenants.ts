import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { auditHeads, tenants } from "@/lib/db/schema";
import { DEFAULT_POLICY_YAML } from "@/lib/policy/default-policy";
import { GENESIS_HASH, appendAudit } from "@/lib/services/audit/chain";
import { actorOf, withTransaction, type Ctx, type Principal } from "@/lib/services/context";
import { Conflict, Forbidden, NotFound } from "@/lib/services/errors";
import { activatePolicy, parseOrThrow } from "@/lib/services/policy/activate";
import { z } from "zod";
import { TenantId, type CreateTenantBody } from "./schemas";

/** Insert a tenant with the shipped default policy (or `policyYaml`) active; returns null if it already exists. */
export async function insertTenant(tx: Db, args: { id: string; name: string; actor: string; now: Date; policyYaml?: string }) {
  const yaml = args.policyYaml ?? DEFAULT_POLICY_YAML;
  const [created] = await tx
    .insert(tenants)
    .values({ id: args.id, name: args.name, createdAt: args.now })
    .onConflictDoNothing()
    .returning();
  if (!created) return null;
  await tx.insert(auditHeads).values({ tenantId: args.id, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
  await appendAudit(tx, { tenantId: args.id, type: "tenant.created", actor: args.actor, data: { name: args.name }, at: args.now });
  const activation = await activatePolicy(tx, {
    tenantId: args.id,
    yaml,
    policy: parseOrThrow(yaml),
    actor: args.actor,
    now: args.now,
  });
  return { id: created.id, name: created.name, policy_snapshot: activation.snapshot_id, created_at: created.createdAt.toISOString() };
}

export async function createTenant({ ctx, input }: { ctx: Ctx; input: CreateTenantBody }) {
  if (ctx.principal.kind !== "admin") {
    throw new Forbidden("installation_admin_required", "Only the installation admin token may create tenants.");
  }
  const created = await withTransaction(ctx, ({ db: tx }) =>
    insertTenant(tx, { id: input.id, name: input.name ?? input.id, actor: actorOf(ctx.principal), now: ctx.now }),
  );
  if (!created) throw new Conflict("already_exists", `Tenant ${input.id} already exists.`);
  return created;
}

/** The tenant a provisioning call acts on: the caller's, unless the installation admin names another. */
export async function targetTenant(db: Db, principal: Principal, named?: string): Promise<string> {
  if (!named || named === principal.tenantId) return principal.tenantId;
  if (principal.kind !== "admin") {
    throw new Forbidden("tenant_forbidden", "Only the installation admin token may act on another tenant.");
  }
  const [t] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, named));
  if (!t) throw new NotFound("tenant");
  return t.id;
}

/** The caller's context, acting on the named tenant (only the installation admin may name another). */
export async function asTenant(ctx: Ctx, named?: string): Promise<Ctx> {
  const tenantId = await targetTenant(ctx.db, ctx.principal, named);
  return tenantId === ctx.principal.tenantId ? ctx : { ...ctx, principal: { ...ctx.principal, tenantId } };
}

export const TenantQuery = z.object({ tenant: TenantId.optional() }).strict();
