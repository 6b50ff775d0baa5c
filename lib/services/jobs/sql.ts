import "server-only";
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { jobs } from "@/lib/db/schema";

// Raw SQL fragments get no column type from Drizzle, so timestamps travel as typed ISO strings.
// A placeholder stands for an ISO string filled in later (a statement built once, run many times).
export const at = (d: Date | Placeholder): SQL => sql`${d instanceof Date ? d.toISOString() : d}::timestamptz`;

/** The SQL twin of `deadlineOf`: due_at when the rule rejects on timeout (and it comes first), else expires_at. */
export const deadlineSql = sql`(case when ${jobs.onTimeout} = 'reject' and ${jobs.dueAt} < ${jobs.expiresAt} then ${jobs.dueAt} else ${jobs.expiresAt} end)`;

/**
 * Pending and still approvable at `now` (the SQL twin of `!isLapsed`). Written on the deadline so that a
 * count of a tenant's pending jobs is a range of jobs_deadline_idx, index-only (see its migration).
 */
export function stillPendingSql(now: Date | Placeholder): SQL {
  return sql`(${jobs.state} = 'APPROVAL' and ${deadlineSql} > ${at(now)})`;
}

/** Pending in the table but past its deadline at `now`: EXPIRED for every reader. */
export function lapsedSql(now: Date | Placeholder): SQL {
  return sql`(${jobs.state} = 'APPROVAL' and ${deadlineSql} <= ${at(now)})`;
}

/** The SQL twin of `isEscalationDue`: pending past due_at with `on_timeout: escalate`, not yet marked. */
export function escalationDueSql(now: Date | Placeholder): SQL {
  return sql`(not ${jobs.escalated} and ${jobs.state} = 'APPROVAL' and ${jobs.onTimeout} = 'escalate' and ${jobs.dueAt} <= ${at(now)})`;
}
