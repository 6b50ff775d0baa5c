import "server-only";
import { and, asc, eq, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs } from "@/lib/db/schema";
import { escalateDue, expireLapsed, warnExpiring } from "@/lib/services/jobs/deadlines";
import { timestamptz } from "@/lib/db/raw-sql";
import { deadlineOfSql, expiringAtSql } from "@/lib/services/jobs/state-sql";
import { isEscalationDue, isLapsed } from "@/lib/services/jobs/state";

export interface SweepResult {
  expired: number;
  escalated: number;
  warned: number;
}

const BATCH = 200;

/**
 * Apply time to pending jobs at `now`: expire those past their deadline, escalate those past due_at
 * with `on_timeout: escalate`, then warn once those whose deadline nears. Never approves anything.
 *
 * Safe with several sweepers (one per app instance): jobs are taken `FOR UPDATE SKIP LOCKED`, so each
 * is handled by exactly one of them, and a job someone else changed meanwhile is re-checked on its
 * latest version. Each batch is one transaction (transition and audit event together), so a sweep
 * that dies halfway leaves whole transitions or none. The sweeper never waits for a tenant row, so it
 * cannot deadlock with a policy activation (which waits for it instead).
 */
export async function sweep(db: Db, now: Date): Promise<SweepResult> {
  const result: SweepResult = { expired: 0, escalated: 0, warned: 0 };
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(jobs)
        .where(
          and(
            eq(jobs.state, "APPROVAL"),
            // due_at ≤ deadline always, so this bound (served by jobs_due_idx) loses nothing.
            sql`${jobs.dueAt} <= ${timestamptz(now)}`,
            or(
              sql`${deadlineOfSql} <= ${timestamptz(now)}`,
              and(eq(jobs.onTimeout, "escalate"), eq(jobs.escalated, false)),
            ),
          ),
        )
        .orderBy(asc(jobs.dueAt))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const job of due) {
        if (isLapsed(job, now)) {
          await expireLapsed(tx, job, now);
          result.expired += 1;
        } else if (isEscalationDue(job, now)) {
          await escalateDue(tx, job, now);
          result.escalated += 1;
        }
      }
      return due.length;
    });
    if (batch < BATCH) break;
  }
  result.warned = await warnNearing(db, now);
  return result;
}

/**
 * Warn once each pending job whose deadline nears (expiringAtSql), read from jobs_expiring_idx. Exactly
 * once across sweepers: the row lock (SKIP LOCKED) and expiring_noticed, re-checked on the latest version.
 */
async function warnNearing(db: Db, now: Date): Promise<number> {
  let warned = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const nearing = await tx
        .select()
        .from(jobs)
        .where(
          and(
            eq(jobs.state, "APPROVAL"),
            eq(jobs.expiringNoticed, false),
            sql`${expiringAtSql} <= ${timestamptz(now)}`,
            // One lapsed but locked by someone else is expired, not warned.
            sql`${deadlineOfSql} > ${timestamptz(now)}`,
          ),
        )
        .orderBy(expiringAtSql)
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const job of nearing) await warnExpiring(tx, job, now);
      return nearing.length;
    });
    warned += batch;
    if (batch < BATCH) return warned;
  }
}
