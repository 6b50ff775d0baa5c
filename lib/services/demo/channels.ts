import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { ulid } from "@/lib/ids";
import type { DbHandle } from "@/lib/db/client";
import { notificationTargets, users } from "@/lib/db/schema";
import { SLACK_URL_PREFIX } from "@/lib/services/channels/slack-messages";

// The demo's Slack channel: every new job is "posted" there, and the preview page (Settings → previews)
// shows the Block Kit as Slack would get it, with no workspace needed.
const DEMO_CHANNEL = "CDEMOAPPROVALS";

/** Give the demo tenant a Slack channel target and its people Slack ids, once. */
export async function seedDemoChannels({ db }: DbHandle, tenant: string, now: Date): Promise<void> {
  const [target] = await db.select({ id: notificationTargets.id }).from(notificationTargets).where(and(eq(notificationTargets.tenantId, tenant), eq(notificationTargets.kind, "slack")));
  if (!target) {
    await db.insert(notificationTargets).values({ id: `ntf-${ulid()}`, tenantId: tenant, kind: "slack", url: `${SLACK_URL_PREFIX}${DEMO_CHANNEL}`, events: ["job.pending", "job.escalated", "job.expired"], roles: [], createdAt: now });
  }
  const people = await db.select({ id: users.id, email: users.email }).from(users).where(and(eq(users.tenantId, tenant), isNull(users.slackUserId)));
  for (const p of people) {
    const slackId = `U${p.email.split("@")[0]!.toUpperCase().replace(/[^A-Z0-9]/g, "")}DEMO`;
    await db.update(users).set({ slackUserId: slackId }).where(and(eq(users.tenantId, tenant), eq(users.id, p.id)));
  }
}
