import { and, eq } from "drizzle-orm";
import { ulid } from "@/lib/ids";
import { forgetCachedTokens } from "@/lib/auth/authenticate";
import { newTokenSecret } from "@/lib/auth/secrets";
import { sha256Hex } from "@/lib/sha256";
import { tokens, users } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, credentialOf, type Ctx, type Principal } from "@/lib/services/context";
import { Forbidden, Invalid, NotFound } from "@/lib/services/errors";
import { notifyAuthChanged } from "@/lib/services/events";
import type { CreateTokenBody } from "./schemas";
import { targetTenant } from "./tenants";

const mintForbidden = (detail: string) => new Forbidden("mint_forbidden", detail);

/**
 * Who may mint what (DESIGN §4). A `kind: user` token that can approve is minted only by the person it
 * acts as, through their own session or token: otherwise an admin could hold two people's approving
 * tokens and be "two distinct approvers" alone. An admin mints for others only tokens that cannot
 * approve; the installation token is nobody and mints none that can. Without the admin scope, a person
 * may mint only for themselves, nothing their minting credential does not hold, and (through a token)
 * nothing that outlives it. Returns the expiry the new token gets.
 */
function checkMint(p: Principal, input: CreateTokenBody, tenantId: string, expiresAt: Date | null): Date | null {
  const self = p.kind === "user" && input.kind === "user" && input.user_id === p.userId && tenantId === p.tenantId;
  if (!p.scopes.has("admin")) {
    if (!self) throw new Forbidden("insufficient_scope", "Minting a token for anyone but yourself needs the admin scope.");
    const beyond = input.scopes.filter((s) => !p.scopes.has(s));
    if (beyond.length) throw mintForbidden(`Your own token cannot hold what your credential does not: ${beyond.join(", ")}.`);
    if (input.rate_limits) throw mintForbidden("A token's rate limits are set by an admin.");
  }
  if (input.kind === "user" && input.scopes.includes("approvals:resolve")) {
    if (!self) {
      throw mintForbidden(
        "A token that carries approvals:resolve may be minted only by the person it acts as (their own session or token); an admin may mint user tokens for others only without it.",
      );
    }
    if (!p.scopes.has("approvals:resolve")) throw mintForbidden("Only a credential that can approve may mint one that can.");
  }
  if (!self || p.kind !== "user" || !p.tokenExpiresAt) return expiresAt;
  // A token minted by a token lives no longer than it: a leaked short-lived token buys no permanent one.
  if (expiresAt && expiresAt.getTime() > p.tokenExpiresAt.getTime()) {
    throw mintForbidden(`A token minted with a token may not outlive it (${p.tokenExpiresAt.toISOString()}).`);
  }
  return expiresAt ?? p.tokenExpiresAt;
}

/** Mint a token; its secret is in this answer and nowhere else, ever. */
export async function createToken({ ctx, input }: { ctx: Ctx; input: CreateTokenBody }) {
  const tenantId = await targetTenant(ctx.db, ctx.principal, input.tenant);
  const asked = input.expires_at ? new Date(input.expires_at) : null;
  if (asked && asked.getTime() <= ctx.now.getTime()) {
    throw new Invalid("expires_at is in the past.", [{ path: "expires_at", message: "must be in the future" }]);
  }
  const expiresAt = checkMint(ctx.principal, input, tenantId, asked);
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
        // Through which credential it was minted, as votes name theirs.
        credential: credentialOf(ctx.principal),
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
