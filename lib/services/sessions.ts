import { and, eq, isNull, lte, or } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { ulid } from "@/lib/ids";

/** How long a console sign-in lasts, whatever the cookie says (next-auth's maxAge is the same). */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

/**
 * A new server-side session for a person who has just signed in; its id goes into the cookie. The
 * person's ended sessions are cleared out on the way, so the table holds about one row per live sign-in.
 */
export async function startSession(db: Db, who: { userId: string; tenantId: string }, now: Date): Promise<string> {
  const id = `ses-${ulid()}`;
  await db.transaction(async (tx) => {
    await tx
      .delete(sessions)
      .where(
        and(
          eq(sessions.tenantId, who.tenantId),
          eq(sessions.userId, who.userId),
          or(lte(sessions.expiresAt, now), lte(sessions.revokedAt, now)),
        ),
      );
    await tx.insert(sessions).values({
      id,
      tenantId: who.tenantId,
      userId: who.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000),
    });
  });
  return id;
}

/** Sign-out: the session ends on the server, so a copy of the cookie is worth nothing from now on. */
export async function endSession(db: Db, id: string, now: Date): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

/** Every live session of a person ends (disabled, roles or password changed). Runs in the caller's transaction. */
export async function endSessionsOf(tx: Db, who: { userId: string; tenantId: string }, now: Date): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.tenantId, who.tenantId), eq(sessions.userId, who.userId), isNull(sessions.revokedAt)));
}
