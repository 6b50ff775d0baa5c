import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { deliveries, notificationTargets, type JobRow } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { MAIL_URL_PREFIX } from "@/lib/services/channels/mail-send";
import { mailConfigured } from "@/lib/services/channels/mail-transport";
import { deadlineOf } from "@/lib/services/jobs/state";

export const NOTIFICATION_EVENTS = ["job.pending", "job.escalated", "job.expiring", "job.expired"] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
// A target hears these unless it names its events: `job.expiring` (the deadline nears) is asked for by name.
export const DEFAULT_NOTIFICATION_EVENTS: NotificationEvent[] = ["job.pending", "job.escalated", "job.expired"];

/** Where links in notifications point: the console's public address. */
export function consoleOrigin(): string {
  const e = env();
  return (e.COUNTERSIGN_PUBLIC_URL ?? e.AUTH_URL ?? `http://localhost:${process.env.PORT ?? "3000"}`).replace(/\/$/, "");
}

// Slack's mrkdwn treats <, > and & as control characters; an agent's title must not forge a link.
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

type Notifiable = Pick<JobRow, "id" | "title" | "topic" | "policyRuleId" | "eligibleRoles" | "escalateTo" | "summary" | "requestedBy" | "dueAt" | "expiresAt" | "onTimeout">;

/**
 * A Slack-compatible incoming-webhook message: one line of text and a link into the console. Never the
 * payload: notifications leave the building, the evidence stays behind the sign-in.
 */
export function notificationBody(event: NotificationEvent, job: Notifiable): string {
  const link = `${consoleOrigin()}/jobs/${encodeURIComponent(job.id)}`;
  const what = escape(job.summary?.title ?? job.title ?? job.topic);
  const line = {
    "job.pending": `Approval needed from ${job.eligibleRoles.join(" or ")}: ${what} (rule ${job.policyRuleId}, asked by ${escape(job.requestedBy)})`,
    "job.escalated": `Escalated to ${job.escalateTo.join(" or ")}: ${what} is past its SLA (rule ${job.policyRuleId})`,
    "job.expiring": `Expires at ${deadlineOf(job)?.toISOString() ?? "its deadline"} without a decision: ${what} (rule ${job.policyRuleId})`,
    "job.expired": `Expired without a decision: ${what} (rule ${job.policyRuleId}); the agent must ask again`,
  }[event];
  return JSON.stringify({ text: `${line} <${link}|Open in Countersign>`, event, job_id: job.id, link });
}

/** Which roles a notification is about: targets filtered by role hear only their own work. */
function rolesFor(event: NotificationEvent, job: Notifiable): string[] {
  return event === "job.escalated" ? job.escalateTo : job.eligibleRoles;
}

/** Queue notifications for a change, in the change's transaction (escalations and expiries). */
export async function enqueueNotifications(tx: Db, job: JobRow, event: NotificationEvent, now: Date): Promise<void> {
  const roles = rolesFor(event, job);
  const targets = await tx
    .select({ id: notificationTargets.id, url: notificationTargets.url })
    .from(notificationTargets)
    .where(
      and(
        eq(notificationTargets.tenantId, job.tenantId),
        sql`${event} = any(${notificationTargets.events})`,
        // A bound array, not arrayOverlaps: that refuses an empty list (a job with no escalate_to roles).
        sql`(cardinality(${notificationTargets.roles}) = 0 or ${notificationTargets.roles} && ${sql.param(roles)}::text[])`,
      ),
    );
  const body = notificationBody(event, job);
  const rows = targets.map((t) => ({ id: notificationId(job.id, t.id, event), tenantId: job.tenantId, jobId: job.id, kind: "notification" as const, eventType: event, url: t.url, body, nextAttemptAt: now, createdAt: now }));
  // The people who can act hear of new, escalated and expiring work by mail (a fan-out row: channels/mail-send.ts).
  if (event !== "job.expired" && mailConfigured()) rows.push({ id: `dlv-m-${Buffer.from(`${job.id}:${event}`).toString("base64url")}`, tenantId: job.tenantId, jobId: job.id, kind: "notification", eventType: event, url: MAIL_URL_PREFIX, body: "", nextAttemptAt: now, createdAt: now });
  if (rows.length === 0) return;
  await tx.insert(deliveries).values(rows).onConflictDoNothing();
}

/** One notification per job, target and event, however often the change is retried. */
export function notificationId(jobId: string, targetId: string, event: string): string {
  return `dlv-n-${Buffer.from(`${jobId}:${targetId}:${event}`).toString("base64url")}`;
}
