import "server-only";
import { and, eq } from "drizzle-orm";
import { ulid } from "@/lib/ids";
import { hashPassword } from "@/lib/secrets";
import { users, type UserRow } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, withTransaction, type Ctx } from "@/lib/services/context";
import { Conflict, NotFound } from "@/lib/services/errors";
import { announceAuthChanged, notifyAuthChanged } from "@/lib/services/events";
import { endSessionsOf } from "@/lib/services/sessions";
import type { CreateUserBody, UpdateUserBody } from "./schemas";
import { targetTenant } from "./tenants";

/** A person as the admin API answers (list items add has_password and created_at). */
export const renderUser = (u: UserRow) => ({
  id: u.id,
  tenant: u.tenantId,
  email: u.email,
  name: u.name,
  roles: u.roles,
  disabled: u.disabled,
  slack_user_id: u.slackUserId,
});

export async function createUser({ ctx, input }: { ctx: Ctx; input: CreateUserBody }) {
  const tenantId = await targetTenant(ctx.db, ctx.principal, input.tenant);
  // Hash outside the transaction: scrypt is deliberately slow and must not hold locks.
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const roles = [...new Set(input.roles)].sort();
  const user = await withTransaction(ctx, async ({ db: tx }) => {
    const [row] = await tx
      .insert(users)
      .values({ id: `usr-${ulid()}`, tenantId, email: input.email, name: input.name ?? null, roles, passwordHash, createdAt: ctx.now, updatedAt: ctx.now })
      .onConflictDoNothing()
      .returning();
    if (!row) return null;
    await appendAudit(tx, {
      tenantId,
      type: "user.created",
      actor: actorOf(ctx.principal),
      data: { user_id: row.id, email: row.email, roles },
      at: ctx.now,
    });
    return row;
  });
  if (!user) throw new Conflict("already_exists", `A user with email ${input.email} already exists in ${tenantId}.`);
  return renderUser(user);
}

export async function updateUser({ ctx, id, input }: { ctx: Ctx; id: string; input: UpdateUserBody }) {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const scope = ctx.principal.kind === "admin" ? eq(users.id, id) : and(eq(users.id, id), eq(users.tenantId, ctx.principal.tenantId));
  const user = await withTransaction(ctx, async ({ db: tx }) => {
    // Row lock: a vote re-reads this row FOR SHARE, so a role removal and a vote are ordered.
    const [current] = await tx.select().from(users).where(scope).for("update");
    if (!current) return null;
    const roles = input.roles ? [...new Set(input.roles)].sort() : undefined;
    const [row] = await tx
      .update(users)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(roles ? { roles } : {}),
        ...(passwordHash ? { passwordHash } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        ...(input.slack_user_id !== undefined ? { slackUserId: input.slack_user_id } : {}),
        updatedAt: ctx.now,
      })
      .where(eq(users.id, current.id))
      .returning();
    // Disabling a person, changing their roles or resetting their password ends their console sessions:
    // whoever holds a copy of an earlier cookie must sign in again.
    const rolesChanged = roles !== undefined && roles.join("\u0000") !== [...current.roles].sort().join("\u0000");
    const sessionsEnded = input.disabled === true || rolesChanged || passwordHash !== undefined;
    if (sessionsEnded) await endSessionsOf(tx, { userId: current.id, tenantId: current.tenantId }, ctx.now);
    await notifyAuthChanged(tx);
    await appendAudit(tx, {
      tenantId: current.tenantId,
      type: "user.updated",
      actor: actorOf(ctx.principal),
      data: {
        user_id: current.id,
        ...(roles ? { roles_before: current.roles, roles } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        ...(passwordHash ? { password_changed: true } : {}),
        ...(input.slack_user_id !== undefined ? { slack_user_id: input.slack_user_id } : {}),
        ...(sessionsEnded ? { sessions_ended: true } : {}),
      },
      at: ctx.now,
    });
    return row!;
  });
  if (!user) throw new NotFound("user");
  announceAuthChanged();
  return renderUser(user);
}
