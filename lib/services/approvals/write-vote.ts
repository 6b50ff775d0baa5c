import { sql, type SQL } from "drizzle-orm";
import type { JobRow } from "@/lib/db/schema";
import { stampEvent } from "@/lib/services/audit/mac";
import { JOB_CHANNEL, type JobChange } from "@/lib/services/events";
import { at } from "@/lib/services/jobs/sql";
import type { VoteTally } from "@/lib/services/jobs/render";
import { callbackRow } from "@/lib/services/outbox/enqueue";
import type { ResolveBody } from "./schemas";

/** The row versions (`xmin`) a vote was decided on, when it was decided without holding the locks. */
export interface VoteGuard {
  jobVersion: string;
  voterVersion: string;
}

export interface VoteWrite {
  job: JobRow;
  voter: { id: string; email: string; roles: string[] };
  vote: "approve" | "reject";
  input: ResolveBody;
  approvals: number[];
  /** The job's resolution if this vote ends it, else null. */
  resolution: Partial<JobRow> | null;
  /** Every vote on the job including this one (the callback renders the job with them). */
  tally: VoteTally[];
  actor: string;
  /** The credential the vote came through (`token:<id>` / `session:<id>`, see credentialOf). */
  credential: string | null;
  now: Date;
  /** Take the locks here and write only if the job and the voter are still these versions. */
  guard?: VoteGuard;
}

// Arrays go in as one parameter (sql.param): a bare array in a Drizzle template becomes a list.
/**
 * Everything a counted vote writes, as one statement: the vote, its audit event, the vote on the job's
 * own tally (jobs.tally, from which its stored queue item counts approvals: drizzle/0009) and, when it
 * decides the job, the job's resolution, that event and the queue notification (delivered at commit).
 *
 * Without a guard the job row is already locked by the caller's transaction, and this is its last
 * statement, so it travels with the COMMIT (FinalWrite). With a guard it is a transaction of its own:
 * it takes the locks `withLockedJob` takes, in the same order (tenant row, job, voter), and locks the
 * job and the voter only if each is still the version the vote was decided on; if either moved, it
 * writes nothing and answers `applied` 0. A lock that waited for another transaction re-reads the row
 * it got (READ COMMITTED), so a vote committed meanwhile always shows as a new version.
 */
export function voteStatement(w: VoteWrite): SQL {
  const { job, voter, vote, input, now } = w;
  const created = now.toISOString();
  // created_at is stored as the ISO text the event's MAC covers.
  const event = (type: string, data: Record<string, unknown>) => {
    const s = stampEvent({ tenantId: job.tenantId, type, actor: w.actor, jobId: job.id, data, createdAt: created });
    return sql`(${job.tenantId}, ${type}, ${w.actor}, ${job.id}, ${s.dataJson}::jsonb, ${created}, ${s.keyId}, ${s.nonce}, ${s.mac})`;
  };
  const events = [event("vote.cast", { vote, reason: input.reason, note: input.note ?? null, roles: voter.roles, approvals: w.approvals, credential: w.credential })];

  const r = w.resolution;
  // The job's tally gains this vote in the order cast, as `votesColumn` reads the votes back.
  const tallied = JSON.stringify([{ userId: voter.id, vote, roles: voter.roles }]);
  let resolve = sql``;
  let callback = sql``;
  if (r) {
    // The agent hears about the decision through its callback, queued in this same statement.
    const cb = callbackRow({ ...job, ...r, updatedAt: now } as JobRow, w.tally, r.state === "APPROVED" ? "job.approved" : "job.rejected", now);
    if (cb) {
      callback = sql`, called_back as (
      insert into deliveries (id, tenant_id, job_id, kind, event_type, url, body, next_attempt_at, created_at)
      select ${cb.id}, ${cb.tenantId}, ${cb.jobId}, ${cb.kind}, ${cb.eventType}, ${cb.url}, ${cb.body}, ${at(now)}, ${at(now)}
      from go
    )`;
    }
    events.push(
      r.state === "APPROVED"
        ? event("job.approved", { reason: input.reason, policy_snapshot: job.policySnapshot })
        : event("job.rejected", { reason: input.reason }),
    );
    resolve = sql`, state = ${r.state}, resolution = ${r.resolution}, resolved_by = ${r.resolvedBy},
        resolved_comment = ${r.resolvedComment}, resolved_reason = ${r.resolvedReason ?? null}, resolved_at = ${at(now)},
        approved_snapshot = ${r.approvedSnapshot ?? null}, updated_at = ${at(now)}`;
  }
  // Every counted vote is news to the other reviewers watching the queue ("finance 1/2").
  const change: JobChange = { tenant: job.tenantId, job: job.id, state: r?.state ?? job.state };
  // Every row below is written only if `go` has its one row.
  const go = w.guard
    ? sql`tenant_locked as materialized (
      select 1 from tenants where id = ${job.tenantId} for key share
    ), job_locked as materialized (
      select 1 from jobs
      where tenant_id = ${job.tenantId} and id = ${job.id} and xmin::text = ${w.guard.jobVersion}
        and (select count(*) from tenant_locked) = 1
      for update
    ), voter_locked as materialized (
      select 1 from users
      where tenant_id = ${job.tenantId} and id = ${voter.id} and xmin::text = ${w.guard.voterVersion}
        and (select count(*) from job_locked) = 1
      for share
    ), go as materialized (select 1 from voter_locked)`
    : sql`go as materialized (select 1)`;
  return sql`
    with ${go}, cast_vote as (
      insert into votes (tenant_id, job_id, user_id, user_email, vote, roles, reason, note, credential, created_at)
      select ${job.tenantId}, ${job.id}, ${voter.id}, ${voter.email}, ${vote}, ${sql.param(voter.roles)}::text[],
             ${input.reason}, ${input.note ?? null}, ${w.credential}, ${at(now)}
      from go
    ), audited as (
      insert into audit_events (tenant_id, type, actor, job_id, data, created_at, key_id, nonce, mac)
      select e.* from go, (values ${sql.join(events, sql`, `)}) as e
    ), updated as (
      update jobs set tally = tally || ${tallied}::jsonb${resolve}
      where tenant_id = ${job.tenantId} and id = ${job.id} and exists (select 1 from go)
      returning id
    )${callback}, notified as (
      select pg_notify(${JOB_CHANNEL}, ${JSON.stringify(change)}) from updated
    )
    select (select count(*) from go) as applied, (select count(*) from notified) as notified`;
}
