import "server-only";
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { timestamptz } from "@/lib/db/raw-sql";
import { jobs } from "@/lib/db/schema";

// The SQL twins of the job rules in state.ts, each named after its twin and held equal to it on generated
// cases by test/rule-twins.test.ts. Change a rule and its twin in one commit.

/**
 * The SQL twin of `deadlineOf`: the function countersign_deadline (drizzle/*_deadline_twin.sql), the one spelling of the
 * rule in SQL. jobs_deadline_idx is written on the same call, so PostgreSQL (which inlines the function
 * on both sides) reads pending jobs by their deadline from it.
 */
export const deadlineOfSql = sql`countersign_deadline(${jobs.onTimeout}, ${jobs.dueAt}, ${jobs.expiresAt})`;

/**
 * The SQL twin of `isStillPending`: pending and still approvable at `now`. Written on the deadline so that
 * a count of a tenant's pending jobs is a range of jobs_deadline_idx, index-only (see its migration).
 */
export function isStillPendingSql(now: Date | Placeholder): SQL {
  return sql`(${jobs.state} = 'APPROVAL' and ${deadlineOfSql} > ${timestamptz(now)})`;
}

/** The SQL twin of `isLapsed`: pending in the table but past its deadline at `now` (EXPIRED for every reader). */
export function isLapsedSql(now: Date | Placeholder): SQL {
  return sql`(${jobs.state} = 'APPROVAL' and ${deadlineOfSql} <= ${timestamptz(now)})`;
}

/** The SQL twin of `isEscalationDue`: pending past due_at with `on_timeout: escalate`, not yet marked. */
export function isEscalationDueSql(now: Date | Placeholder): SQL {
  return sql`(not ${jobs.escalated} and ${jobs.state} = 'APPROVAL' and ${jobs.onTimeout} = 'escalate' and ${jobs.dueAt} <= ${timestamptz(now)})`;
}

/**
 * When the people who can act are told a pending job's deadline nears: the function countersign_expiring_at
 * (drizzle/*_expiring_notice.sql), the rule's only spelling; jobs_expiring_idx is written on the same call.
 */
export const expiringAtSql = sql`countersign_expiring_at(${deadlineOfSql}, ${jobs.createdAt})`;
