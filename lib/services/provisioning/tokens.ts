import { and, eq } from "drizzle-orm";
import { ulid } from "@/lib/ids";
import { forgetCachedTokens } from "@/lib/auth/authenticate";
import { newTokenSecret } from "@/lib/auth/secrets";
import { sha256Hex } from "@/lib/sha256";
import { tokens, users } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, type Ctx } from "@/lib/services/context";
import { Invalid, NotFound } from "@/lib/services/errors";
import { notifyAuthChanged } from "@/lib/services/events";
import type { CreateTokenBody } from "./schemas";
import { targetTenant } from "./tenants";

/** Mint a token; its secret is in this answer and nowhere else, ever. */
export async function createToken({ ctx, input }: { ctx: Ctx; input: CreateTokenBody }) {
  const tenantId = await targetTenant(ctx.db, ctx.principal, input.tenant);
  const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  if (expiresAt && expiresAt.getTime() <= ctx.now.getTime()) {
    throw new Invalid("expires_at is in the past.", [{ path: "expires_at", message: "must be in the future" }]);
  }
  const secret = newTokenSecret();
  const scopes = [...new Set(input.scopes)].sort();
  const row = await ctx.db.transaction(async (tx) => {
    if (input.user_id) {
      const [user] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, input.user_id), eq(users.tenantId, tenantId)));
      if (!user) throw new Invalid("user_id names no user of this tenant.", [{ path: "user_id", message: "unknown user" }]);
    }
    const [created] = await tx
      .insert(tokens)
      .values({
        id: `tok-${ulid()}`,
        tenantId,
        kind: input.kind,
        name: input.name,
        scopes,
        userId: input.user_id ?? null,
        ownerEmail: input.owner_email ?? null,
        tokenHash: sha256Hex(secret),
        expiresAt,
        submitPerMinute: input.rate_limits?.submit_per_minute ?? null,
        resolvePerMinute: input.rate_limits?.resolve_per_minute ?? null,
        createdAt: ctx.now,
      })
      .returning();
    await appendAudit(tx, {
      tenantId,
      type: "token.created",
      actor: actorOf(ctx.principal),
      data: {
        token_id: created!.id,
        kind: input.kind,
        name: input.name,
        scopes,
        user_id: input.user_id ?? null,
        ...(input.rate_limits ? { rate_limits: input.rate_limits } : {}),
      },
      at: ctx.now,
    });
    return created!;
  });
  return {
    id: row.id,
    token: secret,
    tenant: row.tenantId,
    kind: row.kind,
    name: row.name,
    scopes: row.scopes,
    user_id: row.userId,
    owner_email: row.ownerEmail,
    expires_at: row.expiresAt?.toISOString() ?? null,
    rate_limits: { submit_per_minute: row.submitPerMinute, resolve_per_minute: row.resolvePerMinute },
  };
}

export async function revokeToken({ ctx, id }: { ctx: Ctx; id: string }) {
  const scope = ctx.principal.kind === "admin" ? eq(tokens.id, id) : and(eq(tokens.id, id), eq(tokens.tenantId, ctx.principal.tenantId));
  const row = await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(tokens).where(scope).for("update");
    if (!current) return null;
    if (current.revokedAt) return current;
    const [updated] = await tx.update(tokens).set({ revokedAt: ctx.now }).where(eq(tokens.id, current.id)).returning();
    await notifyAuthChanged(tx);
    await appendAudit(tx, {
      tenantId: current.tenantId,
      type: "token.revoked",
      actor: actorOf(ctx.principal),
      data: { token_id: current.id, name: current.name },
      at: ctx.now,
    });
    return updated!;
  });
  if (!row) throw new NotFound("token");
  forgetCachedTokens();
  return { id: row.id, revoked_at: row.revokedAt!.toISOString() };
}
