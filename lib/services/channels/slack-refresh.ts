import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { txRows } from "@/lib/db/raw-sql";
import type { Db } from "@/lib/db/client";
import { jobs, slackMessages } from "@/lib/db/schema";
import { votesColumn } from "@/lib/services/jobs/render";
import { retryDelayMs } from "@/lib/services/outbox/deliver";
import { slackCall } from "./slack-api";
import { FINAL_STATES, FOLLOW_UPS, renderMessage, shownSql } from "./slack-messages";

/** The thread follow-ups a change of what a message shows calls for (see shownSql: state|escalated|…|expiring). */
function followUps(before: string, after: string): string[] {
  const [was, wasEscalated, , , wasWarned] = before.split("|");
  const [now, escalated, , , warned] = after.split("|");
  return [
    ...(wasEscalated !== "true" && escalated === "true" ? ["job.escalated"] : []),
    // Only while still pending: a job decided or expired since has nothing left to warn of.
    ...(wasWarned !== "true" && warned === "true" && now === "APPROVAL" ? ["job.expiring"] : []),
    ...(was !== "EXPIRED" && now === "EXPIRED" ? ["job.expired"] : []),
  ];
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
  // One statement (no BEGIN/COMMIT round trips): the courier runs this after every burst of job changes.
  const claimed = await txRows<{ tenant_id: string; job_id: string; channel: string; ts: string; shown: string; attempts: number }>(
    db,
    sql`update ${m} set ${sql.identifier(m.leaseUntil.name)} = ${leaseUntil.toISOString()}::timestamptz, ${sql.identifier(m.attempts.name)} = ${m.attempts} + 1
        from (
          select ${m.tenantId} as t, ${m.jobId} as j, ${m.channel} as c from ${m}
          join ${jobs} on ${jobs.tenantId} = ${m.tenantId} and ${jobs.id} = ${m.jobId}
          where not ${m.final} and (${m.leaseUntil} is null or ${m.leaseUntil} <= ${now.toISOString()}::timestamptz) and ${m.shown} <> ${shownSql}
          limit ${batch} for update of ${m} skip locked
        ) due
        where ${m.tenantId} = due.t and ${m.jobId} = due.j and ${m.channel} = due.c
        returning ${m.tenantId}, ${m.jobId}, ${m.channel}, ${m.ts}, ${m.shown}, ${m.attempts}`,
  );
  const tally = { updated: 0, failed: 0 };
  await Promise.all(
    claimed.map(async ({ tenant_id: tenantId, job_id: jobId, channel, ts, shown, attempts }) => {
      const msg = { tenantId, jobId, channel, ts, shown, attempts: Number(attempts) };
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
