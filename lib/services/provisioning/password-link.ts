import "server-only";
import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { users, type UserRow } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { hashPassword, secretEquals } from "@/lib/secrets";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, withTransaction, type Ctx } from "@/lib/services/context";
import { Conflict, Forbidden, NotFound } from "@/lib/services/errors";
import { announceAuthChanged, notifyAuthChanged } from "@/lib/services/events";
import { consoleOrigin } from "@/lib/services/outbox/notify";
import { endSessionsOf } from "@/lib/services/sessions";
import { Password } from "./schemas";

const LINK_TTL_MS = 7 * 86_400_000;

/** What a set-password link carries: the person, when it lapses (unix seconds), and its code. */
export const PasswordLink = z.object({ u: z.string().min(1).max(100), e: z.coerce.number().int().positive(), c: z.string().min(1).max(100) });
export type PasswordLink = z.infer<typeof PasswordLink>;
export const SetPasswordInput = PasswordLink.extend({ password: Password });
export type SetPasswordInput = z.infer<typeof SetPasswordInput>;

/**
 * The link's code, signed with AUTH_SECRET over the person's current password hash: it works once,
 * because setting the password changes the hash it was made over, and no table holds link secrets.
 */
function linkCode(secret: string, user: Pick<UserRow, "id" | "tenantId" | "passwordHash">, expires: number): string {
  const message = `countersign:set-password:${user.tenantId}:${user.id}:${expires}:${user.passwordHash ?? ""}`;
  return crypto.createHmac("sha256", secret).update(message).digest("base64url");
}

const invalidLink = () =>
  new Forbidden("invalid_link", "This set-password link is not valid any more: it was used, replaced or has lapsed. Ask an admin for a new one.");

/** A one-time link with which a person (invited, or locked out) sets their own password. Audited. */
export async function issuePasswordLink({ ctx, id }: { ctx: Ctx; id: string }) {
  const secret = env().AUTH_SECRET;
  if (!secret) throw new Conflict("console_not_configured", "The console is not configured (AUTH_SECRET is unset): nobody can sign in.");
  const scope = ctx.principal.kind === "admin" ? eq(users.id, id) : and(eq(users.id, id), eq(users.tenantId, ctx.principal.tenantId));
  const expires = Math.floor((ctx.now.getTime() + LINK_TTL_MS) / 1000);
  const user = await withTransaction(ctx, async ({ db: tx }) => {
    const [row] = await tx.select().from(users).where(scope);
    if (!row) return null;
    if (row.disabled) throw new Conflict("user_disabled", `${row.email} is disabled: enable them before sending a link.`);
    await appendAudit(tx, {
      tenantId: row.tenantId,
      type: "user.password_link_issued",
      actor: actorOf(ctx.principal),
      data: { user_id: row.id, email: row.email, expires_at: new Date(expires * 1000).toISOString() },
      at: ctx.now,
    });
    return row;
  });
  if (!user) throw new NotFound("user");
  const path = `/set-password?${new URLSearchParams({ u: user.id, e: String(expires), c: linkCode(secret, user, expires) })}`;
  return { user_id: user.id, email: user.email, path, url: `${consoleOrigin()}${path}`, expires_at: new Date(expires * 1000).toISOString() };
}

async function userOfLink(db: Db, secret: string, link: PasswordLink, now: Date, lock: boolean): Promise<UserRow> {
  if (link.e * 1000 <= now.getTime()) throw invalidLink();
  const query = db.select().from(users).where(eq(users.id, link.u));
  const [user] = lock ? await query.for("update") : await query;
  if (!user || user.disabled || !secretEquals(link.c, linkCode(secret, user, link.e))) throw invalidLink();
  return user;
}

/** Who a link is for, if it still works (the page shows the email before asking for a password). */
export async function readPasswordLink(db: Db, secret: string, link: PasswordLink, now: Date) {
  const user = await userOfLink(db, secret, link, now, false);
  return { email: user.email, tenant: user.tenantId, has_password: user.passwordHash !== null };
}

/**
 * Set a password through a link, once: the row lock orders two racing submissions, and the second
 * finds the hash moved under its code. Like a reset by an admin, it ends the person's sessions.
 */
export async function setPasswordByLink(db: Db, secret: string, input: SetPasswordInput, now: Date) {
  // Hash outside the transaction: scrypt is deliberately slow and must not hold the row lock.
  const passwordHash = await hashPassword(input.password);
  const user = await db.transaction(async (tx) => {
    const current = await userOfLink(tx, secret, input, now, true);
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(and(eq(users.id, current.id), eq(users.tenantId, current.tenantId)));
    await endSessionsOf(tx, { userId: current.id, tenantId: current.tenantId }, now);
    await notifyAuthChanged(tx);
    await appendAudit(tx, {
      tenantId: current.tenantId,
      type: "user.updated",
      actor: `user:${current.email}`,
      data: { user_id: current.id, password_changed: true, via: "password_link", sessions_ended: true },
      at: now,
    });
    return current;
  });
  announceAuthChanged();
  return { email: user.email, tenant: user.tenantId };
}
