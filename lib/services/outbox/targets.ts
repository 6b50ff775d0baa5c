import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { ulid } from "@/lib/ids";
import { z } from "zod";
import { notificationTargets } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { actorOf, type Ctx } from "@/lib/services/context";
import { NotFound } from "@/lib/services/errors";
import { Role, TenantId } from "@/lib/services/provisioning/schemas";
import { SLACK_URL_PREFIX } from "@/lib/services/channels/slack-messages";
import { DEFAULT_NOTIFICATION_EVENTS, NOTIFICATION_EVENTS } from "./notify";

const events = z.array(z.enum(NOTIFICATION_EVENTS)).min(1).max(NOTIFICATION_EVENTS.length).default([...DEFAULT_NOTIFICATION_EVENTS]);
// Only work routed to these roles (empty: everything).
const roles = z.array(Role).max(50).default([]);

const WebhookTarget = z
  .object({
    tenant: TenantId.optional(),
    kind: z.literal("webhook").default("webhook"),
    url: z
      .string()
      .url()
      .max(2000)
      .refine((u) => /^https?:\/\//i.test(u), { message: "url must be http or https" }),
    events,
    roles,
  })
  .strict();

// A channel of the Slack app (DESIGN §8): messages with buttons, posted with the bot token.
const SlackTarget = z
  .object({ tenant: TenantId.optional(), kind: z.literal("slack"), channel: z.string().regex(/^[A-Z0-9]{2,32}$/, "a Slack channel id such as C0123ABCD"), events, roles })
  .strict();

export const CreateTargetBody = z.union([SlackTarget, WebhookTarget]);
export type CreateTargetBody = z.infer<typeof CreateTargetBody>;

type Target = typeof notificationTargets.$inferSelect;
const render = (t: Target) => ({
  id: t.id,
  kind: t.kind,
  url: t.url,
  channel: t.kind === "slack" ? t.url.slice(SLACK_URL_PREFIX.length) : null,
  events: t.events,
  roles: t.roles,
  created_at: t.createdAt.toISOString(),
});

export async function listTargets({ ctx }: { ctx: Ctx }) {
  const rows = await ctx.db.select().from(notificationTargets).where(eq(notificationTargets.tenantId, ctx.principal.tenantId)).orderBy(asc(notificationTargets.createdAt));
  return { items: rows.map(render) };
}

export async function createTarget({ ctx, input }: { ctx: Ctx; input: CreateTargetBody }) {
  const { db, principal, now } = ctx;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(notificationTargets)
      .values({ id: `ntf-${ulid()}`, tenantId: principal.tenantId, kind: input.kind, url: input.kind === "slack" ? `${SLACK_URL_PREFIX}${input.channel}` : input.url, events: [...new Set(input.events)], roles: [...new Set(input.roles)].sort(), createdAt: now })
      .returning();
    // The URL is a credential for Slack webhooks: the audit trail names the host only.
    await appendAudit(tx, { tenantId: principal.tenantId, type: "notification_target.created", actor: actorOf(principal), data: { id: row!.id, kind: row!.kind, host: row!.kind === "slack" ? row!.url : new URL(row!.url).host, events: row!.events, roles: row!.roles }, at: now });
    return render(row!);
  });
}

export async function deleteTarget({ ctx, id }: { ctx: Ctx; id: string }) {
  const { db, principal, now } = ctx;
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(notificationTargets).where(and(eq(notificationTargets.tenantId, principal.tenantId), eq(notificationTargets.id, id))).returning();
    if (!row) throw new NotFound("notification target");
    await appendAudit(tx, { tenantId: principal.tenantId, type: "notification_target.deleted", actor: actorOf(principal), data: { id }, at: now });
    return { id, deleted: true };
  });
}
