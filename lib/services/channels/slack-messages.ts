import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { deliveries, jobs, jobsTally, slackMessages, type JobRow } from "@/lib/db/schema";
import type { Principal } from "@/lib/services/context";
import { renderJob, votesColumn, type VoteTally } from "@/lib/services/jobs/render";
import { deadlineOf } from "@/lib/services/jobs/state";
import { consoleOrigin } from "@/lib/services/outbox/notify";
import type { SendResult } from "@/lib/services/outbox/send";
import { jobMessage, mrkdwn } from "./slack-blocks";
import { slackCall } from "./slack-api";

/** A notification target's url for a Slack channel (see notificationTargets). */
export const SLACK_URL_PREFIX = "slack:";

// What a message shows, as one comparable text: any change of state, escalation, votes or snapshot
// differs from it, and the message is updated (refreshSlackMessages).
export const shownSql = sql<string>`concat_ws('|', ${jobs.state}, ${jobs.escalated}::text, jsonb_array_length(coalesce(${jobsTally}, '[]'::jsonb)), ${jobs.policySnapshot}, ${jobs.expiringNoticed}::text)`;

// Past these the message never changes again.
export const FINAL_STATES = ["SUCCEEDED", "FAILED", "REJECTED", "EXPIRED", "CANCELLED", "DENIED"];

// Slack shows the job to a channel, not to a person: can_act is false (as for callbacks).
const NOBODY = (tenantId: string): Principal => ({ kind: "admin", tenantId, scopes: new Set(), tokenId: null });

export const jobLink = (jobId: string) => `${consoleOrigin()}/jobs/${encodeURIComponent(jobId)}`;

/** The job, its votes and what a message rendered from them shows, read in one statement. */
async function readJob(db: Db, tenantId: string, jobId: string): Promise<{ job: JobRow; votes: VoteTally[]; shown: string } | undefined> {
  const [row] = await db
    .select({ job: jobs, votes: votesColumn, shown: shownSql })
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, jobId)));
  return row;
}

/** The Block Kit message for a job as it stands. */
export function renderMessage(job: JobRow, votes: VoteTally[], now: Date) {
  return jobMessage(renderJob(job, votes, NOBODY(job.tenantId), now), job.tenantId, jobLink(job.id));
}

/** What a message's thread is told when its job escalates, nears its deadline or expires (slack-refresh.ts). */
export const FOLLOW_UPS: Record<string, (job: JobRow) => string> = {
  "job.escalated": (job) => `:rotating_light: Past its SLA: escalated${job.escalateTo.length ? ` to ${job.escalateTo.map(mrkdwn).join(" or ")}` : ""}.`,
  "job.expiring": (job) => `:hourglass_flowing_sand: Expires at ${deadlineOf(job)?.toISOString() ?? "its deadline"} without a decision.`,
  "job.expired": () => ":hourglass: Expired without a decision; the agent must ask again.",
};

/**
 * Deliver one Slack notification (an outbox row whose url is `slack:<channel>`): the first about a job
 * in a channel posts the message and keeps its ts; after that, refreshSlackMessages keeps it up to date
 * and follows up in its thread. Rendered at send time, so a post retried past the decision shows it.
 */
export async function sendSlack(db: Db, d: typeof deliveries.$inferSelect, now: Date): Promise<SendResult> {
  const started = performance.now();
  const result = (error: string | null): SendResult => ({ statusCode: error ? null : 200, error, latencyMs: Math.round(performance.now() - started) });
  const channel = d.url.slice(SLACK_URL_PREFIX.length);
  try {
    const read = d.jobId ? await readJob(db, d.tenantId, d.jobId) : undefined;
    if (!read) return result(null); // nothing left to tell about
    const { job, votes, shown } = read;
    const [root] = await db
      .select({ ts: slackMessages.ts })
      .from(slackMessages)
      .where(and(eq(slackMessages.tenantId, d.tenantId), eq(slackMessages.jobId, job.id), eq(slackMessages.channel, channel)));
    // Already posted here: escalation and expiry follow up in its thread when the message is refreshed.
    if (root) return result(null);
    const posted = await slackCall(db, d.tenantId, "chat.postMessage", { channel, ...renderMessage(job, votes, now), unfurl_links: false }, job.id);
    if (!posted.ts) return result(`Slack answered without a ts (${posted.error ?? "no error"})`);
    await db
      .insert(slackMessages)
      .values({ tenantId: d.tenantId, jobId: job.id, channel, ts: posted.ts, shown, final: FINAL_STATES.includes(job.state), createdAt: now })
      .onConflictDoNothing();
    return result(null);
  } catch (err) {
    return result(`Slack: ${(err as Error).message}`);
  }
}
