import "server-only";
import { and, desc, eq, isNull, type SQL } from "drizzle-orm";
import { z } from "zod";
import { tokens, users } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { targetTenant } from "./tenants";
import { TenantId } from "./schemas";

const bool = z.enum(["true", "false"]).transform((v) => v === "true");
export const TokensQuery = z.object({ tenant: TenantId.optional(), include_revoked: bool.default(false) }).strict();
export type TokensQuery = z.infer<typeof TokensQuery>;

/** The most a page lists: a tenant with more live tokens than this has a bigger problem than a list. */
const MAX_TOKENS = 1000;

/**
 * The tenant's tokens, newest first, without their secrets (only a hash is kept): kind, scopes, who it
 * acts as or answers to, expiry, revocation and last use (to within a minute).
 */
export async function listTokens({ ctx, input }: { ctx: Ctx; input: TokensQuery }) {
  const tenantId = await targetTenant(ctx.db, ctx.principal, input.tenant);
  const where: SQL[] = [eq(tokens.tenantId, tenantId)];
  if (!input.include_revoked) where.push(isNull(tokens.revokedAt));
  const rows = await ctx.db
    .select({ t: tokens, userEmail: users.email })
    .from(tokens)
    .leftJoin(users, and(eq(users.id, tokens.userId), eq(users.tenantId, tokens.tenantId)))
    .where(and(...where))
    .orderBy(desc(tokens.createdAt), desc(tokens.id))
    .limit(MAX_TOKENS + 1);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    items: rows.slice(0, MAX_TOKENS).map(({ t, userEmail }) => ({
      id: t.id,
      tenant: t.tenantId,
      kind: t.kind,
      name: t.name,
      scopes: t.scopes,
      user_id: t.userId,
      // The person behind it: the one a user token acts as, or the one an agent token answers to.
      owner: t.kind === "user" ? userEmail : t.ownerEmail,
      created_at: t.createdAt.toISOString(),
      expires_at: iso(t.expiresAt),
      revoked_at: iso(t.revokedAt),
      last_used_at: iso(t.lastUsedAt),
      state: t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt.getTime() <= ctx.now.getTime() ? "expired" : "live",
    })),
    truncated: rows.length > MAX_TOKENS,
  };
}
