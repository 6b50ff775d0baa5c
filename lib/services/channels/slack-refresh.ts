import "server-only";
import { and, eq, isNull, lte, ne, not, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs, slackMessages } from "@/lib/db/schema";
import { votesColumn } from "@/lib/services/jobs/render";
import { retryDelayMs } from "@/lib/services/outbox/deliver";
import { slackCall } from "./slack-api";
import { FINAL_STATES, FOLLOW_UPS, renderMessage, shownSql } from "./slack-messages";

/** The thread follow-ups a change of what a message shows calls for (see shownSql: state|escalated|…). */
function followUps(before: string, after: string): string[] {
  const [was, wasEscalated] = before.split("|");
  const [now, escalated] = after.split("|");
  return [...(wasEscalated !== "true" && escalated === "true" ? ["job.escalated"] : []), ...(was !== "EXPIRED" && now === "EXPIRED" ? ["job.expired"] : [])];
}

const LEASE_MS = 60_000;

/**
 * Bring every Slack message up to date with its job: progress after a vote, escalation, and, once
 * decided (in Slack, by mail or in the console), the outcome, who and why, with the buttons gone;
 * an escalation or expiry is also told in the message's thread.
 * Driven by what the database holds (the message's `shown` against the job), so a decision is never
 * lost to Slack being down: the message is claimed under a lease (SKIP LOCKED, instances share the
 * work), updated outside any transaction, and a failure is retried with the outbox's backoff.
 */
export async function refreshSlackMessages(db: Db, now: Date, batch = 20): Promise<{ updated: number; failed: number }> {
  const m = slackMessages;
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const claimed = await db.transaction(async (tx) => {
    const due = await tx
      .select({ tenantId: m.tenantId, jobId: m.jobId, channel: m.channel })
      .from(m)
      .innerJoin(jobs, and(eq(jobs.tenantId, m.tenantId), eq(jobs.id, m.jobId)))
      .where(and(not(m.final), or(isNull(m.leaseUntil), lte(m.leaseUntil, now)), ne(m.shown, shownSql)))
      .limit(batch)
      .for("update", { of: m, skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(m)
      .set({ leaseUntil, attempts: sql`${m.attempts} + 1` })
      .where(sql`(${m.tenantId}, ${m.jobId}, ${m.channel}) in (${sql.join(due.map((d) => sql`(${d.tenantId}, ${d.jobId}, ${d.channel})`), sql`, `)})`)
      .returning();
  });
  const tally = { updated: 0, failed: 0 };
  await Promise.all(
    claimed.map(async (msg) => {
      const key = and(eq(m.tenantId, msg.tenantId), eq(m.jobId, msg.jobId), eq(m.channel, msg.channel), eq(m.leaseUntil, leaseUntil));
      try {
        const [row] = await db.select({ job: jobs, votes: votesColumn, shown: shownSql }).from(jobs).where(and(eq(jobs.tenantId, msg.tenantId), eq(jobs.id, msg.jobId)));
        if (!row) throw new Error("job not found");
        await slackCall(db, msg.tenantId, "chat.update", { channel: msg.channel, ts: msg.ts, ...renderMessage(row.job, row.votes ?? [], now) }, msg.jobId);
        for (const event of followUps(msg.shown, row.shown)) {
          await slackCall(db, msg.tenantId, "chat.postMessage", { channel: msg.channel, thread_ts: msg.ts, text: FOLLOW_UPS[event]!(row.job) }, msg.jobId);
        }
        await db.update(m).set({ shown: row.shown, final: FINAL_STATES.includes(row.job.state), attempts: 0, leaseUntil: null, lastError: null }).where(key);
        tally.updated += 1;
      } catch (err) {
        const retryAt = new Date(now.getTime() + retryDelayMs(msg.attempts));
        await db.update(m).set({ leaseUntil: retryAt, lastError: `Slack: ${(err as Error).message}`.slice(0, 500) }).where(key);
        tally.failed += 1;
      }
    }),
  );
  return tally;
}
