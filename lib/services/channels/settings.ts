import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, withTransaction, type Ctx } from "@/lib/services/context";
import { Conflict, Forbidden, NotFound } from "@/lib/services/errors";
import { SlackUserId } from "@/lib/services/provisioning/schemas";

export const OwnChannelsBody = z.object({ slack_user_id: SlackUserId.nullable(), email_opt_out: z.boolean() }).strict();
export type OwnChannelsBody = z.infer<typeof OwnChannelsBody>;

/** The signed-in person's own channel settings. */
export async function ownChannels({ ctx }: { ctx: Ctx }) {
  if (ctx.principal.kind !== "user") throw new Forbidden("person_required", "Only a person has channel settings.");
  const [row] = await ctx.db
    .select({ slackUserId: users.slackUserId, emailOptOut: users.emailOptOut })
    .from(users)
    .where(and(eq(users.tenantId, ctx.principal.tenantId), eq(users.id, ctx.principal.userId)));
  if (!row) throw new NotFound("user");
  return { slack_user_id: row.slackUserId, email_opt_out: row.emailOptOut };
}

/**
 * A person links their own Slack member id (DESIGN §8) and opts out of approval mails, or back in.
 * Audited; a Slack id already linked to someone else in the tenant is refused (the unique index).
 */
export async function updateOwnChannels({ ctx, input }: { ctx: Ctx; input: OwnChannelsBody }) {
  const { principal, now } = ctx;
  if (principal.kind !== "user") throw new Forbidden("person_required", "Only a person has channel settings.");
  return withTransaction(ctx, async ({ db: tx }) => {
    if (input.slack_user_id) {
      const [other] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.tenantId, principal.tenantId), eq(users.slackUserId, input.slack_user_id)));
      if (other && other.id !== principal.userId) throw new Conflict("already_linked", "That Slack account is linked to someone else here.");
    }
    const [row] = await tx
      .update(users)
      .set({ slackUserId: input.slack_user_id, emailOptOut: input.email_opt_out, updatedAt: now })
      .where(and(eq(users.tenantId, principal.tenantId), eq(users.id, principal.userId)))
      .returning({ slackUserId: users.slackUserId, emailOptOut: users.emailOptOut });
    if (!row) throw new NotFound("user");
    await appendAudit(tx, { tenantId: principal.tenantId, type: "user.channels_updated", actor: actorOf(principal), data: { user_id: principal.userId, ...input }, at: now });
    return { slack_user_id: row.slackUserId, email_opt_out: row.emailOptOut };
  });
}
