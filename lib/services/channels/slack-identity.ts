import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users, type UserRow } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { appendAudit } from "@/lib/services/audit/chain";
import { slackCall } from "./slack-api";

/**
 * The Countersign person a Slack user is in a tenant: the one who linked that Slack user id, or, where
 * the installation allows it (SLACK_LINK_BY_EMAIL=1), the person whose email Slack says it has verified
 * (users.info), who is then linked (audited). Null: not linked, and so no vote.
 */
export async function personForSlackUser(db: Db, tenantId: string, slackUserId: string, now: Date): Promise<UserRow | null> {
  const [linked] = await db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.slackUserId, slackUserId), eq(users.disabled, false)));
  if (linked) return linked;
  if (env().SLACK_LINK_BY_EMAIL !== "1") return null;
  // Slack not knowing the user, or not answering, leaves them unlinked.
  const info = await slackCall(db, tenantId, "users.info", { user: slackUserId }).catch(() => null);
  if (!info) return null;
  const email = info.user?.is_email_confirmed ? info.user.profile?.email?.toLowerCase() : undefined;
  if (!email) return null;
  return db.transaction(async (tx) => {
    // Only a person not linked to another Slack user; the unique (tenant, slack_user_id) index settles races.
    const [row] = await tx
      .update(users)
      .set({ slackUserId, updatedAt: now })
      .where(and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = ${email}`, isNull(users.slackUserId), eq(users.disabled, false)))
      .returning();
    if (!row) return null;
    await appendAudit(tx, { tenantId, type: "user.slack_linked", actor: `slack:${slackUserId}`, data: { user_id: row.id, slack_user_id: slackUserId, by: "verified_email" }, at: now });
    return row;
  });
}
